package dev.toolhost.runtime;

/** Whether a runtime is usable here: its version when it is, the reason and a hint when not. */
public record Availability(String runtime, boolean usable, String version, String detail, String hint) {
  public static Availability usable(String runtime, String version, String detail) {
    return new Availability(runtime, true, version, detail, null);
  }

  public static Availability unusable(String runtime, String reason, String hint) {
    return new Availability(runtime, false, null, reason, hint);
  }
}
