package dev.toolhost.transport.eventbus;

import dev.toolhost.api.InvalidRequest;
import dev.toolhost.api.Invocation;
import dev.toolhost.api.Json;
import dev.toolhost.api.ProcessError;
import dev.toolhost.api.RuntimeUnavailable;
import dev.toolhost.api.Timeout;
import dev.toolhost.api.ToolDescriptor;
import dev.toolhost.api.ToolErrors;
import dev.toolhost.api.ToolException;
import dev.toolhost.api.ToolResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * For agent code on the same or a clustered Vert.x: invocations over the event bus, answered
 * with typed results, and failures as {@link ToolException}s carrying the engine's typed error.
 * No engine on the bus is RUNTIME_UNAVAILABLE; no reply within the send timeout is TIMEOUT.
 */
public final class ToolhostClient {
  private final Vertx vertx;
  private final DeliveryOptions options;

  public ToolhostClient(Vertx vertx) {
    this(vertx, new DeliveryOptions());
  }

  /** @param options delivery options; set a send timeout above the longest tool deadline you use */
  public ToolhostClient(Vertx vertx, DeliveryOptions options) {
    this.vertx = vertx;
    this.options = options;
  }

  /** Runs a tool; fails with the engine's error as a ToolException. */
  public Future<ToolResult> invoke(Invocation invocation) {
    JsonObject request = VertxJson.toJsonObject(invocation.toJson());
    return vertx.eventBus().<JsonObject>request(EventBusTransport.INVOKE, request, options)
        .transform(ar -> ar.succeeded()
            ? Future.succeededFuture(ToolResult.fromJson(VertxJson.toTree(ar.result().body())))
            : Future.failedFuture(failure(ar.cause())));
  }

  /** The engine's catalog. */
  public Future<List<ToolDescriptor>> tools() {
    return vertx.eventBus().<JsonArray>request(EventBusTransport.TOOLS, null, options)
        .transform(ar -> {
          if (ar.failed()) return Future.failedFuture(failure(ar.cause()));
          List<ToolDescriptor> tools = new ArrayList<>();
          Json.parse(ar.result().body().toBuffer().getBytes()).forEach(t -> tools.add(ToolDescriptor.fromJson(t)));
          return Future.succeededFuture(tools);
        });
  }

  /** Cancels the invocation with this execution id; true when one was running. */
  public Future<Boolean> cancel(String executionId) {
    return vertx.eventBus().<JsonObject>request(EventBusTransport.CANCEL, new JsonObject().put("executionId", executionId), options)
        .transform(ar -> ar.succeeded()
            ? Future.succeededFuture(ar.result().body().getBoolean("cancelled", false))
            : Future.failedFuture(failure(ar.cause())));
  }

  private ToolException failure(Throwable cause) {
    if (!(cause instanceof ReplyException reply)) {
      return new ToolException(new ProcessError("event bus failure: " + cause, null, null, null));
    }
    return switch (reply.failureType()) {
      case NO_HANDLERS -> new ToolException(new RuntimeUnavailable("no Toolhost engine listens on the event bus",
          null, "start one with 'toolhost serve' on this (or a clustered) Vert.x"));
      case TIMEOUT -> new ToolException(new Timeout("no answer within the send timeout of "
          + options.getSendTimeout() + " ms", options.getSendTimeout()));
      default -> {
        try {
          yield ToolErrors.fromJson(Json.parse(String.valueOf(reply.getMessage()).getBytes(StandardCharsets.UTF_8)));
        } catch (ToolException notJson) {
          yield new ToolException(new InvalidRequest("the engine failed without an error JSON: " + reply.getMessage()));
        }
      }
    };
  }
}
