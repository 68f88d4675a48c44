package dev.toolhost.runtime.docker;

import dev.toolhost.config.ConfigLoader;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Docker tests run against a real daemon and the local worker image; where either is missing
 * they report themselves skipped, saying which and how to get it, and never pass silently.
 */
public final class DockerAssumptions {
  /** The worker image the tests use: TOOLHOST_DOCKER_IMAGE, else the one build-local-image.sh makes. */
  public static final String IMAGE = System.getenv().getOrDefault("TOOLHOST_DOCKER_IMAGE", "toolhost/node-worker:local");
  /** The daemon the engine would use: TOOLHOST_DOCKER_HOST, else DOCKER_HOST, else the local socket. */
  public static final URI HOST = ConfigLoader.load(null, System.getenv(), Map.of()).dockerHost();
  private static String missing;
  private static boolean probed;

  private DockerAssumptions() {}

  public static synchronized void assumeDocker() {
    if (!probed) {
      probed = true;
      missing = probe();
    }
    Assumptions.assumeTrue(missing == null, () -> "skipped: " + missing);
  }

  private static String probe() {
    try (DockerDaemon daemon = DockerDaemon.connect(HOST)) {
      daemon.client().inspectImageCmd(IMAGE).exec();
      return null;
    } catch (IOException e) {
      return e.getMessage() + " (start dockerd, or set DOCKER_HOST)";
    } catch (RuntimeException e) {
      return "the image " + IMAGE + " is not there (" + e.getMessage() + "): run config/docker/build-local-image.sh";
    }
  }
}
