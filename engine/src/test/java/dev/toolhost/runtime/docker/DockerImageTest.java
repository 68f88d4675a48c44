package dev.toolhost.runtime.docker;

import static dev.toolhost.testing.TestEngines.await;
import static dev.toolhost.testing.TestEngines.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.api.Invocation;
import dev.toolhost.api.Json;
import dev.toolhost.api.RuntimeUnavailable;
import dev.toolhost.engine.ToolEngine;
import dev.toolhost.runtime.Availability;
import dev.toolhost.testing.TestEngines;
import io.vertx.core.Vertx;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A tool may run from an image of its own ({@code toolOverrides.TOOL.docker.image}); the others run from the engine's. */
class DockerImageTest {
  private static final String ALT_REPOSITORY = "toolhost/node-worker";
  private static final String ALT_TAG = "test-alt";
  private static final String ALT_IMAGE = ALT_REPOSITORY + ":" + ALT_TAG;
  private static final String MISSING_IMAGE = "toolhost/node-worker:no-such-tag";

  private static Vertx vertx;
  private static ToolEngine engine;
  private static DockerDaemon daemon;

  @BeforeAll
  static void start() throws Exception {
    DockerAssumptions.assumeDocker();
    daemon = DockerDaemon.connect(DockerAssumptions.HOST);
    daemon.client().tagImageCmd(DockerAssumptions.IMAGE, ALT_REPOSITORY, ALT_TAG).exec();
    vertx = Vertx.vertx();
    engine = TestEngines.start(vertx, TestEngines.config(TestEngines.repo().resolve("engine/src/test/resources/docker-tools"), """
        retry: { maxAttempts: 1 }
        toolOverrides:
          where_am_i:
            docker: { image: "%s" }
          read_host_file:
            docker: { image: "%s" }
        """.formatted(ALT_IMAGE, MISSING_IMAGE),
        Map.of("runtime", "docker", "poolSize", "1", "docker.image", DockerAssumptions.IMAGE)));
  }

  @AfterAll
  static void stop() throws Exception {
    if (engine != null) await(engine.close());
    if (vertx != null) await(vertx.close());
    if (daemon != null) {
      daemon.client().removeImageCmd(ALT_IMAGE).exec();  // the tag only: the image keeps its own
      daemon.close();
    }
  }

  @Test
  void aToolWithAnImageOfItsOwnRunsFromItAndTheOthersFromTheEngines() throws Exception {
    assertEquals(ALT_IMAGE, imageServing("where_am_i"));
    assertEquals(DockerAssumptions.IMAGE, imageServing("write_files"));
  }

  @Test
  void aMissingToolImageIsRuntimeUnavailableNamingItAndTheBuildScriptWhileOtherToolsRun() throws Exception {
    RuntimeUnavailable error = assertInstanceOf(RuntimeUnavailable.class,
        failure(engine.invoke(Invocation.of("read_host_file", Json.MAPPER.createObjectNode()))).error());
    assertTrue(error.retryableByDefault());
    assertTrue(error.message().contains("'" + MISSING_IMAGE + "' is not on the Docker host"), error.message());
    assertTrue(error.message().contains("config/docker/build-local-image.sh"), error.message());
    assertEquals(DockerAssumptions.IMAGE, imageServing("write_files"), "the engine's image still serves");
  }

  @Test
  void doctorNamesAMissingToolImageAndThePermissionModelOfTheImagesNode() {
    Availability docker = await(engine.doctor()).stream().filter(a -> a.runtime().equals("docker")).findFirst().orElseThrow();
    assertTrue(docker.usable(), docker.toString());
    assertTrue(docker.detail().contains("per-tool images not on the Docker host (their tools answer RUNTIME_UNAVAILABLE): "
        + MISSING_IMAGE), docker.detail());
    assertTrue(docker.detail().contains("inside, Node's permission model (--"), docker.detail());
    assertTrue(docker.version().contains("(Node v"), docker.version());
  }

  /** The image of the container that served a call of the tool (its hostname is the container's id). */
  private static String imageServing(String tool) {
    String hostname = await(engine.invoke(Invocation.of(tool, Json.MAPPER.createObjectNode()))).output().path("hostname").asText();
    return daemon.client().inspectContainerCmd(hostname).exec().getConfig().getImage();
  }
}
