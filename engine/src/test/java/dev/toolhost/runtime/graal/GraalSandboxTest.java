package dev.toolhost.runtime.graal;

import static dev.toolhost.testing.TestEngines.await;
import static dev.toolhost.testing.TestEngines.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolhost.api.Invocation;
import dev.toolhost.api.Json;
import dev.toolhost.api.PermissionDenied;
import dev.toolhost.api.Timeout;
import dev.toolhost.api.ToolException;
import dev.toolhost.api.ToolFailure;
import dev.toolhost.engine.ToolEngine;
import dev.toolhost.testing.TestEngines;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The GraalJS sandbox: every way out is PERMISSION_DENIED, every abuse its typed error, and the engine keeps serving. */
class GraalSandboxTest {
  private static Vertx vertx;
  private static ToolEngine engine;
  private static HttpServer allowed;
  private static HttpServer forbidden;
  private static final AtomicInteger forbiddenHits = new AtomicInteger();
  private static final AtomicInteger probeHeaders = new AtomicInteger();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    forbidden = await(vertx.createHttpServer().requestHandler(req -> {
      forbiddenHits.incrementAndGet();
      req.response().end("leaked");
    }).connectionHandler(c -> forbiddenHits.incrementAndGet()).listen(0, "127.0.0.1"));
    allowed = await(vertx.createHttpServer().requestHandler(req -> {
      if ("1".equals(req.getHeader("x-probe"))) probeHeaders.incrementAndGet();
      if (req.path().equals("/redirect")) {
        req.response().setStatusCode(302)
            .putHeader("location", "http://127.0.0.1:" + forbidden.actualPort() + "/").end();
      } else {
        req.response().putHeader("content-type", "text/plain").end("hello from " + req.path());
      }
    }).listen(0, "127.0.0.1"));
    engine = TestEngines.start(vertx, TestEngines.config(sandboxTools(), """
        toolOverrides:
          fetch_url:
            permissions: { net: ["127.0.0.1:%d"] }
          web_globals:
            isolation: fresh
        """.formatted(allowed.actualPort()), Map.of("runtime", "graaljs", "poolSize", "1")));
  }

  static Path sandboxTools() {
    return TestEngines.repo().resolve("engine/src/test/resources/sandbox-tools");
  }

  @AfterAll
  static void stop() {
    if (engine != null) await(engine.close());
    if (vertx != null) await(vertx.close());
  }

  @AfterEach
  void engineStillServes() {
    assertTrue(await(engine.invoke(Invocation.of("ping", null))).output().path("pong").asBoolean());
  }

  private static ToolException fails(String tool, String input, Duration timeout) throws Exception {
    return failure(engine.invoke(Invocation.of(tool, Json.MAPPER.readTree(input)).withTimeout(timeout)));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "java_type       | {}                        | host-access     | java.lang.System",
      "polyglot_import | {}                        | polyglot-access | secret",
      "load_script     | {\"path\": \"/etc/passwd\"} | load            | /etc/passwd",
      "import_file     | {\"path\": \"/etc/passwd\"} | fs-read         | /etc/passwd"})
  void everyWayOutOfTheSandboxIsPermissionDenied(String tool, String input, String permission, String target)
      throws Exception {
    PermissionDenied error = assertInstanceOf(PermissionDenied.class, fails(tool, input, null).error());
    assertEquals(permission, error.permission());
    assertEquals(target, error.target());
  }

  @Test
  void fetchReachesAnAllowedHostWithMethodHeadersAndText() {
    JsonNode out = await(engine.invoke(Invocation.of("fetch_url", Json.MAPPER.createObjectNode()
        .put("url", "http://127.0.0.1:" + allowed.actualPort() + "/hi")))).output();
    assertEquals(200, out.path("status").asInt());
    assertTrue(out.path("ok").asBoolean());
    assertEquals("hello from /hi", out.path("text").asText());
    assertTrue(probeHeaders.get() > 0, "the request header reached the server");
  }

  @Test
  void fetchToAHostNotOnTheListIsRefusedBeforeAnyConnection() throws Exception {
    int before = forbiddenHits.get();
    String target = "127.0.0.1:" + forbidden.actualPort();
    PermissionDenied error = assertInstanceOf(PermissionDenied.class,
        fails("fetch_url", "{\"url\": \"http://" + target + "/\"}", null).error());
    assertEquals("net", error.permission());
    assertEquals(target, error.target());
    assertEquals(before, forbiddenHits.get(), "no connection was made");
  }

  @Test
  void aRedirectToAHostNotOnTheListIsRefusedToo() throws Exception {
    int before = forbiddenHits.get();
    assertInstanceOf(PermissionDenied.class, fails("fetch_url",
        "{\"url\": \"http://127.0.0.1:" + allowed.actualPort() + "/redirect\"}", null).error());
    assertEquals(before, forbiddenHits.get());
  }

  @Test
  void anInfiniteLoopIsStoppedAtTheDeadline() throws Exception {
    long start = System.nanoTime();
    ToolException e = fails("infinite_loop", "{}", Duration.ofMillis(300));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(300, assertInstanceOf(Timeout.class, e.error()).timeoutMs());
    // the README gives the measured margin; a loaded CI machine gets slack here
    assertTrue(ms >= 300 && ms < 1_300, "answered after " + ms + " ms");
  }

  @Test
  void aPromiseThatNeverSettlesTimesOut() throws Exception {
    assertInstanceOf(Timeout.class, fails("never_settles", "{}", Duration.ofMillis(200)).error());
  }

  @Test
  void deepRecursionIsARangeErrorNotACrash() throws Exception {
    ToolFailure error = assertInstanceOf(ToolFailure.class, fails("deep_recursion", "{}", null).error());
    assertEquals("RangeError", error.name());
  }

  @Test
  void aHugeStringIsARangeErrorNotAnOutOfMemoryEngine() throws Exception {
    ToolFailure error = assertInstanceOf(ToolFailure.class, fails("huge_string", "{}", Duration.ofSeconds(30)).error());
    assertEquals("RangeError", error.name());
  }

  @Test
  void timersImmediatesAndMicrotasksRunInNodeOrder() {
    JsonNode out = await(engine.invoke(Invocation.of("timers", null))).output();
    assertEquals("[\"microtask\",\"immediate\",\"timeout\"]", out.path("order").toString());
  }

  @Test
  void webApiGlobalsAreMadeOnFirstUseAndAnAssignmentBeforeWins() {
    JsonNode out = await(engine.invoke(Invocation.of("web_globals", null))).output();
    assertEquals(Json.MAPPER.createObjectNode().put("lazy", true).put("made", true).put("header", "1").put("atob", "mine")
        .put("signal", true).put("sameFetch", true), out);
  }

  @Test
  void reuseKeepsTheContextAndItsModuleState() {
    int first = await(engine.invoke(Invocation.of("counter", null))).output().path("calls").asInt();
    int second = await(engine.invoke(Invocation.of("counter", null))).output().path("calls").asInt();
    assertEquals(first + 1, second);
  }
}
