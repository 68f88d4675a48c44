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
import java.util.List;

/**
 * The engine on the Vert.x event bus (DESIGN.md "Transports"): {@code toolhost.invoke} takes the
 * invocation JSON (a JsonObject, a JSON string or a Buffer) and replies with the answer JSON;
 * a failure is a ReplyException whose code is the HTTP status and whose message is the error
 * JSON. {@code toolhost.tools} replies with the catalog; {@code toolhost.cancel} takes
 * {@code {"executionId": "..."}} and replies {@code {"cancelled": true|false}}; every
 * invocation's start and end is published on {@code toolhost.events}.
 */
public final class EventBusTransport {
  public static final String INVOKE = "toolhost.invoke";
  public static final String TOOLS = "toolhost.tools";
  public static final String CANCEL = "toolhost.cancel";
  public static final String EVENTS = "toolhost.events";

  private final List<MessageConsumer<Object>> consumers;
  private volatile boolean publishing = true;

  private EventBusTransport(List<MessageConsumer<Object>> consumers) {
    this.consumers = consumers;
  }

  public static Future<EventBusTransport> register(Vertx vertx, ToolEngine engine) {
    MessageConsumer<Object> invoke = vertx.eventBus().consumer(INVOKE, msg -> onInvoke(engine, msg));
    MessageConsumer<Object> tools = vertx.eventBus().consumer(TOOLS, msg -> msg.reply(catalog(engine)));
    MessageConsumer<Object> cancel = vertx.eventBus().consumer(CANCEL, msg -> onCancel(engine, msg));
    List<MessageConsumer<Object>> all = List.of(invoke, tools, cancel);
    return Future.all(all.stream().map(MessageConsumer::completion).toList()).map(v -> {
      EventBusTransport transport = new EventBusTransport(all);
      engine.addListener(event -> {
        if (transport.publishing) vertx.eventBus().publish(EVENTS, VertxJson.toJsonObject(event.toJson()));
      });
      return transport;
    });
  }

  private static void onCancel(ToolEngine engine, Message<Object> msg) {
    String id;
    try {
      JsonNode body = parse(msg.body());
      id = body.path("executionId").asText(null);
      if (id == null) throw new ToolException(new InvalidRequest("missing field 'executionId'", "field: executionId"));
    } catch (ToolException e) {
      fail(msg, e);
      return;
    }
    engine.cancel(id).onSuccess(cancelled -> msg.reply(new JsonObject().put("cancelled", cancelled)));
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
        msg.reply(VertxJson.toJsonObject(ar.result().toJson()));
      } else if (ar.cause() instanceof ToolException e) {
        fail(msg, e);
      } else {
        fail(msg, new ToolException(new InvalidRequest("unexpected failure: " + ar.cause())));
      }
    });
  }

  /** A message body (a JsonObject, a JSON string or a Buffer) as a JSON tree. */
  static JsonNode parse(Object body) {
    // tree to tree: no JSON text is written or parsed on the way in
    if (body instanceof JsonObject o) return VertxJson.toTree(o);
    if (body instanceof Buffer b) return Json.parse(b.getBytes());
    if (body instanceof String s) return Json.parse(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    throw new ToolException(new InvalidRequest("the message must be a JSON object, a JSON string or a Buffer",
        "got " + (body == null ? "null" : body.getClass().getSimpleName())));
  }

  /** Fails the request as DESIGN.md says: the HTTP status as the code, the error JSON as the message. */
  static void fail(Message<?> msg, ToolException e) {
    msg.fail(e.error().httpStatus(), e.toJson().toString());
  }

  private static JsonArray catalog(ToolEngine engine) {
    ArrayNode list = Json.MAPPER.createArrayNode();
    for (ToolDescriptor tool : engine.catalog().tools()) list.add(tool.toJson());
    return new JsonArray(Buffer.buffer(Json.bytes(list)));
  }

  public Future<Void> close() {
    publishing = false;
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }
}
