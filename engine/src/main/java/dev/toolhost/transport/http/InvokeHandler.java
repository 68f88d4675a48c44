package dev.toolhost.transport.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolhost.api.InvalidRequest;
import dev.toolhost.api.Invocation;
import dev.toolhost.api.Json;
import dev.toolhost.api.LogEntry;
import dev.toolhost.api.ToolException;
import dev.toolhost.api.ToolResult;
import dev.toolhost.engine.ToolEngine;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import java.util.function.Supplier;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/**
 * {@code POST /v1/tools/{id}/invoke}: the body {@code {input, env, timeoutMs, runtime,
 * executionId}} (every field optional, an empty body is {@code {}}) with the path's id as
 * {@code tool} goes through {@link Invocation#fromJson}, as on the event bus, so the answers are
 * the same: 200 and the answer JSON, or the error JSON with its status.
 *
 * <p>With {@code ?stream=true} the answer is {@code text/event-stream}: an {@code event: log}
 * per line the tool logs, as it arrives, then {@code event: result} (the answer JSON) or
 * {@code event: error} (the error JSON), then the end. A request that cannot be read (not JSON,
 * not an object, a bad field) is answered 400 before any stream starts.
 */
final class InvokeHandler implements Handler<RoutingContext> {
  private final ToolEngine engine;
  private final Supplier<CatalogSnapshot> catalog;

  InvokeHandler(ToolEngine engine, Supplier<CatalogSnapshot> catalog) {
    this.engine = engine;
    this.catalog = catalog;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String pathId = ctx.pathParam("id");
    String tool = catalog.get().names().resolve(pathId);
    Invocation invocation;
    try {
      invocation = Invocation.fromJson(request(ctx, pathId, tool));
    } catch (ToolException e) {
      // nothing ran: no attempt, and the tool is known from the path even when the body is unreadable
      ErrorResponses.send(ctx, new ToolException(e.error(), tool, null, 0, false));
      return;
    }
    if ("true".equals(ctx.request().getParam("stream"))) {
      stream(ctx, invocation);
    } else {
      engine.invoke(invocation).onComplete(ar -> answer(ctx, ar));
    }
  }

  private static void answer(RoutingContext ctx, AsyncResult<ToolResult> ar) {
    if (ar.succeeded()) {
      JsonResponses.send(ctx, 200, ar.result().toJson());
    } else {
      ErrorResponses.send(ctx, ar.cause());
    }
  }

  private void stream(RoutingContext ctx, Invocation request) {
    // an id of our own when the caller gave none, so a client that goes away can be cancelled
    Invocation invocation = request.executionId() != null ? request
        : request.withExecutionId(UUID.randomUUID().toString());
    ServerSentEvents events = ServerSentEvents.open(ctx.response());
    ctx.response().closeHandler(v -> {
      if (!ctx.response().ended()) engine.cancel(invocation.executionId());
    });
    Context loop = Vertx.currentContext();
    engine.invoke(invocation, log -> onLoop(loop, () -> events.send("log", json(log)))).onComplete(ar ->
        // after every log line: those were queued on this loop before the outcome was
        onLoop(loop, () -> {
          if (ar.succeeded()) {
            events.end("result", ar.result().toJson());
          } else if (ar.cause() instanceof ToolException e) {
            events.end("error", e.toJson());
          } else {
            events.end("error", ErrorResponses.body(ErrorResponses.INTERNAL_ERROR, "unexpected failure: " + ar.cause()));
          }
        }));
  }

  /** Runs on the request's event loop, in the order of the calls: logs come from runtime threads. */
  private static void onLoop(Context loop, Runnable action) {
    loop.runOnContext(v -> action.run());
  }

  private static ObjectNode json(LogEntry log) {
    return Json.MAPPER.createObjectNode().put("level", log.level()).put("message", log.message());
  }

  /** The body as a JSON object with {@code tool} set to the tool the path names. */
  private static ObjectNode request(RoutingContext ctx, String pathId, String tool) {
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (type != null && type.regionMatches(true, 0, "multipart/", 0, "multipart/".length())) {
      throw invalid("the body must be a JSON object, not " + type, "content-type: " + type);
    }
    Buffer raw = RequestBody.of(ctx);
    JsonNode body = raw.length() == 0 ? Json.MAPPER.createObjectNode() : Json.parse(raw.getBytes());
    if (!body.isObject()) {
      throw invalid("the body must be a JSON object", "got a JSON " + body.getNodeType().name().toLowerCase());
    }
    ObjectNode request = (ObjectNode) body;
    JsonNode named = request.get("tool");
    if (named != null && !named.isNull()
        && !(named.isTextual() && (named.asText().equals(pathId) || named.asText().equals(tool)))) {
      throw invalid("the body names another tool than the path", "field: tool");
    }
    request.put("tool", tool);
    return request;
  }

  private static ToolException invalid(String message, String details) {
    return new ToolException(new InvalidRequest(message, details));
  }
}
