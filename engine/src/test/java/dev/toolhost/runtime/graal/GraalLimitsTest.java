package dev.toolhost.runtime.graal;

import static dev.toolhost.testing.TestEngines.await;
import static dev.toolhost.testing.TestEngines.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.api.Invocation;
import dev.toolhost.api.Timeout;
import dev.toolhost.api.ToolException;
import dev.toolhost.engine.ToolEngine;
import dev.toolhost.runtime.Availability;
import dev.toolhost.testing.TestEngines;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Statement limits, fresh isolation and what doctor says about the GraalJS runtime. */
@ExtendWith(VertxExtension.class)
class GraalLimitsTest {

  private static ToolEngine engine(Vertx vertx, Map<String, String> flags) {
    Map<String, String> all = new java.util.HashMap<>(Map.of("runtime", "graaljs", "poolSize", "1"));
    all.putAll(flags);
    return TestEngines.start(vertx, TestEngines.config(GraalSandboxTest.sandboxTools(), null, all));
  }

  @Test
  void aRunawayLoopHitsTheStatementLimitLongBeforeALongDeadline(Vertx vertx) {
    ToolEngine engine = engine(vertx, Map.of("graaljs.statementLimit", "1000000", "timeout", "60s"));
    long start = System.nanoTime();
    ToolException e = failure(engine.invoke(Invocation.of("infinite_loop", null)));
    long ms = (System.nanoTime() - start) / 1_000_000;
    Timeout error = assertInstanceOf(Timeout.class, e.error());
    assertTrue(error.message().contains("statement limit"), error.message());
    assertTrue(ms < 30_000, "stopped by the statement limit, not the 60 s deadline: " + ms + " ms");
    assertTrue(await(engine.invoke(Invocation.of("ping", null))).output().path("pong").asBoolean());
    await(engine.close());
  }

  @Test
  void freshIsolationGivesEveryCallANewContext(Vertx vertx) {
    ToolEngine engine = engine(vertx, Map.of("isolation", "fresh"));
    for (int i = 0; i < 3; i++) {
      assertEquals(1, await(engine.invoke(Invocation.of("counter", null))).output().path("calls").asInt());
    }
    await(engine.close());
  }

  @Test
  void doctorSaysWhetherTheJitOrTheInterpreterRuns(Vertx vertx) {
    ToolEngine engine = engine(vertx, Map.of());
    Availability graal = await(engine.doctor()).stream().filter(a -> a.runtime().equals("graaljs")).findFirst().orElseThrow();
    assertTrue(graal.usable());
    assertTrue(graal.detail().contains("interpreter") || graal.detail().contains("JIT"), graal.detail());
    await(engine.close());
  }
}
