package dev.toolhost.config;

/** Invalid configuration: the message names the key and what was expected. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String key, String problem) {
    super("configuration key '" + key + "': " + problem);
  }
}
