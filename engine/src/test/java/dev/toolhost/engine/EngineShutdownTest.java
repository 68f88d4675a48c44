package dev.toolhost.engine;

import static dev.toolhost.testing.TestEngines.await;
import static dev.toolhost.testing.TestEngines.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.api.Cancelled;
import dev.toolhost.api.Invocation;
import dev.toolhost.api.Json;
import dev.toolhost.api.RuntimeUnavailable;
import dev.toolhost.api.ToolResult;
import dev.toolhost.testing.TestEngines;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Graceful shutdown: stop accepting, let calls in flight finish up to the drain timeout, then stop. */
@ExtendWith(VertxExtension.class)
class EngineShutdownTest {

  @Test
  void callsInFlightFinishAndNewOnesAreRefused(Vertx vertx) {
    ToolEngine engine = TestEngines.start(vertx, TestEngines.config(TestEngines.sampleTools(), null,
        Map.of("drainTimeout", "10s")));
    await(engine.invoke(Invocation.of("slow", Json.MAPPER.createObjectNode().put("ms", 1))));  // warm
    Future<ToolResult> inFlight = engine.invoke(Invocation.of("slow", Json.MAPPER.createObjectNode().put("ms", 300)));
    Future<Void> closing = engine.close();
    RuntimeUnavailable refused = assertInstanceOf(RuntimeUnavailable.class,
        failure(engine.invoke(Invocation.of("greet", Json.MAPPER.createObjectNode().put("name", "x")))).error());
    assertTrue(refused.message().contains("shutting down"));
    assertEquals(300, await(inFlight).output().path("sleptMs").asInt(), "the call in flight finished");
    await(closing);
  }

  @Test
  void callsStillRunningAtTheDrainTimeoutAreStopped(Vertx vertx) {
    ToolEngine engine = TestEngines.start(vertx, TestEngines.config(TestEngines.sampleTools(), null,
        Map.of("drainTimeout", "200ms")));
    Future<ToolResult> stuck = engine.invoke(Invocation.of("slow", Json.MAPPER.createObjectNode().put("ms", 60_000)));
    long start = System.nanoTime();
    await(engine.close());
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(ms >= 200 && ms < 10_000, "closed after " + ms + " ms");
    assertInstanceOf(Cancelled.class, failure(stuck).error());
  }
}
