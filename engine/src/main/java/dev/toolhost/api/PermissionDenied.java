package dev.toolhost.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The tool touched what its policy forbids: which permission, and on what target. */
public record PermissionDenied(String message, String permission, String target) implements ToolError {
  @Override public String type() { return "PERMISSION_DENIED"; }
  @Override public int httpStatus() { return 403; }

  @Override
  public void writeFields(ObjectNode node) {
    node.put("permission", permission);
    node.put("target", target);
  }
}
