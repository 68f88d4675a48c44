package dev.toolhost.transport.eventbus;

import static dev.toolhost.testing.TestEngines.await;
import static dev.toolhost.testing.TestEngines.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.api.Cancelled;
import dev.toolhost.api.InvalidInput;
import dev.toolhost.api.Invocation;
import dev.toolhost.api.Json;
import dev.toolhost.api.RuntimeUnavailable;
import dev.toolhost.api.ToolDescriptor;
import dev.toolhost.api.ToolException;
import dev.toolhost.api.ToolFailure;
import dev.toolhost.api.ToolResult;
import dev.toolhost.engine.ToolEngine;
import dev.toolhost.testing.TestEngines;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Java client over the event bus: typed results and errors, catalog, cancel, and the events address. */
@ExtendWith(VertxExtension.class)
class ToolhostClientTest {
  private static Vertx vertx;
  private static ToolEngine engine;
  private static ToolhostClient client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    engine = TestEngines.start(vertx, TestEngines.config(TestEngines.sampleTools(), null, Map.of()));
    await(EventBusTransport.register(vertx, engine));
    client = new ToolhostClient(vertx);
  }

  @AfterAll
  static void stop() {
    if (engine != null) await(engine.close());
    if (vertx != null) await(vertx.close());
  }

  @Test
  void anInvocationComesBackAsATypedResult() {
    ToolResult result = await(client.invoke(Invocation.of("greet", Json.MAPPER.createObjectNode().put("name", "Ada"))));
    assertEquals("Hello, Ada!", result.output().path("message").asText());
    assertEquals("graaljs", result.runtime());
    assertEquals(1, result.attempts());
  }

  @Test
  void failuresComeBackAsTheEnginesTypedErrors() {
    ToolException invalid = failure(client.invoke(Invocation.of("greet", Json.MAPPER.createObjectNode())));
    assertEquals("/name", assertInstanceOf(InvalidInput.class, invalid.error()).violations().get(0).pointer());
    ToolException thrown = failure(client.invoke(Invocation.of("lookup_user", Json.MAPPER.createObjectNode().put("id", "zz"))));
    assertEquals("NOT_FOUND", assertInstanceOf(ToolFailure.class, thrown.error()).code());
    assertEquals("lookup_user", thrown.tool());
  }

  @Test
  void theCatalogAndCancel() {
    List<ToolDescriptor> tools = await(client.tools());
    assertTrue(tools.stream().anyMatch(t -> t.name().equals("greet") && t.inputSchema() != null));
    Future<ToolResult> slow = client.invoke(new Invocation("slow", "client-cancel",
        Json.MAPPER.createObjectNode().put("ms", 60_000), Map.of(), null, null));
    long deadline = System.currentTimeMillis() + 5_000;
    boolean cancelled = false;
    while (!cancelled && System.currentTimeMillis() < deadline) cancelled = await(client.cancel("client-cancel"));
    assertTrue(cancelled);
    assertInstanceOf(Cancelled.class, failure(slow).error());
  }

  @Test
  void withNoEngineOnTheBusTheClientSaysSo() {
    Vertx other = Vertx.vertx();
    try {
      ToolException e = failure(new ToolhostClient(other).invoke(Invocation.of("greet", null)));
      assertInstanceOf(RuntimeUnavailable.class, e.error());
    } finally {
      await(other.close());
    }
  }

  @Test
  void startAndEndOfEveryInvocationArePublished(VertxTestContext test) {
    List<JsonObject> events = new ArrayList<>();
    var consumer = vertx.eventBus().<JsonObject>consumer(EventBusTransport.EVENTS, m -> {
      if ("events-1".equals(m.body().getString("executionId"))) events.add(m.body());
    });
    consumer.completion()
        .compose(v -> client.invoke(new Invocation("greet", "events-1", Json.MAPPER.createObjectNode().put("name", "E"),
            Map.of(), null, null)))
        .onComplete(test.succeeding(r -> vertx.setTimer(100, t -> test.verify(() -> {
          assertEquals(List.of("started", "finished"), events.stream().map(e -> e.getString("event")).toList());
          assertEquals("graaljs", events.get(1).getString("runtime"));
          assertTrue(events.get(1).getDouble("durationMs") > 0);
          consumer.unregister();
          test.completeNow();
        }))));
  }
}
