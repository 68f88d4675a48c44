package dev.toolhost.engine;

import static dev.toolhost.testing.TestEngines.await;
import static dev.toolhost.testing.TestEngines.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolhost.api.Cancelled;
import dev.toolhost.api.Invocation;
import dev.toolhost.api.Json;
import dev.toolhost.api.Overloaded;
import dev.toolhost.api.PermissionDenied;
import dev.toolhost.api.RuntimeUnavailable;
import dev.toolhost.api.Timeout;
import dev.toolhost.api.ToolException;
import dev.toolhost.api.ToolResult;
import dev.toolhost.testing.TestEngines;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Retry, timeouts and their precedence, the bounded queue, isolation modes and unavailable runtimes. */
@ExtendWith(VertxExtension.class)
class EngineLimitsTest {

  @BeforeEach
  void node() {
    TestEngines.assumeNode();
  }

  private static ToolEngine engine(Vertx vertx, String yaml, Map<String, String> flags) {
    Map<String, String> all = new java.util.HashMap<>(Map.of("runtime", "node", "poolSize", "1"));
    all.putAll(flags);
    return TestEngines.start(vertx, TestEngines.config(TestEngines.testTools(), yaml, all));
  }

  @Test
  void retryableFailuresAreRetriedUntilTheySucceed(Vertx vertx) throws Exception {
    ToolEngine engine = TestEngines.start(vertx, TestEngines.config(TestEngines.sampleTools(),
        "backoff: { initialInterval: 20ms, maxInterval: 100ms, maxElapsedTime: 10s }\nretry: { maxAttempts: 5 }",
        Map.of("runtime", "node", "poolSize", "1")));
    long start = System.nanoTime();
    ToolResult result = await(engine.invoke(Invocation.of("flaky", Json.MAPPER.readTree("{\"failTimes\": 2, \"key\": \"k\"}"))));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(3, result.attempts());
    assertEquals(3, result.output().path("succeededOnCall").asInt());
    assertTrue(ms >= 20 + 40 - 20, "two backoff delays (20 ms, then 40 ms, with jitter) were waited: " + ms + " ms");
    await(engine.close());
  }

  @Test
  void retriesStopAtTheMaximumElapsedTime(Vertx vertx) {
    ToolEngine engine = engine(vertx,
        "backoff: { initialInterval: 100ms, maxInterval: 200ms, maxElapsedTime: 250ms }\nretry: { maxAttempts: 50 }", Map.of());
    ToolException e = failure(engine.invoke(Invocation.of("throws_retryable", null)));
    assertTrue(e.attempts() >= 2 && e.attempts() <= 4, "attempts within 250 ms of backoff: " + e.attempts());
    await(engine.close());
  }

  @Test
  void timeoutPrecedenceIsCallThenToolThenEngine(Vertx vertx) {
    ToolEngine engine = engine(vertx, "timeout: 5s\ntoolOverrides:\n  never_resolves: { timeout: 200ms }", Map.of());
    Timeout byTool = (Timeout) failure(engine.invoke(Invocation.of("never_resolves", null))).error();
    assertEquals(200, byTool.timeoutMs());
    Timeout byCall = (Timeout) failure(engine.invoke(
        Invocation.of("never_resolves", null).withTimeout(Duration.ofMillis(150)))).error();
    assertEquals(150, byCall.timeoutMs());
    await(engine.close());
  }

  @Test
  void configuredRetryOnTimeoutRetriesIt(Vertx vertx) {
    ToolEngine engine = engine(vertx, "retry: { on: [TIMEOUT], maxAttempts: 2 }\n"
        + "backoff: { initialInterval: 10ms, maxInterval: 20ms, maxElapsedTime: 10s }", Map.of());
    ToolException e = failure(engine.invoke(Invocation.of("never_resolves", null).withTimeout(Duration.ofMillis(100))));
    assertInstanceOf(Timeout.class, e.error());
    assertEquals(2, e.attempts());
    await(engine.close());
  }

  @Test
  void aFullQueueAnswersOverloadedAndStartsNothing(Vertx vertx, VertxTestContext test) {
    ToolEngine engine = engine(vertx, "queue: { capacity: 2 }", Map.of());
    List<Future<ToolResult>> calls = new ArrayList<>();
    // calls that hold their slot until the deadline, so the count cannot depend on timing
    for (int i = 0; i < 6; i++) {
      calls.add(engine.invoke(Invocation.of("never_resolves", null).withTimeout(Duration.ofMillis(500))));
    }
    Future.join(calls).onComplete(done -> test.verify(() -> {
      List<ToolException> failures = calls.stream().map(f -> (ToolException) f.cause()).toList();
      long ran = failures.stream().filter(e -> e.error() instanceof Timeout).count();
      List<ToolException> refused = failures.stream().filter(e -> e.error() instanceof Overloaded).toList();
      assertEquals(2, ran, "the two admitted calls ran until their deadline");
      assertEquals(4, refused.size());
      for (ToolException e : refused) {
        Overloaded error = assertInstanceOf(Overloaded.class, e.error());
        assertTrue(error.retryAfterMs() > 0);
        assertEquals(0, e.attempts());
      }
      engine.close().onComplete(test.succeedingThenComplete());
    }));
  }

  @Test
  void freshIsolationUsesANewWorkerForEveryCall(Vertx vertx) {
    ToolEngine engine = engine(vertx, null, Map.of("isolation", "fresh"));
    Set<String> workers = new HashSet<>();
    for (int i = 0; i < 3; i++) workers.add(worker(engine));
    assertEquals(3, workers.size());
    await(engine.close());
  }

  @Test
  void recycleIsolationReplacesAWorkerAfterNCalls(Vertx vertx) {
    ToolEngine engine = engine(vertx, null, Map.of("isolation", "recycle:2"));
    String first = worker(engine);
    assertEquals(first, worker(engine));
    assertNotEquals(first, worker(engine));
    await(engine.close());
  }

  @Test
  void reuseIsolationKeepsTheWarmWorker(Vertx vertx) {
    ToolEngine engine = engine(vertx, null, Map.of());
    String first = worker(engine);
    for (int i = 0; i < 3; i++) assertEquals(first, worker(engine));
    await(engine.close());
  }

  @Test
  void envNamesOutsideTheToolsPolicyAreRefused(Vertx vertx) {
    ToolEngine engine = engine(vertx, "toolOverrides:\n  echo: { permissions: { env: [API_KEY] } }", Map.of());
    ToolException e = failure(engine.invoke(new Invocation("echo", null, null, Map.of("OTHER", "x"), null, null)));
    PermissionDenied error = assertInstanceOf(PermissionDenied.class, e.error());
    assertEquals("env", error.permission());
    assertEquals("OTHER", error.target());
    await(engine.invoke(new Invocation("echo", null, null, Map.of("API_KEY", "x"), null, null)));
    await(engine.close());
  }

  @Test
  void aRuntimeThatIsNotThereIsRuntimeUnavailableWithAHint(Vertx vertx) {
    ToolEngine engine = engine(vertx, null, Map.of("bun.path", "/nonexistent/bun"));
    ToolException e = failure(engine.invoke(Invocation.of("echo", null).withRuntime("bun")));
    RuntimeUnavailable error = assertInstanceOf(RuntimeUnavailable.class, e.error());
    assertEquals("bun", error.runtime());
    assertTrue(error.hint() != null && !error.hint().isEmpty());
    await(engine.close());
  }

  @Test
  void aMissingNodeBinaryIsReportedByDoctorAndOnInvoke(Vertx vertx) {
    ToolEngine engine = TestEngines.start(vertx, TestEngines.config(TestEngines.testTools(), null,
        Map.of("runtime", "node", "node.path", "/nonexistent/node")));
    var node = await(engine.doctor()).stream().filter(a -> a.runtime().equals("node")).findFirst().orElseThrow();
    assertTrue(!node.usable() && node.detail().contains("/nonexistent/node"), node.detail());
    ToolException e = failure(engine.invoke(Invocation.of("echo", null)));
    assertTrue(e.error() instanceof RuntimeUnavailable || e.error().type().equals("TOOL_NOT_FOUND"),
        "without a runtime to describe them, no tools are known: " + e.error());
    assertTrue(engine.catalog().errors().stream().anyMatch(err -> err.message().contains("node")));
    await(engine.close());
  }

  @Test
  void cancellingAnInvocationStopsItsWorkerAndAnswersCancelled(Vertx vertx) {
    ToolEngine engine = engine(vertx, null, Map.of());
    String before = worker(engine);
    // cancelled once it runs on the worker: a call cancelled before that leaves the worker be
    Promise<Void> running = Promise.promise();
    Future<ToolResult> call = engine.invoke(new Invocation("starts_then_waits", "to-cancel", null, Map.of(), null, null),
        log -> running.tryComplete());
    await(running.future());
    assertEquals(false, await(engine.cancel("no-such-execution")));
    assertEquals(true, await(engine.cancel("to-cancel")));
    ToolException e = failure(call);
    assertInstanceOf(Cancelled.class, e.error());
    assertEquals(499, e.error().httpStatus());
    assertNotEquals(before, worker(engine), "the cancelled call's worker was killed and replaced");
    await(engine.close());
  }

  @Test
  void aSecondInvocationWithARunningExecutionIdIsRefused(Vertx vertx) {
    ToolEngine engine = engine(vertx, null, Map.of("poolSize", "2"));
    Future<ToolResult> first = engine.invoke(new Invocation("never_resolves", "same-id", null, Map.of(), null, null));
    ToolException e = failure(engine.invoke(new Invocation("echo", "same-id", null, Map.of(), null, null)));
    assertEquals("INVALID_REQUEST", e.error().type());
    await(engine.cancel("same-id"));
    assertInstanceOf(Cancelled.class, failure(first).error());
    await(engine.close());
  }

  /** Which worker served a call: its scratch directory (pids repeat across sandboxes' PID namespaces). */
  private static String worker(ToolEngine engine) {
    JsonNode out = await(engine.invoke(Invocation.of("worker_pid", null))).output();
    return out.path("worker").asText();
  }
}
