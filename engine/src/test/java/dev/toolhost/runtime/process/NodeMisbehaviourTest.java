package dev.toolhost.runtime.process;

import static dev.toolhost.testing.TestEngines.await;
import static dev.toolhost.testing.TestEngines.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolhost.api.Invocation;
import dev.toolhost.api.Json;
import dev.toolhost.api.OutputLimitExceeded;
import dev.toolhost.api.PermissionDenied;
import dev.toolhost.api.ProcessError;
import dev.toolhost.api.Timeout;
import dev.toolhost.api.ToolException;
import dev.toolhost.api.ToolFailure;
import dev.toolhost.api.ToolResult;
import dev.toolhost.engine.ToolEngine;
import dev.toolhost.testing.ProcessTable;
import dev.toolhost.testing.TestEngines;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tools that throw, crash, flood, hang or leave processes behind: each gets its typed error, and the engine keeps serving. */
class NodeMisbehaviourTest {
  private static Vertx vertx;
  private static ToolEngine engine;

  @BeforeAll
  static void start() {
    TestEngines.assumeNode();
    vertx = Vertx.vertx();
    engine = TestEngines.start(vertx, TestEngines.config(TestEngines.testTools(), """
        outputLimit: 1MiB
        logLimit: 64KiB
        backoff: { initialInterval: 10ms, maxInterval: 50ms, maxElapsedTime: 10s }
        toolOverrides:
          spawns_children:
            permissions: { subprocess: true }
        """, Map.of("runtime", "node", "poolSize", "2")));
  }

  @AfterAll
  static void stop() {
    if (engine != null) await(engine.close());
    if (vertx != null) await(vertx.close());
  }

  /** After every misbehaviour, an ordinary call still succeeds. */
  @AfterEach
  void engineStillServes() throws Exception {
    JsonNode out = await(engine.invoke(Invocation.of("add", Json.MAPPER.readTree("{\"a\":1,\"b\":1}")))).output();
    assertEquals(2, out.path("sum").asInt());
  }

  private static ToolException fails(String tool, String input, Duration timeout) throws Exception {
    return failure(engine.invoke(Invocation.of(tool, Json.MAPPER.readTree(input)).withTimeout(timeout)));
  }

  @Test
  void aTypedThrowKeepsNameMessageCodeAndStack() throws Exception {
    ToolException e = fails("throws_typed", "{}", null);
    ToolFailure error = assertInstanceOf(ToolFailure.class, e.error());
    assertEquals("boom", error.message());
    assertEquals("E_BOOM", error.code());
    assertEquals("ToolError", error.name());
    assertTrue(error.stack().contains("throws.js"), error.stack());
    assertEquals(1, e.attempts(), "a tool error is not retried");
    assertFalse(e.retryable());
  }

  @Test
  void plainErrorsRejectionsAndThrownStringsAreToolErrors() throws Exception {
    assertEquals("RangeError", ((ToolFailure) fails("throws_plain", "{}", null).error()).name());
    assertEquals("just a string", fails("throws_string", "{}", null).error().message());
    assertInstanceOf(ToolFailure.class, fails("rejects_later", "{}", null).error());
  }

  @Test
  void anUncaughtExceptionInATimerFailsOnlyThatCall() throws Exception {
    ToolException e = fails("crashes_async", "{}", null);
    assertTrue(e.error().message().contains("crashed in a timer"), e.error().message());
  }

  @Test
  void aToolThatMarksItsErrorRetryableIsRetriedWithBackoff() throws Exception {
    ToolException e = fails("throws_retryable", "{}", null);
    assertInstanceOf(ToolFailure.class, e.error());
    assertEquals(3, e.attempts(), "retry.maxAttempts is 3 by default");
    assertTrue(e.retryable());
  }

  @Test
  void aWorkerThatExitsIsProcessErrorWithItsExitCodeAndIsReplaced() throws Exception {
    ToolException e = fails("exits", "{}", null);
    ProcessError error = assertInstanceOf(ProcessError.class, e.error());
    assertEquals(3, error.exitCode());
    assertNull(error.signal());
    assertEquals(3, e.attempts(), "PROCESS_ERROR is retryable, so it was tried three times");
  }

  @Test
  void anOutputOverTheLimitIsRefused() throws Exception {
    ToolException e = fails("huge_output", "{\"bytes\": 2097152}", null);
    OutputLimitExceeded error = assertInstanceOf(OutputLimitExceeded.class, e.error());
    assertEquals(1L << 20, error.limitBytes());
    assertEquals("output", error.what());
  }

  @Test
  void logsOverTheLimitAreRefused() throws Exception {
    ToolException e = fails("huge_logs", "{\"bytes\": 1048576}", null);
    OutputLimitExceeded error = assertInstanceOf(OutputLimitExceeded.class, e.error());
    assertEquals("logs", error.what());
    assertEquals(64L << 10, error.limitBytes());
  }

  @Test
  void aPromiseThatNeverResolvesTimesOutPromptly() throws Exception {
    long start = System.nanoTime();
    ToolException e = fails("never_resolves", "{}", Duration.ofMillis(300));
    long ms = (System.nanoTime() - start) / 1_000_000;
    Timeout error = assertInstanceOf(Timeout.class, e.error());
    assertEquals(300, error.timeoutMs());
    assertEquals(1, e.attempts(), "a timeout is not retried by default");
    assertTrue(ms >= 300 && ms < 5_000, "answered after " + ms + " ms");
  }

  @Test
  void aBusyLoopIsKilledAtTheDeadline() throws Exception {
    assertInstanceOf(Timeout.class, fails("busy_loop", "{}", Duration.ofMillis(300)).error());
  }

  @Test
  void readingOutsideTheAllowedPathsIsPermissionDenied() throws Exception {
    PermissionDenied error = assertInstanceOf(PermissionDenied.class,
        fails("read_file", "{\"path\": \"/etc/passwd\"}", null).error());
    assertEquals("FileSystemRead", error.permission());
    assertEquals("/etc/passwd", error.target());
  }

  @Test
  void childrenOfATimedOutToolAreKilledWithTheWorker() throws Exception {
    long before = System.currentTimeMillis();
    Future<ToolResult> call = engine.invoke(new Invocation("spawns_children", null, null,
        Map.of("PATH", "/usr/bin:/bin"), Duration.ofMillis(3_000), null));
    ProcessTable.waitFor(() -> ProcessTable.sleepers("300", before).size() >= 3, 3_000);
    assertEquals(3, ProcessTable.sleepers("300", before).size(), "the tool started its three children");
    assertInstanceOf(Timeout.class, failure(call).error());
    ProcessTable.waitFor(() -> ProcessTable.sleepers("300", before).isEmpty(), 10_000);
    assertEquals(List.of(), ProcessTable.sleepers("300", before), "children left running");
  }

  @Test
  void childrenLeftBehindByAFinishedCallAreKilled() throws Exception {
    long before = System.currentTimeMillis();
    Invocation inv = new Invocation("spawns_children", null, Json.MAPPER.readTree("{\"returnEarly\": true}"),
        Map.of("PATH", "/usr/bin:/bin"), null, null);
    // the pids the tool sees are its PID namespace's when sandboxed: look the children up by command instead
    assertEquals(3, await(engine.invoke(inv)).output().path("pids").size());
    ProcessTable.waitFor(() -> sleepersStartedAfter(before).isEmpty(), 10_000);
    assertEquals(List.of(), sleepersStartedAfter(before), "children left running");
  }

  private static List<ProcessHandle> sleepersStartedAfter(long since) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().command().map(c -> c.endsWith("/sleep")).orElse(false))
        .filter(p -> p.info().arguments().map(a -> a.length == 1 && a[0].equals("300")).orElse(false))
        .filter(p -> p.info().startInstant().map(t -> t.toEpochMilli() >= since - 1_000).orElse(false))
        .toList();
  }
}
