package dev.toolhost.runtime.docker;

import static dev.toolhost.testing.TestEngines.await;
import static dev.toolhost.testing.TestEngines.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.toolhost.api.Invocation;
import dev.toolhost.api.Json;
import dev.toolhost.api.ProcessError;
import dev.toolhost.api.RuntimeUnavailable;
import dev.toolhost.api.ToolError;
import dev.toolhost.api.ToolException;
import dev.toolhost.api.ToolResult;
import dev.toolhost.engine.ToolEngine;
import dev.toolhost.testing.TestEngines;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker daemon going away and coming back, as the engine sees it: its socket is a
 * {@link DaemonProxy} the test cuts and opens again, while the real daemon (and its containers)
 * run on. Calls answer RUNTIME_UNAVAILABLE or PROCESS_ERROR (both retryable) while it is gone,
 * and the runtime serves again once it is back, with no restart.
 */
class DockerDaemonOutageTest {
  private static final long RECOVERY_DEADLINE_NANOS = 60_000_000_000L;
  private static final Path DOCKER_TOOLS = TestEngines.repo().resolve("engine/src/test/resources/docker-tools");

  @TempDir Path dir;
  private Vertx vertx;
  private DaemonProxy proxy;
  private DockerDaemon daemon;
  private ToolEngine engine;
  private Path handshake;

  @BeforeEach
  void start() throws Exception {
    DockerAssumptions.assumeDocker();
    Assumptions.assumeTrue("unix".equals(DockerAssumptions.HOST.getScheme()),
        () -> "skipped: the daemon proxy forwards to a unix socket, and the daemon is " + DockerAssumptions.HOST);
    vertx = Vertx.vertx();
    proxy = new DaemonProxy(vertx, dir.resolve("docker.sock"));
    daemon = DockerDaemon.connect(DockerAssumptions.HOST);
    // the container's user writes here: it is not the engine's (set after creation, past the umask)
    handshake = Files.createDirectory(dir.resolve("handshake"));
    Files.setPosixFilePermissions(handshake, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @AfterEach
  void stop() throws Exception {
    if (engine != null) await(engine.close());
    if (proxy != null) proxy.close();
    if (vertx != null) await(vertx.close());
    if (daemon != null) daemon.close();
  }

  private ToolEngine startEngine(Path tools) {
    return TestEngines.start(vertx, TestEngines.config(tools, """
        retry: { maxAttempts: 1 }
        backoff: { initialInterval: 10ms, maxInterval: 100ms }
        toolOverrides:
          wait_for_file:
            permissions: { fsRead: ["%1$s"], fsWrite: ["%1$s"] }
        """.formatted(handshake),
        Map.of("runtime", "docker", "poolSize", "1", "docker.image", DockerAssumptions.IMAGE,
            "docker.host", proxy.uri().toString())));
  }

  @Test
  void aDaemonThatComesAfterTheEngineStartedIsUsedWithoutARestart() throws Exception {
    // the tools load on graaljs, which gives the catalog while docker is unavailable
    engine = startEngine(TestEngines.testTools());
    RuntimeUnavailable error = assertInstanceOf(RuntimeUnavailable.class, failure(call("add", "{\"a\":1,\"b\":2}")).error());
    assertTrue(error.retryableByDefault());
    assertTrue(error.message().contains("no Docker daemon socket at " + dir.resolve("docker.sock")), error.message());

    proxy.open();
    assertEquals(3, untilServed("add", "{\"a\":1,\"b\":2}").path("sum").asInt());
  }

  @Test
  void toolsOnlyTheDefaultRuntimeCanLoadJoinTheCatalogWhenTheDaemonComes() throws Exception {
    // graaljs describes the tools meanwhile, and cannot load a module importing node:child_process
    engine = startEngine(DOCKER_TOOLS);
    assertTrue(engine.catalog().find("where_am_i").isEmpty(), "graaljs gave the catalog while the daemon was away");
    assertFalse(engine.catalog().errors().isEmpty(), "graaljs says why it could not load the module");

    proxy.open();
    long deadline = System.nanoTime() + RECOVERY_DEADLINE_NANOS;
    while (engine.catalog().find("where_am_i").isEmpty()) {
      if (System.nanoTime() > deadline) fail("the catalog was not described again: " + engine.catalog().errors());
      Thread.sleep(20);
    }
    assertTrue(engine.catalog().errors().isEmpty(), engine.catalog().errors().toString());
    assertEquals(10001, untilServed("where_am_i", "{}").path("uid").asInt());
  }

  @Test
  void aCallInFlightWhenTheDaemonGoesAwayCompletesAndTheContainerIsWatchedAgainWhenItIsBack() throws Exception {
    proxy.open();
    engine = startEngine(DOCKER_TOOLS);
    Future<ToolResult> inFlight = engine.invoke(waitForFile());
    String container = awaitStarted(inFlight);

    proxy.cut();
    // frames travel over the bind-mounted channel, not through the daemon: the call goes on
    Files.writeString(handshake.resolve("go"), "");
    assertTrue(await(inFlight).output().path("went").asBoolean());
    assertTrue(await(engine.invoke(waitForFile())).output().path("went").asBoolean(),
        "the warm container serves another call with the daemon gone");

    proxy.open();
    // the exit watch was made again: a container killed from outside now is noticed and replaced
    daemon.client().killContainerCmd(container).exec();
    untilServed("wait_for_file", "{\"dir\":\"" + handshake + "\"}");
    assertFalse(container.startsWith(Files.readString(handshake.resolve("started"))), "a new container serves");
  }

  @Test
  void aContainerThatDiesWhileTheDaemonIsGoneFailsItsCallRetryablyAndIsRemovedWhenTheDaemonIsBack() throws Exception {
    proxy.open();
    engine = startEngine(DOCKER_TOOLS);
    Future<ToolResult> inFlight = engine.invoke(waitForFile());
    String container = awaitStarted(inFlight);

    proxy.cut();
    daemon.client().killContainerCmd(container).exec();  // as a daemon stopping kills its containers
    ProcessError died = assertInstanceOf(ProcessError.class, failure(inFlight).error());
    assertTrue(died.retryableByDefault());
    assertTrue(died.message().contains("lost contact with the Docker daemon"), died.message());

    String warm = await(whereAmI()).output().path("hostname").asText();
    assertFalse(container.startsWith(warm), "another pool's warm container still serves with the daemon gone");
    ToolError meanwhile = failure(engine.invoke(waitForFile())).error();
    assertInstanceOf(RuntimeUnavailable.class, meanwhile, meanwhile.message());
    assertTrue(meanwhile.message().contains("cannot reach the Docker daemon at " + proxy.uri()), meanwhile.message());

    Files.writeString(handshake.resolve("go"), "");
    proxy.open();
    untilServed("wait_for_file", "{\"dir\":\"" + handshake + "\"}");
    assertThrows(NotFoundException.class, () -> daemon.client().inspectContainerCmd(container).exec(),
        "the dead worker's container, which could not be removed while the daemon was gone, is removed now");
  }

  private Future<ToolResult> whereAmI() {
    return call("where_am_i", "{}");
  }

  private Future<ToolResult> call(String tool, String input) {
    try {
      return engine.invoke(Invocation.of(tool, Json.MAPPER.readTree(input)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Invocation waitForFile() {
    return Invocation.of("wait_for_file", Json.MAPPER.createObjectNode().put("dir", handshake.toString()));
  }

  /** Waits until the held call has started in its container; returns the container's id. */
  private String awaitStarted(Future<ToolResult> call) throws Exception {
    Path started = handshake.resolve("started");
    long deadline = System.nanoTime() + RECOVERY_DEADLINE_NANOS;
    while (!Files.exists(started) || Files.readString(started).isEmpty()) {
      if (call.isComplete()) fail("the call ended before it was let go: " + (call.succeeded() ? call.result() : call.cause()));
      if (System.nanoTime() > deadline) fail("the call never started");
      Thread.sleep(20);
    }
    String hostname = Files.readString(started);
    return daemon.client().inspectContainerCmd(hostname).exec().getId();
  }

  /** Calls the tool until it succeeds (each failure must be a retryable one), within a deadline. */
  private JsonNode untilServed(String tool, String input) throws InterruptedException {
    long deadline = System.nanoTime() + RECOVERY_DEADLINE_NANOS;
    while (true) {
      try {
        return await(call(tool, input)).output();
      } catch (ToolException e) {
        assertTrue(e.error().retryableByDefault(), e.error().message());
        if (System.nanoTime() > deadline) throw e;
        Thread.sleep(20);
      }
    }
  }
}
