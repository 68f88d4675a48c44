package dev.toolhost.transport.eventbus;

import static dev.toolhost.testing.TestEngines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.engine.ToolEngine;
import dev.toolhost.testing.TestEngines;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The event bus contract: the invocation JSON in, the answer JSON back, failures as ReplyException(status, error JSON). */
@ExtendWith(VertxExtension.class)
class EventBusTransportTest {
  private static Vertx vertx;
  private static ToolEngine engine;

  @BeforeAll
  static void start() {
    TestEngines.assumeNode();
    vertx = Vertx.vertx();
    engine = TestEngines.start(vertx, TestEngines.config(TestEngines.sampleTools(), null, Map.of("runtime", "node")));
    await(EventBusTransport.register(vertx, engine));
  }

  @AfterAll
  static void stop() {
    if (engine != null) await(engine.close());
    if (vertx != null) await(vertx.close());
  }

  @Test
  void aJsonObjectRequestGetsTheAnswerJson(VertxTestContext test) {
    JsonObject request = new JsonObject().put("tool", "greet").put("executionId", "bus-1")
        .put("input", new JsonObject().put("name", "Ada"));
    vertx.eventBus().<JsonObject>request(EventBusTransport.INVOKE, request).onComplete(test.succeeding(reply ->
        test.verify(() -> {
          JsonObject answer = reply.body();
          assertEquals("Hello, Ada!", answer.getJsonObject("output").getString("message"));
          assertEquals("bus-1", answer.getString("executionId"));
          assertEquals("node", answer.getString("runtime"));
          assertEquals(1, answer.getInteger("attempts"));
          test.completeNow();
        })));
  }

  @Test
  void aJsonStringAndABufferAreAcceptedToo(VertxTestContext test) {
    String json = "{\"tool\":\"shout\",\"input\":{\"text\":\"hi\"}}";
    vertx.eventBus().<JsonObject>request(EventBusTransport.INVOKE, json)
        .compose(r -> {
          assertEquals("HI", r.body().getJsonObject("output").getString("text"));
          return vertx.eventBus().<JsonObject>request(EventBusTransport.INVOKE, Buffer.buffer(json));
        })
        .onComplete(test.succeeding(r -> test.verify(() -> {
          assertEquals("HI", r.body().getJsonObject("output").getString("text"));
          test.completeNow();
        })));
  }

  @Test
  void aMessageThatIsNotJsonFailsWith400AndTheErrorJson(VertxTestContext test) {
    vertx.eventBus().request(EventBusTransport.INVOKE, "{not json").onComplete(test.failing(e -> test.verify(() -> {
      ReplyException reply = assertInstanceOf(ReplyException.class, e);
      assertEquals(400, reply.failureCode());
      JsonObject error = new JsonObject(reply.getMessage()).getJsonObject("error");
      assertEquals("INVALID_REQUEST", error.getString("type"));
      test.completeNow();
    })));
  }

  @Test
  void aRequestWithoutToolFailsWith400NamingTheField(VertxTestContext test) {
    vertx.eventBus().request(EventBusTransport.INVOKE, new JsonObject().put("input", new JsonObject()))
        .onComplete(test.failing(e -> test.verify(() -> {
          ReplyException reply = (ReplyException) e;
          assertEquals(400, reply.failureCode());
          assertTrue(reply.getMessage().contains("tool"), reply.getMessage());
          test.completeNow();
        })));
  }

  @Test
  void anUnknownToolFailsWith404AndNearNames(VertxTestContext test) {
    vertx.eventBus().request(EventBusTransport.INVOKE, new JsonObject().put("tool", "gret"))
        .onComplete(test.failing(e -> test.verify(() -> {
          ReplyException reply = (ReplyException) e;
          assertEquals(404, reply.failureCode());
          JsonObject error = new JsonObject(reply.getMessage()).getJsonObject("error");
          assertEquals("TOOL_NOT_FOUND", error.getString("type"));
          assertTrue(error.getJsonArray("known").contains("greet"));
          test.completeNow();
        })));
  }

  @Test
  void aToolErrorFailsWith422(VertxTestContext test) {
    vertx.eventBus().request(EventBusTransport.INVOKE,
        new JsonObject().put("tool", "lookup_user").put("input", new JsonObject().put("id", "nobody")))
        .onComplete(test.failing(e -> test.verify(() -> {
          ReplyException reply = (ReplyException) e;
          assertEquals(422, reply.failureCode());
          JsonObject error = new JsonObject(reply.getMessage()).getJsonObject("error");
          assertEquals("NOT_FOUND", error.getString("code"));
          test.completeNow();
        })));
  }

  @Test
  void theCancelAddressCancelsAnInvocationInFlight(VertxTestContext test) {
    JsonObject slow = new JsonObject().put("tool", "slow").put("executionId", "bus-cancel")
        .put("input", new JsonObject().put("ms", 60_000));
    vertx.eventBus().request(EventBusTransport.INVOKE, slow).onComplete(test.failing(e -> test.verify(() -> {
      ReplyException reply = (ReplyException) e;
      assertEquals(499, reply.failureCode());
      assertEquals("CANCELLED", new JsonObject(reply.getMessage()).getJsonObject("error").getString("type"));
      test.completeNow();
    })));
    // the invocation is registered synchronously on arrival; cancel once it is running
    vertx.setTimer(200, t -> vertx.eventBus().<JsonObject>request(EventBusTransport.CANCEL,
        new JsonObject().put("executionId", "bus-cancel")).onComplete(test.succeeding(r ->
            test.verify(() -> assertEquals(true, r.body().getBoolean("cancelled"))))));
  }

  @Test
  void theToolsAddressRepliesWithTheCatalog(VertxTestContext test) {
    vertx.eventBus().<JsonArray>request(EventBusTransport.TOOLS, null).onComplete(test.succeeding(r -> test.verify(() -> {
      assertTrue(r.body().stream().map(o -> ((JsonObject) o).getString("name")).anyMatch("greet"::equals));
      test.completeNow();
    })));
  }
}
