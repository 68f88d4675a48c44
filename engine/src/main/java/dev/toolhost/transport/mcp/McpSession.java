package dev.toolhost.transport.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolhost.api.Invocation;
import dev.toolhost.api.Json;
import dev.toolhost.api.ToolDescriptor;
import dev.toolhost.api.ToolException;
import dev.toolhost.api.ToolResult;
import dev.toolhost.engine.ToolEngine;
import dev.toolhost.sandbox.ExecutionResult;
import dev.toolhost.sandbox.SandboxManager;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server side of one MCP conversation (a stdio process, or one {@code Mcp-Session-Id} over
 * HTTP), independent of the transport: it takes one JSON-RPC message and answers with the
 * response to send, or with {@code null} when nothing is to be sent (notifications, responses,
 * and requests the client cancelled). It speaks {@code initialize}, {@code ping},
 * {@code tools/list} and {@code tools/call}, and hears {@code notifications/initialized} and
 * {@code notifications/cancelled}; every call of a catalog tool goes through {@link ToolEngine#invoke}.
 *
 * <p>With a sandbox manager, the session offers {@code execute_code} and {@code run_command}
 * ({@link SandboxTools}) beside the catalog's tools, on a sandbox of its own made at the first such
 * call and torn down by {@link #close()}. A catalog tool of the same name takes precedence: the
 * built-in one is then neither listed nor called (so adding a built-in never hides a user's tool).
 *
 * <p>Answers, following the MCP tools spec: an unknown tool is a protocol error (-32602 naming
 * it, with the nearest names as {@code data.known}); anything the engine answers with a
 * {@link dev.toolhost.api.ToolError} (invalid input, the tool threw, timeout...) is a result with
 * {@code isError: true} and the error JSON as text, so the model sees it and can correct itself.
 * Requests before {@code initialize} are served too (the answers assume the newest revision).
 * Thread-safe: HTTP requests of one session may arrive on several event loops.
 */
public final class McpSession {
  static final String SERVER_NAME = "toolhost";
  static final String SERVER_VERSION = serverVersion();
  /** The names of the sandbox tools a session with a sandbox manager offers. */
  public static final List<String> SANDBOX_TOOLS = SandboxTools.NAMES;

  private final ToolEngine engine;
  /** The sandbox of execute_code and run_command; null when the session has no sandbox tools. */
  private final SessionSandbox sandbox;
  /** Calls in flight by their request id as JSON text (so 1 and "1" differ), for cancellation. */
  private final Map<String, Call> calls = new ConcurrentHashMap<>();
  private volatile String protocolVersion;

  private static final class Call {
    volatile boolean cancelled;
    /** What stops it: the engine's cancel of a catalog call, a kill of a sandbox process (none before it starts). */
    volatile Runnable stop = () -> {};
  }

  /** A session with the catalog's tools only. */
  public McpSession(ToolEngine engine) {
    this.engine = engine;
    this.sandbox = null;
  }

  /** A session with the catalog's tools and the sandbox tools, whose sandbox {@code sandboxes} makes. */
  public McpSession(ToolEngine engine, SandboxManager sandboxes) {
    this.engine = engine;
    this.sandbox = new SessionSandbox(sandboxes);
  }

  /** The revision agreed in {@code initialize}, or null before it. */
  public String protocolVersion() {
    return protocolVersion;
  }

  /** Whether a {@code tools/call} of this session is still running. */
  public boolean busy() {
    return !calls.isEmpty();
  }

  /** Reads one raw message (a stdio line, an HTTP body): text that is not JSON is answered -32700. */
  public Future<JsonNode> handle(byte[] raw) {
    JsonNode json;
    try {
      json = Json.parse(raw);
    } catch (ToolException e) {
      return Future.succeededFuture(parseError(e).toJson());
    }
    return handle(json);
  }

  /** A message's JSON-RPC parse error: -32700 with where the JSON breaks. */
  static JsonRpcError parseError(ToolException notJson) {
    ObjectNode where = Json.MAPPER.createObjectNode();
    notJson.error().writeFields(where);
    return new JsonRpcError(JsonRpcError.PARSE_ERROR, "Parse error: the message is not valid JSON", null,
        where.isEmpty() ? null : where);
  }

  public Future<JsonNode> handle(JsonNode json) {
    JsonRpcMessage message;
    try {
      message = JsonRpcMessage.read(json);
    } catch (JsonRpcError e) {
      return Future.succeededFuture(e.toJson());
    }
    return handle(message);
  }

  public Future<JsonNode> handle(JsonRpcMessage message) {
    switch (message.kind()) {
      case RESPONSE:
        return Future.succeededFuture();  // we send no requests, so there is nothing to match it with
      case NOTIFICATION:
        notification(message);
        return Future.succeededFuture();
      default:
        try {
          return request(message).recover(e -> Future.succeededFuture(internalError(message, e)));
        } catch (JsonRpcError e) {
          return Future.succeededFuture(e.toJson());
        } catch (RuntimeException e) {
          return Future.succeededFuture(internalError(message, e));
        }
    }
  }

  private static JsonNode internalError(JsonRpcMessage message, Throwable e) {
    if (e instanceof JsonRpcError error) return error.toJson();
    return new JsonRpcError(JsonRpcError.INTERNAL_ERROR, "Internal error: " + e, message.id()).toJson();
  }

  private Future<JsonNode> request(JsonRpcMessage message) {
    return switch (message.method()) {
      case "initialize" -> Future.succeededFuture(message.answer(initialize(message)));
      case "ping" -> Future.succeededFuture(message.answer(Json.MAPPER.createObjectNode()));
      case "tools/list" -> Future.succeededFuture(message.answer(listTools(message)));
      case "tools/call" -> callTool(message);
      default -> throw new JsonRpcError(JsonRpcError.METHOD_NOT_FOUND, "Method not found: " + message.method(),
          message.id());
    };
  }

  private void notification(JsonRpcMessage message) {
    if (!message.method().equals("notifications/cancelled") || message.params() == null) return;
    // a notification gets no answer, so a malformed one is dropped
    JsonNode requestId = message.params().get("requestId");
    Call call = requestId == null ? null : calls.get(requestId.toString());
    if (call != null) cancel(call);
  }

  private void cancel(Call call) {
    call.cancelled = true;
    call.stop.run();
  }

  private ObjectNode initialize(JsonRpcMessage message) {
    JsonNode requested = message.paramsObject().get("protocolVersion");
    if (requested == null || !requested.isTextual()) {
      throw new JsonRpcError(JsonRpcError.INVALID_PARAMS, "initialize needs 'protocolVersion', a string", message.id());
    }
    protocolVersion = ProtocolVersions.negotiate(requested.asText());
    ObjectNode result = Json.MAPPER.createObjectNode();
    result.put("protocolVersion", protocolVersion);
    result.putObject("capabilities").putObject("tools").put("listChanged", false);
    result.putObject("serverInfo").put("name", SERVER_NAME).put("title", "Toolhost").put("version", SERVER_VERSION);
    return result;
  }

  private boolean structured() {
    String version = protocolVersion;
    return ProtocolVersions.hasStructuredContent(version == null ? ProtocolVersions.LATEST : version);
  }

  private ObjectNode listTools(JsonRpcMessage message) {
    message.paramsObject();  // an array is INVALID_PARAMS; a cursor is ignored, the list is whole
    ObjectNode result = Json.MAPPER.createObjectNode();
    ArrayNode tools = result.putArray("tools");
    boolean structured = structured();
    Set<String> names = new HashSet<>();
    for (ToolDescriptor tool : engine.catalog().tools()) {
      names.add(tool.name());
      McpTools.definition(tool, structured).ifPresent(tools::add);
    }
    if (sandbox != null) SandboxTools.definitions(structured, names).forEach(tools::add);
    return result;
  }

  private Future<JsonNode> callTool(JsonRpcMessage message) {
    ObjectNode params = message.paramsObject();
    JsonNode name = params.get("name");
    if (name == null || !name.isTextual()) {
      throw new JsonRpcError(JsonRpcError.INVALID_PARAMS, "tools/call needs 'name', the tool's name as a string",
          message.id());
    }
    JsonNode arguments = params.get("arguments");
    if (arguments == null || arguments.isNull()) {
      arguments = Json.MAPPER.createObjectNode();
    } else if (!arguments.isObject()) {
      throw new JsonRpcError(JsonRpcError.INVALID_PARAMS, "'arguments' of tools/call must be an object", message.id());
    }
    String tool = name.asText();
    boolean inCatalog = engine.catalog().find(tool).isPresent();
    boolean builtIn = !inCatalog && sandbox != null && SandboxTools.NAMES.contains(tool);
    if (!inCatalog && !builtIn) throw unknownTool(tool, message);

    Call call = new Call();
    String key = message.id().toString();
    if (calls.putIfAbsent(key, call) != null) {
      throw new JsonRpcError(JsonRpcError.INVALID_REQUEST,
          "Invalid Request: a request with id " + key + " is still in flight", message.id());
    }
    boolean structured = structured();
    Future<JsonNode> answer;
    try {
      answer = builtIn ? callSandboxTool(message, tool, arguments, call, structured)
          : callCatalogTool(message, tool, arguments, call, structured);
    } catch (RuntimeException e) {
      calls.remove(key, call);
      throw e;
    }
    return answer.transform(ar -> {
      calls.remove(key, call);
      // a request the client cancelled gets no answer (MCP cancellation utility)
      if (call.cancelled) return Future.succeededFuture();
      return ar.succeeded() ? Future.succeededFuture(ar.result()) : Future.succeededFuture(internalError(message, ar.cause()));
    });
  }

  private Future<JsonNode> callCatalogTool(JsonRpcMessage message, String tool, JsonNode arguments, Call call,
      boolean structured) {
    String executionId = UUID.randomUUID().toString();
    call.stop = () -> engine.cancel(executionId);
    return engine.invoke(new Invocation(tool, executionId, arguments, Map.of(), null, null))
        .transform(ar -> Future.succeededFuture(answer(message, ar, structured)));
  }

  private Future<JsonNode> callSandboxTool(JsonRpcMessage message, String tool, JsonNode arguments, Call call,
      boolean structured) {
    Future<ExecutionResult> result;
    try {
      result = SandboxTools.call(tool, arguments, sandbox, stop -> {
        call.stop = stop;
        if (call.cancelled) stop.run();  // cancelled while it started
      });
    } catch (ToolException badArguments) {
      return Future.succeededFuture(message.answer(McpTools.failure(badArguments)));
    }
    return result.transform(ar -> {
      if (ar.succeeded()) return Future.succeededFuture(message.answer(McpTools.execution(ar.result(), structured)));
      if (ar.cause() instanceof ToolException e) return Future.succeededFuture(message.answer(McpTools.failure(e)));
      return Future.failedFuture(ar.cause());
    });
  }

  private static JsonNode answer(JsonRpcMessage message, AsyncResult<ToolResult> ar, boolean structured) {
    if (ar.succeeded()) return message.answer(McpTools.success(ar.result(), structured));
    if (ar.cause() instanceof ToolException e) return message.answer(McpTools.failure(e));
    return internalError(message, ar.cause());
  }

  private JsonRpcError unknownTool(String tool, JsonRpcMessage message) {
    var known = engine.catalog().nearest(tool);
    ObjectNode data = Json.MAPPER.createObjectNode().put("tool", tool);
    known.forEach(data.putArray("known")::add);
    return new JsonRpcError(JsonRpcError.INVALID_PARAMS, "Unknown tool: '" + tool + "'"
        + (known.isEmpty() ? "" : " (did you mean " + String.join(", ", known) + "?)"), message.id(), data);
  }

  /**
   * Ends the session: the calls still in flight are cancelled and will not be answered, and its
   * sandbox is torn down; the future completes once it is.
   */
  public Future<Void> close() {
    calls.values().forEach(this::cancel);
    return sandbox == null ? Future.succeededFuture() : sandbox.close();
  }

  private static String serverVersion() {
    String version = McpSession.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
