package dev.toolhost.config;

import java.util.Locale;

/**
 * Whether subprocess workers run inside bubblewrap (config key {@code workerSandbox}): {@code auto}
 * (the default) when it works
 * here, {@code bwrap} always (a worker that cannot be sandboxed is refused), {@code none} never
 * (policies only bubblewrap can enforce are then refused unless a tool says best-effort).
 */
public enum SandboxMode {
  AUTO, BWRAP, NONE;

  public static SandboxMode parse(String key, String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "auto" -> AUTO;
      case "bwrap" -> BWRAP;
      case "none" -> NONE;
      default -> throw new ConfigException(key, "expected auto, bwrap or none, got '" + text + "'");
    };
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
