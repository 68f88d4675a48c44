package dev.toolhost.config;

import java.util.Locale;

/**
 * What happens when a runtime has no mechanism for part of a tool's policy: {@code strict} (the
 * default) refuses to start the tool's worker; {@code best-effort} runs it with the parts that
 * are enforced (doctor lists which are not). Never a downgrade nobody asked for.
 */
public enum Enforcement {
  STRICT, BEST_EFFORT;

  public static Enforcement parse(String key, String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "strict" -> STRICT;
      case "best-effort" -> BEST_EFFORT;
      default -> throw new ConfigException(key, "expected strict or best-effort, got '" + text + "'");
    };
  }

  @Override
  public String toString() {
    return this == STRICT ? "strict" : "best-effort";
  }
}
