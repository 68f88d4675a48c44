package dev.toolhost.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** A successful invocation: the tool's JSON output and how it was obtained. */
public record ToolResult(
    String executionId,
    String tool,
    String runtime,
    JsonNode output,
    double durationMs,
    int attempts,
    List<LogEntry> logs) {

  public ToolResult {
    logs = List.copyOf(logs);
  }

  public ObjectNode toJson() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("executionId", executionId);
    node.put("tool", tool);
    node.put("runtime", runtime);
    node.set("output", output);
    node.put("durationMs", Math.round(durationMs * 1000) / 1000.0);
    node.put("attempts", attempts);
    ArrayNode list = node.putArray("logs");
    for (LogEntry log : logs) {
      list.addObject().put("level", log.level()).put("message", log.message());
    }
    return node;
  }
}
