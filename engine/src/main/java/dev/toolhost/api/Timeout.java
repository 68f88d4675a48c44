package dev.toolhost.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The deadline passed and the tool was stopped. */
public record Timeout(String message, long timeoutMs) implements ToolError {
  @Override public String type() { return "TIMEOUT"; }
  @Override public int httpStatus() { return 504; }

  @Override
  public void writeFields(ObjectNode node) {
    node.put("timeoutMs", timeoutMs);
  }
}
