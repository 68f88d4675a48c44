package dev.toolhost.runtime.process;

import static dev.toolhost.testing.TestEngines.await;
import static dev.toolhost.testing.TestEngines.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolhost.api.Invocation;
import dev.toolhost.api.Json;
import dev.toolhost.api.PermissionDenied;
import dev.toolhost.api.ProcessError;
import dev.toolhost.api.RuntimeUnavailable;
import dev.toolhost.api.ToolException;
import dev.toolhost.engine.ToolEngine;
import dev.toolhost.testing.TestEngines;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every permission of a subprocess tool, both ways: allowed works, denied is PERMISSION_DENIED
 * naming the permission and target (or the typed error of a limit), and the engine keeps
 * serving. Runs on each subprocess runtime; tests a mechanism needs skip, saying so, where it
 * is missing.
 */
class SubprocessPermissionsTest {
  private static final Path TOOLS = TestEngines.repo().resolve("engine/src/test/resources/permission-tools");
  private static final Map<String, ToolEngine> engines = new HashMap<>();
  private static final AtomicInteger connections = new AtomicInteger();
  private static Vertx vertx;
  private static NetServer loopback;
  private static HttpServer web;
  private static Path writable;

  /**
   * The runtimes that launch worker processes: node holds files and child processes by its
   * permission model, bun by the sandbox (files) and a seccomp filter (child processes).
   */
  static Stream<String> runtimes() {
    return Stream.of("node", "bun");
  }

  /** The permission a refused file access names: bun cannot tell a read from a write of a path its sandbox hides. */
  private static String fileAccess(String runtime, String nodeName) {
    return runtime.equals("bun") ? "FileSystem" : nodeName;
  }

  @BeforeAll
  static void start() throws IOException {
    vertx = Vertx.vertx();
    loopback = await(vertx.createNetServer().connectHandler(socket -> {
      connections.incrementAndGet();
      socket.close();
    }).listen(0, "127.0.0.1"));
    web = await(vertx.createHttpServer().requestHandler(req -> {
      if (req.path().equals("/redirect")) {
        req.response().setStatusCode(302).putHeader("location", "http://127.0.0.1:" + loopback.actualPort() + "/").end();
      } else {
        req.response().end("hello " + req.getHeader("x-probe"));
      }
    }).listen(0, "127.0.0.1"));
    // not under /tmp: a sandboxed worker has a private /tmp, where a missing path is just missing
    Path varTmp = Path.of("/var/tmp");
    writable = Files.isDirectory(varTmp) && Files.isWritable(varTmp)
        ? Files.createTempDirectory(varTmp, "toolhost-writable") : Files.createTempDirectory("toolhost-writable");
  }

  @AfterAll
  static void stop() throws IOException {
    engines.values().forEach(e -> await(e.close()));
    if (vertx != null) await(vertx.close());
    if (writable != null) WorkerHome.deleteTree(writable);
  }

  /** An engine running every tool on {@code runtime} (skipped without bubblewrap); each test checks it still serves afterwards. */
  private static ToolEngine engine(String runtime) {
    assumeRuntime(runtime);
    return engine(runtime, "auto");
  }

  private static void assumeRuntime(String runtime) {
    if (runtime.equals("bun")) TestEngines.assumeBun(); else TestEngines.assumeNode();
  }

  private static synchronized ToolEngine engine(String runtime, String sandbox) {
    return engines.computeIfAbsent(runtime + "/" + sandbox, key -> TestEngines.start(vertx, TestEngines.config(TOOLS, """
        retry: { maxAttempts: 1 }
        workerSandbox: %s
        toolOverrides:
          read_file_allowed: { permissions: { fsRead: [/etc/passwd] } }
          write_file_allowed: { permissions: { fsWrite: ["%s"] } }
          connect_allowlisted: { permissions: { net: ["127.0.0.1:%d"] } }
          connect_best_effort: { permissions: { net: ["127.0.0.1:%d"], enforcement: best-effort } }
          fetch_allowlisted: { permissions: { net: ["127.0.0.1:%d"] } }
          run_process_allowed: { permissions: { subprocess: true } }
          child_reads: { permissions: { subprocess: true } }
          effective_capabilities: { permissions: { subprocess: true } }
          env_names: { permissions: { env: [VISIBLE] } }
          fork_bomb: { timeout: 60s, permissions: { subprocess: true } }
          hog_heap: { timeout: 60s, permissions: { memory: 128m } }
          hog_buffers: { timeout: 60s, permissions: { memory: 128m } }
        """.formatted(sandbox, writable, web.actualPort(), loopback.actualPort(), web.actualPort()),
        Map.of("runtime", runtime, "poolSize", "1"))));
  }

  private static JsonNode run(String runtime, String tool, String input) throws IOException {
    JsonNode out = await(engine(runtime).invoke(Invocation.of(tool, Json.MAPPER.readTree(input)))).output();
    stillServes(runtime);
    return out;
  }

  private static ToolException fails(String runtime, String tool, String input) throws IOException {
    ToolException e = failure(engine(runtime).invoke(Invocation.of(tool, Json.MAPPER.readTree(input))));
    stillServes(runtime);
    return e;
  }

  private static PermissionDenied denied(String runtime, String tool, String input) throws IOException {
    return assertInstanceOf(PermissionDenied.class, fails(runtime, tool, input).error());
  }

  private static void stillServes(String runtime) throws IOException {
    JsonNode out = await(engine(runtime).invoke(Invocation.of("write_scratch", Json.MAPPER.readTree(
        "{\"path\": \"out.txt\"}")))).output();
    assertEquals("out.txt", out.path("written").asText(), "the scratch directory is writable");
  }

  @ParameterizedTest
  @MethodSource("runtimes")
  void readingHostFilesNeedsThePermission(String runtime) throws IOException {
    PermissionDenied passwd = denied(runtime, "read_file", "{\"path\": \"/etc/passwd\"}");
    assertTrue(passwd.permission().startsWith(fileAccess(runtime, "FileSystemRead")), passwd.permission());
    assertEquals("/etc/passwd", passwd.target());

    String engineFile = TestEngines.repo().resolve("pom.xml").toString();
    PermissionDenied own = denied(runtime, "read_file", "{\"path\": \"" + engineFile + "\"}");
    assertEquals(engineFile, own.target());

    assertTrue(run(runtime, "read_file_allowed", "{\"path\": \"/etc/passwd\"}").path("text").asText().startsWith("root:"));
  }

  @ParameterizedTest
  @MethodSource("runtimes")
  void hostFilesAreNotEvenVisibleToChildProcesses(String runtime) throws IOException {
    // a child process is outside Node's permission model: only the sandbox keeps it from the host
    String failed = run(runtime, "child_reads", "{\"path\": \"/etc/passwd\"}").path("failed").asText();
    assertTrue(failed.contains("No such file"), "the child read /etc/passwd: " + failed);
  }

  @ParameterizedTest
  @MethodSource("runtimes")
  void aSandboxedWorkerHasNoCapabilitiesEvenWhenTheEngineIsRoot(String runtime) throws IOException {
    assertEquals("0000000000000000", run(runtime, "effective_capabilities", "{}").path("capEff").asText());
  }

  @ParameterizedTest
  @MethodSource("runtimes")
  void writingOutsideScratchNeedsThePermission(String runtime) throws IOException {
    Path outside = writable.resolve("denied-" + runtime + ".txt");
    PermissionDenied e = denied(runtime, "write_file", "{\"path\": \"" + outside + "\"}");
    assertTrue(e.permission().startsWith(fileAccess(runtime, "FileSystemWrite")), e.permission());
    assertEquals(outside.toString(), e.target());
    assertFalse(Files.exists(outside));

    Path allowed = writable.resolve("allowed-" + runtime + ".txt");
    run(runtime, "write_file_allowed", "{\"path\": \"" + allowed + "\"}");
    assertEquals("written", Files.readString(allowed));
  }

  @ParameterizedTest
  @MethodSource("runtimes")
  void noNetworkMeansNoLoopbackEither(String runtime) throws IOException {
    int before = connections.get();
    String target = "127.0.0.1:" + loopback.actualPort();
    PermissionDenied socket = denied(runtime, "connect", "{\"host\": \"127.0.0.1\", \"port\": " + loopback.actualPort() + "}");
    assertEquals("net", socket.permission());
    assertEquals(target, socket.target());
    PermissionDenied fetch = denied(runtime, "fetch_url", "{\"url\": \"http://" + target + "/\"}");
    assertEquals("net", fetch.permission());
    assertEquals(target, fetch.target());
    assertEquals(before, connections.get(), "a denied connection reached the server");
  }

  @ParameterizedTest
  @MethodSource("runtimes")
  void anAllowlistLetsFetchReachOnlyItsHostsOnEveryHop(String runtime) throws IOException {
    String allowed = "http://127.0.0.1:" + web.actualPort();
    for (boolean viaCtx : List.of(false, true)) {
      JsonNode out = run(runtime, "fetch_allowlisted", "{\"url\": \"" + allowed + "/hi\", \"viaCtx\": " + viaCtx + "}");
      assertEquals(200, out.path("status").asInt());
      assertEquals("hello 1", out.path("text").asText(), "the request's headers reach the host");
    }
    int before = connections.get();
    String unlisted = "127.0.0.1:" + loopback.actualPort();
    PermissionDenied other = denied(runtime, "fetch_allowlisted", "{\"url\": \"http://" + unlisted + "/\"}");
    assertEquals("net", other.permission());
    assertEquals(unlisted, other.target());
    PermissionDenied redirected = denied(runtime, "fetch_allowlisted", "{\"url\": \"" + allowed + "/redirect\"}");
    assertEquals(unlisted, redirected.target(), "a redirect is checked like the request");
    assertEquals(before, connections.get(), "a denied fetch reached the server");

    // raw sockets bypass the engine's check, so the sandbox has no network for them at all
    PermissionDenied raw = denied(runtime, "connect_allowlisted", "{\"host\": \"127.0.0.1\", \"port\": " + web.actualPort() + "}");
    assertEquals("net", raw.permission());
    assertEquals("127.0.0.1:" + web.actualPort(), raw.target());
  }

  @ParameterizedTest
  @MethodSource("runtimes")
  void withoutASandboxWhatCannotBeEnforcedIsRefusedUnlessBestEffort(String runtime) throws IOException {
    assumeRuntime(runtime);
    ToolEngine unsandboxed = engine(runtime, "none");
    for (String tool : List.of("read_file", "fetch_allowlisted")) {
      ToolException e = failure(unsandboxed.invoke(Invocation.of(tool, Json.MAPPER.readTree("{\"path\": \"x\", \"url\": \"x\"}"))));
      RuntimeUnavailable refused = assertInstanceOf(RuntimeUnavailable.class, e.error(), tool);
      assertTrue(refused.message().contains(tool.equals("read_file") ? "no network" : "network limited to the allowlisted hosts"),
          refused.message());
      assertTrue(refused.hint().contains("toolOverrides." + tool + ".permissions.enforcement: best-effort"), refused.hint());
      assertEquals(1, e.attempts(), "a refusal is not retried: only a change of configuration helps");
      assertFalse(e.retryable());
    }
    int before = connections.get();
    String input = "{\"host\": \"127.0.0.1\", \"port\": " + loopback.actualPort() + "}";
    JsonNode out = await(unsandboxed.invoke(Invocation.of("connect_best_effort", Json.MAPPER.readTree(input)))).output();
    assertEquals("127.0.0.1:" + loopback.actualPort(), out.path("connected").asText(), "best-effort runs the tool");
    long deadline = System.currentTimeMillis() + 10_000;
    while (connections.get() == before && System.currentTimeMillis() < deadline) Thread.onSpinWait();  // the server's side comes a moment later
    assertEquals(before + 1, connections.get());
  }

  @ParameterizedTest
  @MethodSource("runtimes")
  void spawningAProcessNeedsThePermission(String runtime) throws IOException {
    String input = "{\"file\": \"/bin/echo\", \"args\": [\"hi\"]}";
    PermissionDenied e = denied(runtime, "run_process", input);
    assertEquals("ChildProcess", e.permission());
    assertEquals("hi", run(runtime, "run_process_allowed", input).path("stdout").asText());
  }

  @ParameterizedTest
  @MethodSource("runtimes")
  void envNamesOutsideThePolicyAreNeitherAcceptedNorVisible(String runtime) throws IOException {
    ToolException e = failure(engine(runtime).invoke(
        Invocation.of("env_names", Json.MAPPER.createObjectNode()).withEnv(Map.of("SECRET", "x"))));
    PermissionDenied refused = assertInstanceOf(PermissionDenied.class, e.error());
    assertEquals("env", refused.permission());
    assertEquals("SECRET", refused.target());

    JsonNode out = await(engine(runtime).invoke(
        Invocation.of("env_names", Json.MAPPER.createObjectNode()).withEnv(Map.of("VISIBLE", "1")))).output();
    assertEquals(List.of("VISIBLE"), names(out.path("processEnv")), "the engine's own environment leaked");
    assertEquals(List.of("VISIBLE"), names(out.path("ctxEnv")));
  }

  @ParameterizedTest
  @MethodSource("runtimes")
  void aForkBombStopsAtTheTaskLimit(String runtime) throws IOException {
    assumeCgroup("pids");
    JsonNode out = run(runtime, "fork_bomb", "{}");
    assertEquals("EAGAIN", out.path("error").asText(), "spawning never failed: " + out);
    assertTrue(out.path("spawned").asInt() < CgroupLimits.MAX_TASKS, out.toString());
  }

  @ParameterizedTest
  @MethodSource("runtimes")
  void allocatingUntilOutOfMemoryIsAProcessErrorSayingSo(String runtime) throws IOException {
    assumeCgroup("memory");
    for (String tool : List.of("hog_heap", "hog_buffers")) {
      ProcessError e = assertInstanceOf(ProcessError.class, fails(runtime, tool, "{}").error(), tool);
      assertTrue(e.message().contains("out of memory"), tool + ": " + e.message());
    }
  }

  private static List<String> names(JsonNode array) {
    return Json.MAPPER.convertValue(array, Json.MAPPER.getTypeFactory().constructCollectionType(List.class, String.class));
  }

  private static void assumeCgroup(String controller) {
    CgroupLimits cgroups = CgroupLimits.probe("test");
    boolean present = cgroups.group(controller, "probe") != null;
    cgroups.close();
    Assumptions.assumeTrue(present, "skipped: no writable cgroup v1 " + controller + " controller (" + cgroups.describe() + ")");
  }
}
