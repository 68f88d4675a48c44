package dev.toolhost.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One request to run a tool (DESIGN.md "Invocation and answer"). Optional fields are null when
 * absent: the engine generates the execution id and fills timeout and runtime from config.
 */
public record Invocation(
    String tool,
    String executionId,
    JsonNode input,
    Map<String, String> env,
    Duration timeout,
    String runtime) {

  public Invocation {
    input = input == null ? Json.MAPPER.createObjectNode() : input;
    env = env == null ? Map.of() : Map.copyOf(env);
  }

  public static Invocation of(String tool, JsonNode input) {
    return new Invocation(tool, null, input, Map.of(), null, null);
  }

  public Invocation withEnv(Map<String, String> newEnv) {
    return new Invocation(tool, executionId, input, newEnv, timeout, runtime);
  }

  public Invocation withTimeout(Duration newTimeout) {
    return new Invocation(tool, executionId, input, env, newTimeout, runtime);
  }

  public Invocation withRuntime(String newRuntime) {
    return new Invocation(tool, executionId, input, env, timeout, newRuntime);
  }

  public Invocation withExecutionId(String id) {
    return new Invocation(tool, id, input, env, timeout, runtime);
  }

  /** The request JSON of DESIGN.md (optional fields only when set). */
  public ObjectNode toJson() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("tool", tool);
    if (executionId != null) node.put("executionId", executionId);
    node.set("input", input);
    ObjectNode envNode = node.putObject("env");
    env.forEach(envNode::put);
    if (timeout != null) node.put("timeoutMs", timeout.toMillis());
    if (runtime != null) node.put("runtime", runtime);
    return node;
  }

  /** Reads the request JSON; a wrong shape is INVALID_REQUEST naming the field. */
  public static Invocation fromJson(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw invalid("the request must be a JSON object", null);
    }
    JsonNode tool = json.get("tool");
    if (tool == null || tool.isNull()) throw invalid("missing field 'tool'", "tool");
    if (!tool.isTextual()) throw invalid("field 'tool' must be a string", "tool");
    return new Invocation(
        tool.asText(),
        optionalText(json, "executionId"),
        json.has("input") ? json.get("input") : null,
        env(json.get("env")),
        timeout(json.get("timeoutMs")),
        optionalText(json, "runtime"));
  }

  private static String optionalText(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) return null;
    if (!value.isTextual()) throw invalid("field '" + field + "' must be a string", field);
    return value.asText();
  }

  private static Map<String, String> env(JsonNode value) {
    if (value == null || value.isNull()) return Map.of();
    if (!value.isObject()) throw invalid("field 'env' must be an object of strings", "env");
    Map<String, String> env = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw invalid("env value of '" + e.getKey() + "' must be a string", "env." + e.getKey());
      }
      env.put(e.getKey(), e.getValue().asText());
    }
    return env;
  }

  private static Duration timeout(JsonNode value) {
    if (value == null || value instanceof NullNode) return null;
    if (!value.canConvertToExactIntegral() || !value.canConvertToLong() || value.asLong() <= 0) {
      throw invalid("field 'timeoutMs' must be a positive integer", "timeoutMs");
    }
    return Duration.ofMillis(value.asLong());
  }

  private static ToolException invalid(String message, String field) {
    return new ToolException(new InvalidRequest(message, field == null ? null : "field: " + field));
  }
}
