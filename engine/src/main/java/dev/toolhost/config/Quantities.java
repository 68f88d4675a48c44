package dev.toolhost.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the human forms of durations ({@code 250ms}, {@code 30s}) and sizes ({@code 10MiB}). */
public final class Quantities {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(us|ms|s|m|h)?");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");

  private Quantities() {}

  public static Duration duration(String key, String text) {
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new ConfigException(key, "expected a duration like 100us, 250ms, 30s or 5m, got '" + text + "'");
    }
    String unit = m.group(2) == null ? "ms" : m.group(2);
    try {
      long n = Long.parseLong(m.group(1));
      return switch (unit) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        case "us" -> Duration.ofNanos(Math.multiplyExact(n, 1000L));
        default -> Duration.ofMillis(n);
      };
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ConfigException(key, "duration '" + text + "' is too large");
    }
  }

  public static long bytes(String key, String text) {
    Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new ConfigException(key, "expected a size like 512k, 10MiB or 1g, got '" + text + "'");
    }
    String unit = m.group(2) == null ? "b" : m.group(2);
    try {
      long n = Long.parseLong(m.group(1));
      return switch (unit.charAt(0)) {
        case 'k' -> Math.multiplyExact(n, 1L << 10);
        case 'm' -> Math.multiplyExact(n, 1L << 20);
        case 'g' -> Math.multiplyExact(n, 1L << 30);
        default -> n;
      };
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ConfigException(key, "size '" + text + "' is too large");
    }
  }
}
