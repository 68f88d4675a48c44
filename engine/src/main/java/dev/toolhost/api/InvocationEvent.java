package dev.toolhost.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the engine tells listeners about an invocation: {@code started}, then {@code finished}
 * or {@code failed} with how long it took. {@code errorType} is set on {@code failed} only;
 * {@code runtime} is null when the invocation failed before a runtime was chosen.
 */
public record InvocationEvent(
    String kind, String tool, String executionId, String runtime, double durationMs, int attempts, String errorType) {

  public ObjectNode toJson() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("event", kind);
    node.put("tool", tool);
    node.put("executionId", executionId);
    node.put("runtime", runtime);
    if (!kind.equals("started")) {
      node.put("durationMs", Math.round(durationMs * 1000) / 1000.0);
      node.put("attempts", attempts);
    }
    if (errorType != null) node.put("errorType", errorType);
    return node;
  }
}
