package dev.toolhost.runtime.docker;

import java.io.IOException;
import org.junit.jupiter.api.Assumptions;

/**
 * Docker tests run against a real daemon and the local worker image; where either is missing
 * they report themselves skipped, saying which and how to get it, and never pass silently.
 */
public final class DockerAssumptions {
  /** The worker image the tests use: TOOLHOST_DOCKER_IMAGE, else the one build-local-image.sh makes. */
  public static final String IMAGE = System.getenv().getOrDefault("TOOLHOST_DOCKER_IMAGE", "toolhost/node-worker:local");
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
    try (DockerDaemon daemon = DockerDaemon.connect(DockerDaemon.host(System.getenv()))) {
      daemon.client().inspectImageCmd(IMAGE).exec();
      return null;
    } catch (IOException e) {
      return e.getMessage() + " (start dockerd, or set DOCKER_HOST)";
    } catch (RuntimeException e) {
      return "the image " + IMAGE + " is not there (" + e.getMessage() + "): run config/docker/build-local-image.sh";
    }
  }
}
