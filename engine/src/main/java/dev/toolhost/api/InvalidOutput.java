package dev.toolhost.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The tool's output is not JSON, or fails its output schema. */
public record InvalidOutput(String message, String details) implements ToolError {
  @Override public String type() { return "INVALID_OUTPUT"; }
  @Override public int httpStatus() { return 502; }

  @Override
  public void writeFields(ObjectNode node) {
    if (details != null) node.put("details", details);
  }
}
