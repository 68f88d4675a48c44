package dev.toolhost.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The tool threw or rejected (wire type {@code TOOL_ERROR}). A tool marks an error
 * {@code retryable} when retrying is safe; the engine then retries it.
 */
public record ToolFailure(
    String message, String name, String code, String stack, boolean retryable, JsonNode details)
    implements ToolError {

  @Override public String type() { return "TOOL_ERROR"; }
  @Override public int httpStatus() { return 422; }
  @Override public boolean retryableByDefault() { return retryable; }

  @Override
  public void writeFields(ObjectNode node) {
    node.put("name", name);
    node.put("code", code);
    node.put("stack", stack);
    if (details != null && !details.isNull()) node.set("details", details);
  }
}
