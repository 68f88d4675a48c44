package dev.toolhost.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
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

  /** Reads the answer JSON back (for clients of the transports). */
  public static ToolResult fromJson(JsonNode json) {
    List<LogEntry> logs = new ArrayList<>();
    for (JsonNode log : json.path("logs")) logs.add(new LogEntry(log.path("level").asText(), log.path("message").asText()));
    return new ToolResult(json.path("executionId").asText(), json.path("tool").asText(), json.path("runtime").asText(),
        json.has("output") ? json.get("output") : Json.MAPPER.nullNode(), json.path("durationMs").asDouble(),
        json.path("attempts").asInt(), logs);
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
