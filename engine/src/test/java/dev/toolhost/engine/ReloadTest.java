package dev.toolhost.engine;

import static dev.toolhost.testing.TestEngines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.toolhost.api.Invocation;
import dev.toolhost.api.Json;
import dev.toolhost.api.ToolResult;
import dev.toolhost.testing.TestEngines;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reloading the tools root while a call is in flight: the call finishes on the old generation,
 * the next call sees the change. The in-flight call waits on a gate (an HTTP request this test
 * answers when it chooses), so the order is certain without sleeping.
 */
@ExtendWith(VertxExtension.class)
class ReloadTest {
  @TempDir Path root;

  @BeforeEach
  void tools() throws IOException {
    Files.writeString(root.resolve("gated.js"), """
        export async function gated(input, ctx) {
          const response = await ctx.fetch(input.url);
          return { gate: await response.text() };
        }
        """);
    writeVersion(1);
  }

  private void writeVersion(int v) throws IOException {
    Files.writeString(root.resolve("version.ts"), "export function version(): { v: number } { return { v: " + v + " }; }\n");
  }

  private static int version(ToolEngine engine) {
    return await(engine.invoke(Invocation.of("version", null))).output().path("v").asInt();
  }

  @ParameterizedTest
  @ValueSource(strings = {"graaljs", "node"})
  void aCallInFlightFinishesOnTheOldGenerationAndTheNextCallSeesTheChange(String runtime, Vertx vertx) throws Exception {
    if (runtime.equals("node")) TestEngines.assumeNode();
    Promise<HttpServerRequest> arrived = Promise.promise();
    HttpServer gate = await(vertx.createHttpServer().requestHandler(arrived::tryComplete).listen(0, "127.0.0.1"));
    String yaml = "toolOverrides:\n  gated:\n    permissions:\n      net: [\"127.0.0.1:" + gate.actualPort() + "\"]\n";
    ToolEngine engine = TestEngines.start(vertx, TestEngines.config(root, yaml, Map.of("runtime", runtime)));
    try {
      assertEquals(1, version(engine));
      Future<ToolResult> inFlight = engine.invoke(Invocation.of("gated",
          Json.MAPPER.createObjectNode().put("url", "http://127.0.0.1:" + gate.actualPort() + "/")));
      HttpServerRequest request = await(arrived.future());  // the call is running in a worker of the first load
      Set<Long> firstWorkers = workerPids(root.toRealPath().toString());

      writeVersion(2);
      await(engine.reload());
      assertEquals(2, version(engine), "a call after the reload runs the changed tool");
      assertFalse(inFlight.isComplete(), "the call in flight was not disturbed by the reload");

      request.response().end("open");
      assertEquals("open", await(inFlight).output().path("gate").asText());
      assertEquals(2, version(engine));
      if (runtime.equals("node")) {
        assertFalse(firstWorkers.isEmpty());
        awaitGone(firstWorkers);  // the first load's workers are closed once its last call left
      }
    } finally {
      await(engine.close());
      await(gate.close());
    }
  }

  @Test
  void theWatcherReloadsOnceTheFilesAreQuiet(Vertx vertx) throws Exception {
    AtomicInteger changes = new AtomicInteger();
    try (ToolsRootWatcher watcher = ToolsRootWatcher.start(vertx, root, Duration.ofMillis(50), changes::incrementAndGet)) {
      Files.createDirectories(root.resolve("node_modules/pkg"));
      Path sub = Files.createDirectories(root.resolve("sub"));
      awaitCount(changes, 1);
      Files.writeString(sub.resolve("new.js"), "export const n = () => 1;\n");  // in a directory made after the start
      awaitCount(changes, 2);
    }
  }

  /** The Node workers this JVM runs now for the tools root {@code root} (named in their command lines). */
  private static Set<Long> workerPids(String root) {
    return ProcessHandle.current().descendants()
        .filter(p -> p.info().commandLine().map(c -> c.contains("worker.mjs") && c.contains(root)).orElse(false))
        .map(ProcessHandle::pid).collect(Collectors.toSet());
  }

  private static void awaitGone(Set<Long> pids) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!alive(pids).isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
    assertEquals(Set.of(), alive(pids), "workers of the first load still alive");
  }

  private static Set<Long> alive(Set<Long> pids) {
    return pids.stream().filter(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)).collect(Collectors.toSet());
  }

  /** Polls until {@code counter} reaches {@code expected}, failing after 30 s. */
  private static void awaitCount(AtomicInteger counter, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (counter.get() < expected && System.nanoTime() < deadline) Thread.sleep(10);
    assertEquals(expected, counter.get());
  }
}
