package dev.toolhost.transport.eventbus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.toolhost.api.InvalidRequest;
import dev.toolhost.api.Invocation;
import dev.toolhost.api.Json;
import dev.toolhost.api.ToolDescriptor;
import dev.toolhost.api.ToolException;
import dev.toolhost.engine.ToolEngine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The engine on the Vert.x event bus (DESIGN.md "Transports"): {@code toolhost.invoke} takes the
 * invocation JSON (a JsonObject, a JSON string or a Buffer) and replies with the answer JSON;
 * a failure is a ReplyException whose code is the HTTP status and whose message is the error
 * JSON. {@code toolhost.tools} replies with the catalog.
 */
public final class EventBusTransport {
  public static final String INVOKE = "toolhost.invoke";
  public static final String TOOLS = "toolhost.tools";

  private final MessageConsumer<Object> invoke;
  private final MessageConsumer<Object> tools;

  private EventBusTransport(MessageConsumer<Object> invoke, MessageConsumer<Object> tools) {
    this.invoke = invoke;
    this.tools = tools;
  }

  public static Future<EventBusTransport> register(Vertx vertx, ToolEngine engine) {
    MessageConsumer<Object> invoke = vertx.eventBus().consumer(INVOKE, msg -> onInvoke(engine, msg));
    MessageConsumer<Object> tools = vertx.eventBus().consumer(TOOLS, msg -> msg.reply(catalog(engine)));
    return Future.all(invoke.completion(), tools.completion()).map(v -> new EventBusTransport(invoke, tools));
  }

  private static void onInvoke(ToolEngine engine, Message<Object> msg) {
    Invocation invocation;
    try {
      invocation = Invocation.fromJson(parse(msg.body()));
    } catch (ToolException e) {
      fail(msg, e);
      return;
    }
    engine.invoke(invocation).onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(new JsonObject(Buffer.buffer(Json.bytes(ar.result().toJson()))));
      } else if (ar.cause() instanceof ToolException e) {
        fail(msg, e);
      } else {
        fail(msg, new ToolException(new InvalidRequest("unexpected failure: " + ar.cause())));
      }
    });
  }

  private static JsonNode parse(Object body) {
    if (body instanceof JsonObject o) return Json.parse(o.toBuffer().getBytes());
    if (body instanceof Buffer b) return Json.parse(b.getBytes());
    if (body instanceof String s) return Json.parse(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    throw new ToolException(new InvalidRequest("the message must be a JSON object, a JSON string or a Buffer",
        "got " + (body == null ? "null" : body.getClass().getSimpleName())));
  }

  private static void fail(Message<Object> msg, ToolException e) {
    msg.fail(e.error().httpStatus(), e.toJson().toString());
  }

  private static JsonArray catalog(ToolEngine engine) {
    ArrayNode list = Json.MAPPER.createArrayNode();
    for (ToolDescriptor tool : engine.catalog().tools()) list.add(tool.toJson());
    return new JsonArray(Buffer.buffer(Json.bytes(list)));
  }

  public Future<Void> close() {
    return Future.all(invoke.unregister(), tools.unregister()).mapEmpty();
  }
}
