package dev.toolhost.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The runtime cannot run here (not installed, cannot start); {@code hint} says how to fix it. */
public record RuntimeUnavailable(String message, String runtime, String hint) implements ToolError {
  @Override public String type() { return "RUNTIME_UNAVAILABLE"; }
  @Override public int httpStatus() { return 503; }
  @Override public boolean retryableByDefault() { return true; }

  @Override
  public void writeFields(ObjectNode node) {
    node.put("runtime", runtime);
    node.put("hint", hint);
  }
}
