package dev.toolhost.runtime.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolhost.api.InvalidOutput;
import dev.toolhost.api.Json;
import dev.toolhost.api.OutputLimitExceeded;
import dev.toolhost.api.PermissionDenied;
import dev.toolhost.api.ToolDescriptor;
import dev.toolhost.api.ToolError;
import dev.toolhost.api.ToolFailure;
import dev.toolhost.api.ToolNotFound;
import dev.toolhost.runtime.RuntimeCall;
import dev.toolhost.runtime.ToolSet;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds engine→worker frames and reads worker→engine ones (tools-sdk/PROTOCOL.md). The
 * in-process GraalJS host answers with the same frames, so both runtimes share this reading.
 */
public final class Frames {
  private Frames() {}

  public static Buffer invoke(String callId, RuntimeCall call) {
    ObjectNode frame = Json.MAPPER.createObjectNode();
    frame.put("type", "invoke");
    frame.put("id", callId);
    frame.put("tool", call.tool());
    frame.put("executionId", call.executionId());
    frame.set("input", call.input());
    ObjectNode env = frame.putObject("env");
    call.env().forEach(env::put);
    frame.set("config", call.config() == null ? Json.MAPPER.createObjectNode() : call.config());
    frame.putObject("limits")
        .put("outputBytes", call.outputLimitBytes())
        .put("logBytes", call.logLimitBytes());
    return line(frame);
  }

  public static Buffer line(ObjectNode frame) {
    byte[] bytes = Json.bytes(frame);
    return Buffer.buffer(bytes.length + 1).appendBytes(bytes).appendByte((byte) '\n');
  }

  public static ToolSet toolSet(JsonNode frame) {
    List<ToolDescriptor> tools = new ArrayList<>();
    for (JsonNode t : frame.path("tools")) {
      tools.add(new ToolDescriptor(
          t.path("name").asText(),
          t.path("description").asText(""),
          nullIfMissing(t.get("inputSchema")),
          nullIfMissing(t.get("outputSchema")),
          t.path("module").asText(null)));
    }
    List<ToolSet.LoadError> errors = new ArrayList<>();
    for (JsonNode e : frame.path("errors")) {
      errors.add(new ToolSet.LoadError(e.path("module").asText(null), e.path("message").asText("")));
    }
    return new ToolSet(tools, errors);
  }

  /** The error a worker reported for a call, as the engine's typed error. */
  public static ToolError error(JsonNode error, String tool) {
    String message = error.path("message").asText("");
    return switch (error.path("type").asText()) {
      case "PERMISSION_DENIED" -> new PermissionDenied(message,
          error.path("permission").asText(null), error.path("target").asText(null));
      case "INVALID_OUTPUT" -> new InvalidOutput(message, error.path("details").asText(null));
      case "OUTPUT_LIMIT_EXCEEDED" -> new OutputLimitExceeded(message,
          error.path("limitBytes").asLong(), error.path("what").asText("output"));
      case "TOOL_NOT_FOUND" -> new ToolNotFound("the worker has no tool '" + tool + "'", List.of());
      default -> new ToolFailure(message,
          error.path("name").asText("Error"),
          error.path("code").isNull() ? null : error.path("code").asText(null),
          error.path("stack").asText(null),
          error.path("retryable").asBoolean(false),
          nullIfMissing(error.get("details")));
    };
  }

  private static JsonNode nullIfMissing(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode() ? null : node;
  }
}
