package dev.toolhost.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Reads the failure JSON of DESIGN.md back into a typed error (for clients of the transports). */
public final class ToolErrors {
  private ToolErrors() {}

  /** @param json the failure JSON, {@code {"error": {...}}} */
  public static ToolException fromJson(JsonNode json) {
    JsonNode e = json.path("error");
    String message = e.path("message").asText("");
    ToolError error = switch (e.path("type").asText()) {
      case "INVALID_INPUT" -> {
        List<InvalidInput.Violation> violations = new ArrayList<>();
        for (JsonNode v : e.path("violations")) {
          violations.add(new InvalidInput.Violation(v.path("pointer").asText(), v.path("message").asText()));
        }
        yield new InvalidInput(message, violations);
      }
      case "TOOL_NOT_FOUND" -> {
        List<String> known = new ArrayList<>();
        e.path("known").forEach(k -> known.add(k.asText()));
        yield new ToolNotFound(message, known);
      }
      case "TOOL_ERROR" -> new ToolFailure(message, text(e, "name"), text(e, "code"), text(e, "stack"),
          e.path("retryable").asBoolean(false), e.hasNonNull("details") ? e.get("details") : null);
      case "INVALID_OUTPUT" -> new InvalidOutput(message, text(e, "details"));
      case "OUTPUT_LIMIT_EXCEEDED" -> new OutputLimitExceeded(message, e.path("limitBytes").asLong(), text(e, "what"));
      case "TIMEOUT" -> new Timeout(message, e.path("timeoutMs").asLong());
      case "PERMISSION_DENIED" -> new PermissionDenied(message, text(e, "permission"), text(e, "target"));
      case "PROCESS_ERROR" -> new ProcessError(message,
          e.hasNonNull("exitCode") ? e.get("exitCode").asInt() : null, text(e, "signal"), text(e, "stderr"));
      case "RUNTIME_UNAVAILABLE" -> new RuntimeUnavailable(message, text(e, "runtime"), text(e, "hint"),
          !e.path("retryable").asBoolean(true));
      case "OVERLOADED" -> new Overloaded(message, e.path("retryAfterMs").asLong());
      case "CANCELLED" -> new Cancelled(message);
      case "NOT_FOUND" -> new NotFound(message, text(e, "resource"), text(e, "name"));
      default -> new InvalidRequest(message, text(e, "details"));
    };
    return new ToolException(error, text(e, "tool"), text(e, "executionId"), e.path("attempts").asInt(0),
        e.path("retryable").asBoolean(false));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
