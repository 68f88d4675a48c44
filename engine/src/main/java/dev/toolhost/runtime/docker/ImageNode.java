package dev.toolhost.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import dev.toolhost.config.PermissionPolicy;
import dev.toolhost.runtime.process.NodeVersion;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The Node.js version of a worker image, found by running {@code node --version} once in a
 * short-lived container (as hardened as a worker's) and reading what it printed. Blocking.
 */
final class ImageNode {
  private static final long VERSION_TIMEOUT_SECONDS = 30;

  private ImageNode() {}

  /** The image's Node version, or empty when it prints none; fails when the container cannot run. */
  static Optional<NodeVersion> version(DockerClient client, String image, String user, InstanceLabels labels) throws IOException {
    String id = client.createContainerCmd(image)
        .withName("toolhost-node-version-" + UUID.randomUUID())
        .withLabels(labels.forWorker("node-version"))
        .withUser(user)
        .withEntrypoint("node")
        .withCmd("--version")
        .withHostConfig(ContainerHardening.hostConfig(PermissionPolicy.DEFAULT, List.of()))
        .exec().getId();
    try {
      client.startContainerCmd(id).exec();
      int status = client.waitContainerCmd(id).start().awaitStatusCode(VERSION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      String output = ContainerOutput.tail(client, id);
      if (status != 0 || output == null) {
        throw new IOException("'node --version' in the image '" + image + "' failed (status " + status + "): " + output);
      }
      return NodeVersion.parse(output);
    } finally {
      ContainerReaper.remove(client, id);
    }
  }
}
