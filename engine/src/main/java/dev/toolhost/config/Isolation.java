package dev.toolhost.config;

/**
 * How long a worker or context lives: {@code reuse} (many calls), {@code fresh} (one call),
 * {@code recycle:N} (N calls). {@code callsPerWorker} is 0 for unlimited.
 */
public record Isolation(String mode, int callsPerWorker) {
  public static final Isolation REUSE = new Isolation("reuse", 0);
  public static final Isolation FRESH = new Isolation("fresh", 1);

  public static Isolation parse(String key, String text) {
    String value = text.trim();
    if (value.equals("reuse")) return REUSE;
    if (value.equals("fresh")) return FRESH;
    if (value.startsWith("recycle:")) {
      try {
        int n = Integer.parseInt(value.substring("recycle:".length()));
        if (n > 0) return new Isolation("recycle", n);
      } catch (NumberFormatException ignored) {
        // reported below
      }
    }
    throw new ConfigException(key, "expected reuse, fresh or recycle:N (N > 0), got '" + text + "'");
  }

  @Override
  public String toString() {
    return mode.equals("recycle") ? "recycle:" + callsPerWorker : mode;
  }
}
