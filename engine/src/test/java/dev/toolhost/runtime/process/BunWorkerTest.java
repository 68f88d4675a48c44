package dev.toolhost.runtime.process;

import static dev.toolhost.testing.TestEngines.await;
import static dev.toolhost.testing.TestEngines.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolhost.api.Invocation;
import dev.toolhost.api.Json;
import dev.toolhost.api.LogEntry;
import dev.toolhost.api.ProcessError;
import dev.toolhost.api.Timeout;
import dev.toolhost.api.ToolException;
import dev.toolhost.api.ToolResult;
import dev.toolhost.engine.ToolEngine;
import dev.toolhost.testing.ProcessTable;
import dev.toolhost.testing.TestEngines;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the Bun runtime must do beyond giving the conformance table's answers: kill a worker with
 * every process its tool started, show a tool only its invocation's env, capture every console
 * method, report a crash with the worker's last words, and replace dead workers in the background.
 */
class BunWorkerTest {
  private static Vertx vertx;
  private static ToolEngine engine;

  @BeforeAll
  static void start() {
    TestEngines.assumeBun();
    vertx = Vertx.vertx();
    engine = TestEngines.start(vertx, TestEngines.config(TestEngines.testTools(), """
        backoff: { initialInterval: 10ms, maxInterval: 50ms, maxElapsedTime: 10s }
        toolOverrides:
          spawns_children:
            permissions: { subprocess: true }
        """, flags("poolSize", "2")));
  }

  /**
   * Bun with the given setting, best-effort (see {@link TestEngines#BUN_BEST_EFFORT}), outside
   * bubblewrap: these tests find workers by host pid, which a sandboxed worker does not see
   * (SubprocessPermissionsTest covers the sandbox).
   */
  private static Map<String, String> flags(String key, String value) {
    Map<String, String> flags = new HashMap<>(TestEngines.BUN_BEST_EFFORT);
    flags.put("runtime", "bun");
    flags.put("workerSandbox", "none");
    flags.put(key, value);
    return flags;
  }

  @AfterAll
  static void stop() {
    if (engine != null) await(engine.close());
    if (vertx != null) await(vertx.close());
  }

  /** After every test, an ordinary call still succeeds on bun. */
  @AfterEach
  void engineStillServes() throws Exception {
    ToolResult result = await(engine.invoke(Invocation.of("add", Json.MAPPER.readTree("{\"a\":1,\"b\":1}"))));
    assertEquals(2, result.output().path("sum").asInt());
    assertEquals("bun", result.runtime());
  }

  private static Invocation spawnsChildren(String input, Duration timeout) throws IOException {
    return new Invocation("spawns_children", null, Json.MAPPER.readTree(input), Map.of("PATH", "/usr/bin:/bin"), timeout, null);
  }

  @Test
  void aTimedOutCallIsKilledWithEveryProcessTheToolStarted() throws Exception {
    long before = System.currentTimeMillis();
    Future<ToolResult> call = engine.invoke(spawnsChildren("{\"seconds\": 311}", Duration.ofMillis(3_000)));
    ProcessTable.waitFor(() -> ProcessTable.sleepers("311", before).size() >= 3, 3_000);
    assertEquals(3, ProcessTable.sleepers("311", before).size(), "the tool started its three children");
    assertInstanceOf(Timeout.class, failure(call).error());
    ProcessTable.waitFor(() -> ProcessTable.sleepers("311", before).isEmpty(), 10_000);
    assertEquals(List.of(), ProcessTable.sleepers("311", before), "children (one detached) left running");
  }

  @Test
  void processesLeftBehindByAFinishedCallAreKilled() throws Exception {
    List<Long> pids = new ArrayList<>();
    await(engine.invoke(spawnsChildren("{\"seconds\": 312, \"returnEarly\": true}", null))).output().path("pids")
        .forEach(pid -> pids.add(pid.asLong()));
    assertEquals(3, pids.size());
    ProcessTable.waitFor(() -> ProcessTable.alive(pids).isEmpty(), 10_000);
    assertEquals(List.of(), ProcessTable.alive(pids), "still running");
  }

  @Test
  void processEnvHoldsOnlyTheInvocationEnvFromStartToEveryCall() throws Exception {
    for (int i = 0; i < 4; i++) {  // more calls than workers: every worker is reused at least once
      Map<String, String> env = Map.of("ONLY_" + i, "v" + i);
      JsonNode out = await(engine.invoke(new Invocation("ctx_probe", null, null, env, null, null))).output();
      assertEquals(env, Json.MAPPER.convertValue(out.get("processEnv"), Map.class),
          "the engine's environment (PATH, HOME, BUN_*...) and earlier calls' env must not leak");
    }
    // module top-level code runs before any call resets process.env: the worker starts with none
    long pid = await(engine.invoke(Invocation.of("worker_pid", null))).output().path("pid").asLong();
    assertEquals("", Files.readString(Path.of("/proc/" + pid + "/environ")), "the worker's initial environment");
  }

  @Test
  void everyConsoleMethodIsALogOfTheCallAtItsLevel() {
    List<LogEntry> logs = await(engine.invoke(Invocation.of("console_methods", null))).logs();
    assertEquals(List.of("info", "error", "warn", "info", "info"), logs.stream().map(LogEntry::level).toList());
    assertEquals("{ a: 1 }", logs.get(0).message());
    assertTrue(logs.get(1).message().startsWith("Trace: here\n") && logs.get(1).message().contains("ok.js"),
        logs.get(1).message());
    assertEquals(List.of("Assertion failed: checked", "n: 1", "grouped"),
        logs.subList(2, 5).stream().map(LogEntry::message).toList());
  }

  /** Bun's process.stdout and stderr are the worker's stand-ins, built on first use: they capture as Node's do. */
  @Test
  void everyWayOfPrintingBecomesALogOfTheCall() {
    List<LogEntry> logs = await(engine.invoke(Invocation.of("logger", null))).logs();
    assertEquals(List.of("one", "two", "three", "four"), logs.stream().map(LogEntry::message).toList());
    assertEquals(List.of("info", "info", "error", "info"), logs.stream().map(LogEntry::level).toList());
  }

  @Test
  void junkOnStdoutAndStderrComesBackAsLogsAtTheirLevels() {
    List<LogEntry> logs = await(engine.invoke(Invocation.of("junk_stdout", null))).logs();
    assertEquals(List.of("info", "info", "info", "info", "error", "error", "error", "error"),
        logs.stream().map(LogEntry::level).toList(), "every write of each stream, the lone newline as an empty line");
    assertEquals("{\"type\":\"result\",\"id\":\"x\",\"output\":1}", logs.get(0).message(), "a fake frame is a log line");
    assertEquals("\u0000garbage{{{ not json \u00ff\u2028 ]]", logs.get(5).message());
  }

  @Test
  void aCrashIsProcessErrorWithTheExitCodeAndTheTailOfStderr() throws Exception {
    ToolException e = failure(engine.invoke(Invocation.of("dies_loudly", null)));
    ProcessError error = assertInstanceOf(ProcessError.class, e.error());
    assertEquals(4, error.exitCode());
    assertNull(error.signal());
    assertTrue(error.stderr().contains("fatal: the tool's last words"), error.stderr());
    assertTrue(error.message().startsWith("the bun worker exited with code 4: fatal: the tool's last words"), error.message());
    assertEquals(3, e.attempts(), "PROCESS_ERROR is retryable: each attempt had a fresh worker");
  }

  @Test
  void aWorkerThatDiesIsReplacedInTheBackground() throws Exception {
    ToolEngine single = TestEngines.start(vertx, TestEngines.config(TestEngines.testTools(), "retry: { maxAttempts: 1 }",
        flags("poolSize", "1")));
    try {
      long first = workerPid(single);
      String channel = channelOf(first);
      assertInstanceOf(ProcessError.class, failure(single.invoke(Invocation.of("exits", null))).error());
      // no call is made: the pool starts the replacement by itself
      ProcessTable.waitFor(() -> !workersOn(channel, first).isEmpty(), 10_000);
      List<Long> replacements = workersOn(channel, first);
      assertEquals(1, replacements.size(), "one replacement for a pool of one: " + replacements);
      assertEquals(List.of(), ProcessTable.alive(List.of(first)), "the dead worker is gone");
      assertEquals(replacements.get(0), workerPid(single), "the next call is served by the replacement");
    } finally {
      await(single.close());
    }
  }

  private static long workerPid(ToolEngine engine) {
    return await(engine.invoke(Invocation.of("worker_pid", null))).output().path("pid").asLong();
  }

  /** The socket a worker was told to connect to: it tells one engine's workers from another's. */
  private static String channelOf(long pid) {
    List<String> args = Arrays.asList(ProcessHandle.of(pid).orElseThrow().info().arguments().orElseThrow());
    return args.get(args.indexOf("--channel") + 1);
  }

  /** Live workers of this JVM connecting to {@code channel}, other than {@code except}. */
  private static List<Long> workersOn(String channel, long except) {
    return ProcessHandle.current().descendants()
        .filter(p -> p.pid() != except)
        .filter(p -> p.info().arguments().map(a -> Arrays.asList(a).contains(channel)).orElse(false))
        .map(ProcessHandle::pid)
        .toList();
  }
}
