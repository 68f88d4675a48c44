package dev.toolhost.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The output or the logs of one call went over the configured limit ({@code what}). */
public record OutputLimitExceeded(String message, long limitBytes, String what) implements ToolError {
  @Override public String type() { return "OUTPUT_LIMIT_EXCEEDED"; }
  @Override public int httpStatus() { return 502; }

  @Override
  public void writeFields(ObjectNode node) {
    node.put("limitBytes", limitBytes);
    node.put("what", what);
  }
}
