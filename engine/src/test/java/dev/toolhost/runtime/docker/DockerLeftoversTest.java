package dev.toolhost.runtime.docker;

import static dev.toolhost.testing.TestEngines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.toolhost.api.Invocation;
import dev.toolhost.api.Json;
import dev.toolhost.engine.ToolEngine;
import dev.toolhost.testing.TestEngines;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Nothing leaks: a crashed instance's containers are removed by the next one, and an engine removes its own on shutdown. */
class DockerLeftoversTest {
  private static Vertx vertx;
  private static DockerDaemon daemon;

  @BeforeAll
  static void start() throws Exception {
    DockerAssumptions.assumeDocker();
    vertx = Vertx.vertx();
    daemon = DockerDaemon.connect(DockerAssumptions.HOST);
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) await(vertx.close());
    if (daemon != null) daemon.close();
  }

  @Test
  void theContainersOfACrashedInstanceAreRemovedAtStartAndAnEnginesOwnAtShutdown() throws Exception {
    String leftover = crashedInstancesContainer();

    ToolEngine engine = TestEngines.start(vertx, TestEngines.config(TestEngines.testTools(), null,
        Map.of("runtime", "docker", "poolSize", "2", "docker.image", DockerAssumptions.IMAGE)));
    assertThrows(NotFoundException.class, () -> daemon.client().inspectContainerCmd(leftover).exec(),
        "the crashed instance's container was removed when the engine started");

    await(engine.invoke(Invocation.of("add", Json.MAPPER.readTree("{\"a\":1,\"b\":2}"))));
    assertEquals(2, ownContainers().size(), "the pool's two containers");
    await(engine.close());
    assertEquals(List.of(), ownContainers(), "shutdown removed them");
  }

  @Test
  void aShutdownWhileContainersAreStillStartingLeavesNone() throws Exception {
    ToolEngine engine = TestEngines.start(vertx, TestEngines.config(TestEngines.testTools(), null,
        Map.of("runtime", "docker", "poolSize", "4", "docker.image", DockerAssumptions.IMAGE)));
    // the first container to be ready answers; the other three are still being created and started
    await(engine.invoke(Invocation.of("add", Json.MAPPER.readTree("{\"a\":1,\"b\":2}"))));
    await(engine.close());
    assertEquals(List.of(), ownContainers());
  }

  /** A running container labelled as a worker of an engine process of this host that has exited. */
  private static String crashedInstancesContainer() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Map<String, String> labels = new HashMap<>(new InstanceLabels().forWorker("leftover"));
    labels.put(InstanceLabels.PID, Long.toString(gone.pid()));
    String id = daemon.client().createContainerCmd(DockerAssumptions.IMAGE)
        .withLabels(labels)
        .withEntrypoint("node")
        .withCmd("-e", "setInterval(() => {}, 1e9)")
        .exec().getId();
    daemon.client().startContainerCmd(id).exec();
    assertTrue(daemon.client().inspectContainerCmd(id).exec().getState().getRunning());
    return id;
  }

  private static List<String> ownContainers() {
    return daemon.client().listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of(InstanceLabels.PID, Long.toString(ProcessHandle.current().pid())))
        .exec().stream().map(c -> c.getId()).toList();
  }
}
