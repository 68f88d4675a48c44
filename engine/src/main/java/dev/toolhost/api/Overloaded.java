package dev.toolhost.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The bounded queue is full; nothing was started. */
public record Overloaded(String message, long retryAfterMs) implements ToolError {
  @Override public String type() { return "OVERLOADED"; }
  @Override public int httpStatus() { return 429; }

  @Override
  public void writeFields(ObjectNode node) {
    node.put("retryAfterMs", retryAfterMs);
  }
}
