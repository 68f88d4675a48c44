package dev.toolhost.runtime.docker;

import static dev.toolhost.testing.TestEngines.await;
import static dev.toolhost.testing.TestEngines.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolhost.api.Invocation;
import dev.toolhost.api.Json;
import dev.toolhost.api.OutputLimitExceeded;
import dev.toolhost.api.PermissionDenied;
import dev.toolhost.api.ProcessError;
import dev.toolhost.api.Timeout;
import dev.toolhost.api.ToolException;
import dev.toolhost.api.ToolResult;
import dev.toolhost.engine.ToolEngine;
import dev.toolhost.testing.TestEngines;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tools that try to get out of their container, exhaust it, flood it or hang in it, against a
 * real Docker daemon: each gets its typed error or is contained, and the engine keeps serving.
 */
class DockerMisbehaviourTest {
  private static Vertx vertx;
  private static ToolEngine engine;
  private static DockerDaemon daemon;
  /** A web server on the host, the one host the fetching tools may reach. */
  private static HttpServer web;
  private static final AtomicInteger requests = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    DockerAssumptions.assumeDocker();
    vertx = Vertx.vertx();
    web = await(vertx.createHttpServer().requestHandler(req -> {
      requests.incrementAndGet();
      req.response().end("hello from the host");
    }).listen(0, "127.0.0.1"));
    String allowed = "127.0.0.1:" + web.actualPort();
    engine = TestEngines.start(vertx, TestEngines.config(TestEngines.repo().resolve("engine/src/test/resources/docker-tools"), """
        outputLimit: 1MiB
        logLimit: 64KiB
        retry: { maxAttempts: 1 }
        toolOverrides:
          fork_bomb:
            permissions: { subprocess: true }
          container_walls:
            permissions: { subprocess: true }
          eat_memory:
            permissions: { memory: 128m }
          fetch_allowed:
            permissions: { net: ["%1$s"] }
          connect_allowed:
            permissions: { net: ["%1$s"] }
        """.formatted(allowed), Map.of("runtime", "docker", "poolSize", "1", "docker.image", DockerAssumptions.IMAGE)));
    daemon = DockerDaemon.connect(DockerAssumptions.HOST);
  }

  @AfterAll
  static void stop() throws Exception {
    if (engine != null) await(engine.close());
    if (vertx != null) await(vertx.close());
    if (daemon != null) daemon.close();
  }

  /** After every misbehaviour, an ordinary call still succeeds. */
  @AfterEach
  void engineStillServes() {
    assertEquals(10001, call("where_am_i", "{}").path("uid").asInt(), "the worker runs as the unprivileged user");
  }

  private static JsonNode call(String tool, String input) {
    return await(engine.invoke(invocation(tool, input))).output();
  }

  private static Invocation invocation(String tool, String input) {
    try {
      return Invocation.of(tool, Json.MAPPER.readTree(input));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void readingTheHostsFilesIsPermissionDenied() {
    // outside the container's own /tmp, which it may read, wherever the checkout lies
    String hostFile = "/etc/passwd";
    ToolException e = failure(engine.invoke(invocation("read_host_file", "{\"path\": \"" + hostFile + "\"}")));
    PermissionDenied denied = assertInstanceOf(PermissionDenied.class, e.error(), e.error().message());
    assertEquals("FileSystemRead", denied.permission());
    assertEquals(hostFile, denied.target());
  }

  @Test
  void writingOutsideTmpIsPermissionDeniedAndTmpIsWritable() {
    JsonNode out = call("write_files", "{}");
    assertEquals("ERR_ACCESS_DENIED", out.path("root").asText());
    assertEquals("ok", out.path("tmp").asText());
  }

  @Test
  void aChildProcessWithoutThePolicysPermissionIsPermissionDenied() {
    ToolException e = failure(engine.invoke(invocation("child_process_denied", "{\"path\": \"/etc/passwd\"}")));
    PermissionDenied denied = assertInstanceOf(PermissionDenied.class, e.error(), e.error().message());
    assertEquals("ChildProcess", denied.permission());
  }

  @Test
  void beneathNodesPermissionModelTheHostsFilesAreNotThereAndTheRootIsReadOnly() {
    // a child process is not confined by Node's permission model: it meets the container's walls
    String hostFile = TestEngines.repo().resolve("pom.xml").toString();
    JsonNode out = call("container_walls", "{\"path\": \"" + hostFile + "\"}");
    assertEquals("ENOENT", out.path("read").asText());
    assertEquals("EROFS", out.path("root").asText());
    assertEquals("ok", out.path("tmp").asText());
  }

  @Test
  void thereIsNoNetworkWhenNoHostIsAllowed() {
    // the default bridge's gateway is the Docker host itself
    JsonNode out = call("connect_to", "{\"host\": \"172.17.0.1\", \"port\": 22}");
    assertEquals("ENETUNREACH", out.path("outcome").asText());
  }

  @Test
  void aNetworkAllowlistIsHeldByTheEngineTheContainerItselfHasNoNetwork() {
    String allowed = "http://127.0.0.1:" + web.actualPort() + "/";
    for (boolean viaCtx : new boolean[] {false, true}) {
      JsonNode out = call("fetch_allowed", "{\"url\": \"" + allowed + "\", \"viaCtx\": " + viaCtx + "}");
      assertEquals(200, out.path("status").asInt(), out.toString());
      assertEquals("hello from the host", out.path("text").asText());
    }

    int before = requests.get();
    ToolException e = failure(engine.invoke(invocation("fetch_allowed", "{\"url\": \"http://127.0.0.2:" + web.actualPort() + "/\"}")));
    PermissionDenied denied = assertInstanceOf(PermissionDenied.class, e.error(), e.error().message());
    assertEquals("net", denied.permission());
    assertEquals("127.0.0.2:" + web.actualPort(), denied.target());

    // a raw socket bypasses fetch, and finds no network to reach even the allowed host by
    e = failure(engine.invoke(invocation("connect_allowed", "{\"host\": \"127.0.0.1\", \"port\": " + web.actualPort() + "}")));
    denied = assertInstanceOf(PermissionDenied.class, e.error(), e.error().message());
    assertEquals("net", denied.permission());
    assertEquals(before, requests.get(), "a denied connection reached the server");
  }

  @Test
  void aForkBombStopsAtThePidsLimitAndItsContainerIsReplaced() {
    JsonNode out = call("fork_bomb", "{\"count\": 300}");
    assertTrue(out.path("started").asInt() < ContainerHardening.PIDS_LIMIT, out.toString());
    assertTrue(out.path("failed").asInt() > 0, out.toString());
    // the processes it left behind retire its container; a fresh one serves the next call
    String next = call("fork_bomb", "{\"count\": 0}").path("hostname").asText();
    assertNotEquals(out.path("hostname").asText(), next);
  }

  @Test
  void memoryAboveTheLimitIsAnOutOfMemoryProcessError() {
    ToolException e = failure(engine.invoke(invocation("eat_memory", "{}")));
    ProcessError error = assertInstanceOf(ProcessError.class, e.error());
    assertEquals("SIGKILL", error.signal());
    assertTrue(error.message().contains("out of memory") && error.message().contains("128 MiB"), error.message());
    assertTrue(e.retryable());
  }

  @Test
  void a100MegabyteWriteToTheRealStdoutIsContained() {
    // past the SDK's capture, it reaches Docker's log, which keeps 1 MB of it
    assertEquals(100, call("flood_stdout", "{\"mib\": 100}").path("written").asInt());
  }

  @Test
  void a100MegabyteWriteToProcessStdoutIsOverTheLogLimit() {
    ToolException e = failure(engine.invoke(invocation("flood_console", "{\"mib\": 100}")));
    assertEquals("logs", assertInstanceOf(OutputLimitExceeded.class, e.error()).what());
  }

  @Test
  void aToolThatNeverAnswersTimesOutAndItsContainerIsReplaced() {
    String before = call("where_am_i", "{}").path("hostname").asText();
    ToolException e = failure(engine.invoke(invocation("never_answers", "{}").withTimeout(Duration.ofMillis(1000))));
    assertEquals(1000, assertInstanceOf(Timeout.class, e.error()).timeoutMs());
    assertNotEquals(before, call("where_am_i", "{}").path("hostname").asText());
  }

  @Test
  void aContainerKilledFromOutsideMidCallIsAProcessError() {
    String hostname = call("where_am_i", "{}").path("hostname").asText();
    Promise<Void> started = Promise.promise();
    Future<ToolResult> running = engine.invoke(
        invocation("never_answers", "{}").withTimeout(Duration.ofSeconds(30)), log -> started.tryComplete());
    await(started.future());
    // the pool has one member: the container that answered where_am_i runs never_answers now
    await(vertx.executeBlocking(() -> {
      daemon.client().killContainerCmd(hostname).exec();
      return null;
    }));
    ToolException e = failure(running);
    ProcessError error = assertInstanceOf(ProcessError.class, e.error());
    assertEquals("SIGKILL", error.signal(), error.message());
    assertTrue(e.retryable());
  }
}
