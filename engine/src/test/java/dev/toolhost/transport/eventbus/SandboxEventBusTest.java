package dev.toolhost.transport.eventbus;

import static dev.toolhost.testing.TestEngines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.toolhost.sandbox.SandboxFixture;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Sandboxes on the event bus: the JSON of the HTTP routes, failures as ReplyException(status, error JSON), events published. */
class SandboxEventBusTest {
  @Test
  void aSandboxIsDrivenOverTheBusAndItsEventsArePublished() throws Exception {
    try (SandboxFixture f = SandboxFixture.start()) {
      SandboxEventBus transport = await(SandboxEventBus.register(f.vertx, f.manager));
      EventBus bus = f.vertx.eventBus();
      BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
      await(bus.<JsonObject>consumer(SandboxEventBus.EVENTS, m -> events.add(m.body())).completion());

      JsonObject created = request(bus, "create", new JsonObject().put("type", "local"));
      assertEquals("ready", created.getString("status"));
      String id = created.getString("id");
      request(bus, "files.write", new JsonObject().put("id", id).put("path", "src/hello.sh")
          .put("content", Base64.getEncoder().encodeToString("echo hello from $1".getBytes())));
      JsonArray entries = request(bus, "files.list", new JsonObject().put("id", id)).getJsonArray("entries");
      assertEquals("src/hello.sh", entries.getJsonObject(1).getString("path"));
      JsonObject exec = request(bus, "exec", new JsonObject().put("id", id).put("command", "bash")
          .put("args", new JsonArray(List.of("src/hello.sh", "the bus"))));
      assertEquals("hello from the bus\n", exec.getString("stdout"));
      JsonObject executed = request(bus, "execute", new JsonObject().put("id", id).put("code", "print(6 * 7)").put("language", "py"));
      assertEquals("42\n", executed.getString("stdout"));

      JsonObject exit = events.poll(30, TimeUnit.SECONDS);
      assertEquals(id, exit.getString("sandbox"));
      assertEquals("process-exit", exit.getString("event"));
      assertEquals(0, exit.getInteger("exitCode"));

      ReplyException traversal = failure(bus, "files.read", new JsonObject().put("id", id).put("path", "../../etc/passwd"));
      assertEquals(400, traversal.failureCode());
      assertEquals("INVALID_REQUEST", new JsonObject(traversal.getMessage()).getJsonObject("error").getString("type"));
      ReplyException missingFile = failure(bus, "files.read", new JsonObject().put("id", id).put("path", "no/such.txt"));
      assertEquals(404, missingFile.failureCode());
      JsonObject missingFileError = new JsonObject(missingFile.getMessage()).getJsonObject("error");
      assertEquals("NOT_FOUND", missingFileError.getString("type"));
      assertEquals("file", missingFileError.getString("resource"));
      assertEquals("no/such.txt", missingFileError.getString("name"));
      assertEquals(true, request(bus, "delete", new JsonObject().put("id", id)).getBoolean("deleted"));
      ReplyException gone = failure(bus, "exec", new JsonObject().put("id", id).put("command", "true"));
      assertEquals(404, gone.failureCode());
      JsonObject goneError = new JsonObject(gone.getMessage()).getJsonObject("error");
      assertEquals("NOT_FOUND", goneError.getString("type"));
      assertEquals("sandbox", goneError.getString("resource"));
      assertEquals(id, goneError.getString("name"));
      assertEquals(400, failure(bus, "create", new JsonObject().put("type", "vm")).failureCode());
      await(transport.close());
    }
  }

  private static JsonObject request(EventBus bus, String address, JsonObject body) {
    Message<JsonObject> reply = await(bus.request(SandboxEventBus.PREFIX + address, body));
    return reply.body();
  }

  private static ReplyException failure(EventBus bus, String address, JsonObject body) {
    RuntimeException e = assertThrows(RuntimeException.class, () -> await(bus.request(SandboxEventBus.PREFIX + address, body)));
    Throwable cause = e instanceof ReplyException ? e : e.getCause();
    return assertInstanceOf(ReplyException.class, cause, String.valueOf(e));
  }
}
