package dev.toolhost.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolhost.api.InvalidRequest;
import dev.toolhost.api.Json;
import dev.toolhost.api.ToolException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sandbox request as JSON (an HTTP body, an event-bus message), read the same way by every
 * transport: each field checked for its type, a wrong one INVALID_REQUEST naming it.
 */
public final class SandboxRequest {
  private final JsonNode body;

  private SandboxRequest(JsonNode body) {
    this.body = body;
  }

  /** @param body a JSON object; null or empty bytes are {@code {}} */
  public static SandboxRequest of(JsonNode body) {
    if (body == null || body.isMissingNode()) return new SandboxRequest(Json.MAPPER.createObjectNode());
    if (!body.isObject()) throw invalid("the request must be a JSON object", "body");
    return new SandboxRequest(body);
  }

  public static SandboxRequest of(byte[] json) {
    return of(json.length == 0 ? null : Json.parse(json));
  }

  /** {@code {type, image, env, ports, idleTimeoutMs}}; limits come from the configuration. */
  public SandboxSpec spec() {
    return new SandboxSpec(text("type"), text("image"), ports("ports"), env("env"), null, millis("idleTimeoutMs"));
  }

  /** {@code {cwd, env, timeoutMs}} of exec and execute. */
  public ExecOptions execOptions() {
    return new ExecOptions(text("cwd"), env("env"), millis("timeoutMs"), false);
  }

  /** {@code {command, args, port, readyTimeoutMs}}. */
  public DevServerRequest devServer() {
    return new DevServerRequest(requiredText("command"), strings("args"), port("port"), millis("readyTimeoutMs"));
  }

  /** The {@code language} field, one {@link Language#parse} knows. */
  public Language language() {
    String name = requiredText("language");
    return Language.parse(name).orElseThrow(() -> invalid("unknown language '" + name
        + "'; use python, javascript, typescript, bash, sh or ruby", "language"));
  }

  public String text(String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) return null;
    if (!value.isTextual()) throw invalid("field '" + field + "' must be a string", field);
    return value.asText();
  }

  public String requiredText(String field) {
    String value = text(field);
    if (value == null || value.isEmpty()) throw invalid("missing field '" + field + "'", field);
    return value;
  }

  public List<String> strings(String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) return List.of();
    List<String> out = new ArrayList<>();
    if (value.isArray()) value.forEach(v -> out.add(v.isTextual() ? v.asText() : null));
    if (!value.isArray() || out.contains(null)) throw invalid("field '" + field + "' must be an array of strings", field);
    return out;
  }

  public List<Integer> ports(String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) return List.of();
    List<Integer> out = new ArrayList<>();
    if (value.isArray()) value.forEach(v -> out.add(v.canConvertToInt() && v.asInt() > 0 && v.asInt() < 65536 ? v.asInt() : null));
    if (!value.isArray() || out.contains(null)) throw invalid("field '" + field + "' must be an array of ports (1-65535)", field);
    return out;
  }

  public Map<String, String> env(String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) return Map.of();
    if (!value.isObject()) throw invalid("field '" + field + "' must be an object of strings", field);
    Map<String, String> out = new LinkedHashMap<>();
    value.fields().forEachRemaining(e -> {
      if (!e.getValue().isTextual()) throw invalid("field '" + field + "." + e.getKey() + "' must be a string", field + "." + e.getKey());
      out.put(e.getKey(), e.getValue().asText());
    });
    return out;
  }

  /** A positive number of milliseconds, or null when absent. */
  public Duration millis(String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) return null;
    if (!value.canConvertToLong() || value.asLong() <= 0) throw invalid("field '" + field + "' must be a positive integer", field);
    return Duration.ofMillis(value.asLong());
  }

  public int port(String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) return 0;
    if (!value.canConvertToInt() || value.asInt() <= 0 || value.asInt() > 65535) throw invalid("field '" + field + "' must be a port (1-65535)", field);
    return value.asInt();
  }

  public static ToolException invalid(String message, String field) {
    return new ToolException(new InvalidRequest(message, "field: " + field));
  }
}
