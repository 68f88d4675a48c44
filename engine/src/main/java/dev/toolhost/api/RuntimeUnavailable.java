package dev.toolhost.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The runtime cannot run here (not installed, cannot start); {@code hint} says how to fix it.
 * {@code permanent} when only a change of configuration or host can help (a policy nothing here
 * enforces, an unknown type): retrying such a call would only fail again, so the engine does not.
 */
public record RuntimeUnavailable(String message, String runtime, String hint, boolean permanent) implements ToolError {
  /** A transient one: the daemon or the runtime may be back on the next attempt. */
  public RuntimeUnavailable(String message, String runtime, String hint) {
    this(message, runtime, hint, false);
  }

  @Override public String type() { return "RUNTIME_UNAVAILABLE"; }
  @Override public int httpStatus() { return 503; }
  @Override public boolean retryableByDefault() { return !permanent; }

  @Override
  public void writeFields(ObjectNode node) {
    node.put("runtime", runtime);
    node.put("hint", hint);
  }
}
