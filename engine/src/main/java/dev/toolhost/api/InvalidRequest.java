package dev.toolhost.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The request itself is malformed: bad JSON, a missing field, a forbidden tool id or env key. */
public record InvalidRequest(String message, String details) implements ToolError {
  public InvalidRequest(String message) {
    this(message, null);
  }

  @Override public String type() { return "INVALID_REQUEST"; }
  @Override public int httpStatus() { return 400; }

  @Override
  public void writeFields(ObjectNode node) {
    if (details != null) node.put("details", details);
  }
}
