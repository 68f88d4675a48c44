package dev.toolhost.transport.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolhost.api.Json;

/**
 * One JSON-RPC 2.0 message as MCP sends it: a request (method and id), a notification (method,
 * no id) or a response (result or error, for a request of ours). {@link #read} checks the
 * envelope; a bad one is a {@link JsonRpcError} INVALID_REQUEST answering the message's id when
 * that id is usable, else null.
 *
 * <p>Batches (a JSON array of messages) are refused with one INVALID_REQUEST: MCP 2025-06-18
 * removed JSON-RPC batching, and no MCP client sends them.
 */
public record JsonRpcMessage(Kind kind, JsonNode id, String method, JsonNode params) {

  public enum Kind { REQUEST, NOTIFICATION, RESPONSE }

  public static JsonRpcMessage read(JsonNode json) {
    if (json.isArray()) {
      throw invalid("JSON-RPC batches are not supported (MCP 2025-06-18 has none): send one message at a time", null);
    }
    if (!json.isObject()) throw invalid("a JSON-RPC message must be a JSON object", null);
    JsonNode id = json.get("id");
    boolean isResponse = !json.has("method") && (json.has("result") || json.has("error"));
    if (id != null && !id.isTextual() && !id.isNumber() && !(isResponse && id.isNull())) {
      throw invalid("'id' must be a string or a number", null);
    }
    JsonNode version = json.get("jsonrpc");
    if (version == null || !version.isTextual() || !version.asText().equals("2.0")) {
      throw invalid("'jsonrpc' must be \"2.0\"", id);
    }
    if (isResponse) {
      if (id == null) throw invalid("a response needs the 'id' of the request it answers", null);
      return new JsonRpcMessage(Kind.RESPONSE, id, null, null);
    }
    JsonNode method = json.get("method");
    if (method == null) throw invalid("missing 'method'", id);
    if (!method.isTextual()) throw invalid("'method' must be a string", id);
    JsonNode params = json.get("params");
    if (params != null && params.isNull()) params = null;
    if (params != null && !params.isObject() && !params.isArray()) {
      throw invalid("'params' must be an object", id);
    }
    return new JsonRpcMessage(id == null ? Kind.NOTIFICATION : Kind.REQUEST, id, method.asText(), params);
  }

  /** {@code params} as an object; an absent one is empty, an array is INVALID_PARAMS. */
  public ObjectNode paramsObject() {
    if (params == null) return Json.MAPPER.createObjectNode();
    if (!params.isObject()) {
      throw new JsonRpcError(JsonRpcError.INVALID_PARAMS, "'params' of " + method + " must be an object", id);
    }
    return (ObjectNode) params;
  }

  /** The success answer to this request: {@code {"jsonrpc":"2.0","id":...,"result":...}}. */
  public ObjectNode answer(JsonNode result) {
    ObjectNode response = Json.MAPPER.createObjectNode();
    response.put("jsonrpc", "2.0");
    response.set("id", id);
    response.set("result", result);
    return response;
  }

  private static JsonRpcError invalid(String message, JsonNode id) {
    return new JsonRpcError(JsonRpcError.INVALID_REQUEST, "Invalid Request: " + message, id);
  }
}
