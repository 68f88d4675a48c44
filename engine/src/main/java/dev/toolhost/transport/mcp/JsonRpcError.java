package dev.toolhost.transport.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolhost.api.Json;

/**
 * A JSON-RPC 2.0 error answer: its code, message, optional data, and the id of the request it
 * answers ({@code null} on the wire when that id is unknown, as for a message that cannot be read).
 */
public final class JsonRpcError extends RuntimeException {
  public static final int PARSE_ERROR = -32700;
  public static final int INVALID_REQUEST = -32600;
  public static final int METHOD_NOT_FOUND = -32601;
  public static final int INVALID_PARAMS = -32602;
  public static final int INTERNAL_ERROR = -32603;
  /** Server-defined (-32000 to -32099): the transport refused the message, e.g. no session header. */
  public static final int TRANSPORT_REFUSED = -32000;
  /** Server-defined: the session the message names is unknown or ended. */
  public static final int SESSION_NOT_FOUND = -32001;

  private final int code;
  private final JsonNode id;
  private final JsonNode data;

  public JsonRpcError(int code, String message, JsonNode id, JsonNode data) {
    super(message, null, false, false);
    this.code = code;
    this.id = id;
    this.data = data;
  }

  public JsonRpcError(int code, String message, JsonNode id) {
    this(code, message, id, null);
  }

  public int code() { return code; }
  public JsonNode id() { return id; }

  /** This error answering {@code newId} instead. */
  JsonRpcError answering(JsonNode newId) {
    return new JsonRpcError(code, getMessage(), newId, data);
  }

  /** {@code {"jsonrpc":"2.0","id":...,"error":{"code":...,"message":...,"data":...}}}. */
  public ObjectNode toJson() {
    ObjectNode response = Json.MAPPER.createObjectNode();
    response.put("jsonrpc", "2.0");
    response.set("id", id == null ? NullNode.getInstance() : id);
    ObjectNode error = response.putObject("error");
    error.put("code", code);
    error.put("message", getMessage());
    if (data != null) error.set("data", data);
    return response;
  }
}
