package dev.toolhost.transport.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolhost.api.Json;
import dev.toolhost.api.ToolDescriptor;
import dev.toolhost.api.ToolException;
import dev.toolhost.api.ToolResult;
import dev.toolhost.sandbox.ExecutionResult;
import java.util.Optional;

/**
 * How catalog tools and their answers look in MCP. A tool's MCP arguments are always a JSON
 * object, so its {@code inputSchema} must describe one: a schema without a {@code type} gets
 * {@code "type": "object"} (what MCP can send anyway), a tool without a schema gets
 * {@code {"type": "object"}}, and a tool whose schema wants something else (a string, an array)
 * cannot be called over MCP and is left out of {@code tools/list}.
 */
final class McpTools {
  /** Where answer details ride in a result's {@code _meta} (reverse-DNS prefix, as MCP asks). */
  private static final String META_PREFIX = "dev.toolhost/";

  private McpTools() {}

  /** The {@code tools/list} entry of a tool, or empty when MCP cannot call it. */
  static Optional<ObjectNode> definition(ToolDescriptor tool, boolean structured) {
    ObjectNode input = inputSchema(tool.inputSchema());
    if (input == null) return Optional.empty();
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("name", tool.name());
    if (tool.description() != null && !tool.description().isEmpty()) node.put("description", tool.description());
    node.set("inputSchema", input);
    if (structured && isObjectSchema(tool.outputSchema())) node.set("outputSchema", tool.outputSchema());
    return Optional.of(node);
  }

  private static ObjectNode inputSchema(JsonNode schema) {
    if (schema == null || schema.isNull()) return Json.MAPPER.createObjectNode().put("type", "object");
    if (!schema.isObject()) return null;  // `true` / `false` schemas: nothing MCP can describe
    JsonNode type = schema.get("type");
    if (type == null) {
      ObjectNode copy = Json.MAPPER.createObjectNode().put("type", "object");
      copy.setAll((ObjectNode) schema);
      return copy;
    }
    return isObjectSchema(schema) ? (ObjectNode) schema : null;
  }

  private static boolean isObjectSchema(JsonNode schema) {
    return schema != null && schema.isObject() && "object".equals(schema.path("type").asText(null));
  }

  /**
   * A successful call: the output as JSON text, and as {@code structuredContent} too when it is
   * an object; how it ran (execution id, runtime, duration, attempts) in {@code _meta}.
   */
  static ObjectNode success(ToolResult result, boolean structured) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    text(node, result.output().toString());
    if (structured && result.output().isObject()) node.set("structuredContent", result.output());
    ObjectNode meta = node.putObject("_meta");
    meta.put(META_PREFIX + "executionId", result.executionId());
    meta.put(META_PREFIX + "runtime", result.runtime());
    meta.put(META_PREFIX + "durationMs", Math.round(result.durationMs() * 1000) / 1000.0);
    meta.put(META_PREFIX + "attempts", result.attempts());
    return node;
  }

  /**
   * A sandbox tool's answer ({@link SandboxTools}): its JSON as text, and as {@code structuredContent}
   * too where the revision has it; {@code isError} when the code or command did not succeed.
   */
  static ObjectNode execution(ExecutionResult result, boolean structured) {
    ObjectNode json = result.toJson();
    ObjectNode node = Json.MAPPER.createObjectNode();
    text(node, json.toString());
    if (structured) node.set("structuredContent", json);
    if (!result.success()) node.put("isError", true);
    return node;
  }

  /** A failed call: {@code isError} with the error JSON of DESIGN.md as text, so the model can read it. */
  static ObjectNode failure(ToolException error) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    text(node, error.toJson().toString());
    node.put("isError", true);
    return node;
  }

  private static void text(ObjectNode node, String text) {
    ArrayNode content = node.putArray("content");
    content.addObject().put("type", "text").put("text", text);
  }
}
