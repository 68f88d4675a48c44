package dev.toolhost.transport.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolhost.api.InvalidRequest;
import dev.toolhost.api.Json;
import dev.toolhost.api.ToolException;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the JSON bodies of the sandbox routes: each field checked for its type, a wrong one named. */
final class SandboxRequests {
  private final JsonNode body;

  private SandboxRequests(JsonNode body) {
    this.body = body;
  }

  /** The request's body as a JSON object; an empty body is {@code {}}. */
  static SandboxRequests of(RoutingContext ctx) {
    Buffer raw = RequestBody.of(ctx);
    JsonNode body = raw.length() == 0 ? Json.MAPPER.createObjectNode() : Json.parse(raw.getBytes());
    if (!body.isObject()) throw invalid("the body must be a JSON object", "body");
    return new SandboxRequests(body);
  }

  String text(String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) return null;
    if (!value.isTextual()) throw invalid("field '" + field + "' must be a string", field);
    return value.asText();
  }

  String requiredText(String field) {
    String value = text(field);
    if (value == null || value.isEmpty()) throw invalid("missing field '" + field + "'", field);
    return value;
  }

  List<String> strings(String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) return List.of();
    List<String> out = new ArrayList<>();
    if (value.isArray()) value.forEach(v -> out.add(v.isTextual() ? v.asText() : null));
    if (!value.isArray() || out.contains(null)) throw invalid("field '" + field + "' must be an array of strings", field);
    return out;
  }

  List<Integer> ports(String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) return List.of();
    List<Integer> out = new ArrayList<>();
    if (value.isArray()) value.forEach(v -> out.add(v.canConvertToInt() && v.asInt() > 0 && v.asInt() < 65536 ? v.asInt() : null));
    if (!value.isArray() || out.contains(null)) throw invalid("field '" + field + "' must be an array of ports (1-65535)", field);
    return out;
  }

  Map<String, String> env(String field) {
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
  Duration millis(String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) return null;
    if (!value.canConvertToLong() || value.asLong() <= 0) throw invalid("field '" + field + "' must be a positive integer", field);
    return Duration.ofMillis(value.asLong());
  }

  int port(String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) return 0;
    if (!value.canConvertToInt() || value.asInt() <= 0 || value.asInt() > 65535) throw invalid("field '" + field + "' must be a port (1-65535)", field);
    return value.asInt();
  }

  static ToolException invalid(String message, String field) {
    return new ToolException(new InvalidRequest(message, "field: " + field));
  }
}
