package dev.toolhost.sandbox.docker;

import dev.toolhost.config.ConfigLoader;
import dev.toolhost.runtime.docker.DockerDaemon;
import dev.toolhost.sandbox.SandboxFixture;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * A {@link SandboxFixture} with the docker strategy. Its tests need a real daemon and the sandbox
 * image (config/docker/build-sandbox-image.sh); where either is missing they report themselves
 * skipped, saying which.
 */
final class DockerSandboxFixture {
  static final URI HOST = ConfigLoader.load(null, System.getenv(), Map.of()).dockerHost();
  private static String missing;
  private static boolean probed;

  private DockerSandboxFixture() {}

  static SandboxFixture start(int maxLive) throws IOException {
    return start(maxLive, List.of());
  }

  /** @param ports what the fixture's {@code create()} publishes */
  static SandboxFixture start(int maxLive, List<Integer> ports) throws IOException {
    assumeDockerAndImage();
    Path dir = Files.createTempDirectory("toolhost-docker-sandbox-test");
    var settings = SandboxFixture.settings(dir, "off", maxLive);
    return new SandboxFixture(dir, settings, vertx -> new DockerSandboxStrategy(vertx, settings, HOST), ports);
  }

  static synchronized void assumeDockerAndImage() {
    if (!probed) {
      probed = true;
      String image = SandboxFixture.settings(Path.of("."), "off", 1).dockerImage();
      try (DockerDaemon daemon = DockerDaemon.connect(HOST)) {
        daemon.client().inspectImageCmd(image).exec();
      } catch (IOException e) {
        missing = e.getMessage() + " (start dockerd, or set DOCKER_HOST)";
      } catch (RuntimeException e) {
        missing = "the sandbox image " + image + " is not there: run config/docker/build-sandbox-image.sh";
      }
    }
    Assumptions.assumeTrue(missing == null, () -> "skipped: " + missing);
  }
}
