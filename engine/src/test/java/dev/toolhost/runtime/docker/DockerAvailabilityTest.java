package dev.toolhost.runtime.docker;

import static dev.toolhost.testing.TestEngines.await;
import static dev.toolhost.testing.TestEngines.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.api.Invocation;
import dev.toolhost.api.Json;
import dev.toolhost.api.RuntimeUnavailable;
import dev.toolhost.config.ConfigLoader;
import dev.toolhost.config.EngineConfig;
import dev.toolhost.engine.ToolEngine;
import dev.toolhost.runtime.Availability;
import dev.toolhost.testing.TestEngines;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where Docker cannot run a worker, the runtime says why and what to do, and the engine answers RUNTIME_UNAVAILABLE. */
class DockerAvailabilityTest {
  @Test
  void noDaemonSocketIsUnavailableWithAHint() {
    EngineConfig config = TestEngines.config(TestEngines.testTools(), null, Map.of("docker.host", "unix:///nonexistent/docker.sock"));
    Availability a = new ContainerLauncher(config, null).probe();
    assertFalse(a.usable());
    assertTrue(a.detail().contains("no Docker daemon socket at /nonexistent/docker.sock"), a.detail());
    assertTrue(a.hint().contains("TOOLHOST_DOCKER_HOST"), a.hint());
  }

  @Test
  void theDaemonIsChosenByToolhostDockerHostThenDockerHost() {
    assertEquals(URI.create("tcp://a:2375"), dockerHost(Map.of("TOOLHOST_DOCKER_HOST", "tcp://a:2375", "DOCKER_HOST", "tcp://b:2375")));
    assertEquals(URI.create("tcp://b:2375"), dockerHost(Map.of("DOCKER_HOST", "tcp://b:2375")));
    assertEquals(URI.create("unix:///var/run/docker.sock"), dockerHost(Map.of()));
  }

  private static URI dockerHost(Map<String, String> env) {
    return ConfigLoader.load(Path.of("/dev/null"), env, Map.of()).dockerHost();
  }

  @Test
  void aMissingImageIsRuntimeUnavailableNamingTheImageAndTheBuildScript() throws Exception {
    DockerAssumptions.assumeDocker();
    Vertx vertx = Vertx.vertx();
    try {
      ToolEngine engine = TestEngines.start(vertx, TestEngines.config(TestEngines.testTools(), "retry: { maxAttempts: 1 }",
          Map.of("runtime", "docker", "docker.image", "toolhost/no-such-image:none")));
      try {
        RuntimeUnavailable error = assertInstanceOf(RuntimeUnavailable.class,
            failure(engine.invoke(Invocation.of("add", Json.MAPPER.readTree("{\"a\":1,\"b\":2}")))).error());
        assertEquals("docker", error.runtime());
        assertTrue(error.message().contains("'toolhost/no-such-image:none' is not on the Docker host"), error.message());
        assertTrue(error.hint().contains("config/docker/build-local-image.sh"), error.hint());
      } finally {
        await(engine.close());
      }
    } finally {
      await(vertx.close());
    }
  }
}
