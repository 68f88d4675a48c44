package dev.toolhost.transport.eventbus;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolhost.api.InvalidRequest;
import dev.toolhost.api.Json;
import dev.toolhost.api.ToolException;
import dev.toolhost.sandbox.DevServer;
import dev.toolhost.sandbox.ExecResult;
import dev.toolhost.sandbox.ExecutionResult;
import dev.toolhost.sandbox.FileEntry;
import dev.toolhost.sandbox.Sandbox;
import dev.toolhost.sandbox.SandboxManager;
import dev.toolhost.sandbox.SandboxProcess;
import dev.toolhost.sandbox.SandboxRequest;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Sandboxes on the event bus, request/reply with the JSON of the HTTP routes and the same
 * failures as {@code toolhost.invoke} (a ReplyException: HTTP status as code, error JSON as
 * message). Every request but {@code create} names its sandbox in {@code id}; an id that is not
 * live fails with 404. File contents travel as base64 in {@code content}. Every sandbox's events
 * are published on {@value #EVENTS} as {@code {sandbox, event, ...fields}}.
 */
public final class SandboxEventBus {
  public static final String PREFIX = "toolhost.sandbox.";
  public static final String EVENTS = PREFIX + "events";

  private final List<MessageConsumer<Object>> consumers;
  private volatile boolean publishing = true;

  private SandboxEventBus(List<MessageConsumer<Object>> consumers) {
    this.consumers = consumers;
  }

  public static Future<SandboxEventBus> register(Vertx vertx, SandboxManager manager) {
    List<MessageConsumer<Object>> consumers = new ArrayList<>();
    consumers.add(vertx.eventBus().consumer(PREFIX + "create", msg -> {
      try {
        manager.create(request(msg).spec()).onComplete(ar -> reply(msg, ar.map(Sandbox::toJson)));
      } catch (ToolException e) {
        EventBusTransport.fail(msg, e);
      }
    }));
    consumers.add(vertx.eventBus().consumer(PREFIX + "delete", msg -> {
      try {
        manager.teardown(request(msg).requiredText("id")).onComplete(ar ->
            reply(msg, ar.map(deleted -> Json.MAPPER.createObjectNode().put("deleted", deleted))));
      } catch (ToolException e) {
        EventBusTransport.fail(msg, e);
      }
    }));
    bind(vertx, manager, consumers, "files.write", (sandbox, r) -> sandbox.writeFile(r.requiredText("path"),
        Buffer.buffer(base64(r.text("content")))).map(v -> Json.MAPPER.createObjectNode()));
    bind(vertx, manager, consumers, "files.read", (sandbox, r) -> sandbox.readFile(r.requiredText("path"))
        .map(content -> Json.MAPPER.createObjectNode().put("content", Base64.getEncoder().encodeToString(content.getBytes()))));
    bind(vertx, manager, consumers, "files.delete", (sandbox, r) -> sandbox.deleteFile(r.requiredText("path"))
        .map(v -> Json.MAPPER.createObjectNode()));
    bind(vertx, manager, consumers, "files.list", (sandbox, r) -> sandbox.list(r.text("path"))
        .map(FileEntry::toJson));
    bind(vertx, manager, consumers, "exec", (sandbox, r) -> sandbox.exec(r.requiredText("command"), r.strings("args"),
        r.execOptions()).compose(SandboxProcess::result).map(ExecResult::toJson));
    bind(vertx, manager, consumers, "execute", (sandbox, r) -> sandbox.execute(r.requiredText("code"), r.language(),
        r.execOptions()).map(ExecutionResult::toJson));
    bind(vertx, manager, consumers, "dev-server", (sandbox, r) -> sandbox.startDevServer(r.devServer())
        .map(DevServer::toJson));
    SandboxEventBus transport = new SandboxEventBus(List.copyOf(consumers));
    manager.addListener((sandbox, event) -> {
      if (!transport.publishing) return;
      ObjectNode body = Json.MAPPER.createObjectNode().put("sandbox", sandbox.id()).put("event", event.name());
      body.setAll(event.toJson());
      vertx.eventBus().publish(EVENTS, VertxJson.toJsonObject(body));
    });
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).map(transport);
  }

  /** A request naming a sandbox: {@code call} runs with it, its failure or answer is the reply. */
  private static void bind(Vertx vertx, SandboxManager manager, List<MessageConsumer<Object>> consumers, String name,
      BiFunction<Sandbox, SandboxRequest, Future<ObjectNode>> call) {
    consumers.add(vertx.eventBus().consumer(PREFIX + name, msg -> {
      try {
        SandboxRequest request = request(msg);
        String id = request.requiredText("id");
        call.apply(manager.require(id), request).onComplete(ar -> reply(msg, ar));
      } catch (ToolException e) {
        EventBusTransport.fail(msg, e);
      }
    }));
  }

  private static SandboxRequest request(Message<Object> msg) {
    return SandboxRequest.of(EventBusTransport.parse(msg.body()));
  }

  private static void reply(Message<Object> msg, AsyncResult<ObjectNode> ar) {
    if (ar.succeeded()) {
      msg.reply(VertxJson.toJsonObject(ar.result()));
    } else if (ar.cause() instanceof ToolException e) {
      EventBusTransport.fail(msg, e);
    } else {
      EventBusTransport.fail(msg, new ToolException(new InvalidRequest("unexpected failure: " + ar.cause())));
    }
  }

  private static byte[] base64(String content) {
    if (content == null) return new byte[0];
    try {
      return Base64.getDecoder().decode(content);
    } catch (IllegalArgumentException e) {
      throw SandboxRequest.invalid("field 'content' must be base64", "content");
    }
  }

  public Future<Void> close() {
    publishing = false;
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }
}
