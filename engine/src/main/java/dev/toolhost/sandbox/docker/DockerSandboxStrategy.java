package dev.toolhost.sandbox.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.HostConfig;
import dev.toolhost.api.RuntimeUnavailable;
import dev.toolhost.api.ToolException;
import dev.toolhost.config.PermissionPolicy;
import dev.toolhost.config.SandboxSettings;
import dev.toolhost.runtime.Availability;
import dev.toolhost.runtime.docker.ContainerHardening;
import dev.toolhost.runtime.docker.ContainerReaper;
import dev.toolhost.runtime.docker.DockerDaemon;
import dev.toolhost.runtime.docker.InstanceLabels;
import dev.toolhost.sandbox.Sandbox;
import dev.toolhost.sandbox.SandboxSpec;
import dev.toolhost.sandbox.SandboxStrategy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Docker sandboxes: one container each, hardened as tool containers are ({@link ContainerHardening}:
 * read-only root, no capabilities, no privilege gain, an init, pids, memory and CPU limits), as
 * user {@value #USER}, with tmpfs mounts for the workspace, the home and /tmp. Its network is
 * none, unless the sandbox asks for ports: then a bridge, its ports published on the host's
 * 127.0.0.1 only. Containers carry the labels of tool containers: this engine removes its own on
 * close and, when made, those of engines that are gone. Made once, connecting to the daemon
 * (blocking): without one, its availability says why and every create fails with
 * RUNTIME_UNAVAILABLE.
 */
public final class DockerSandboxStrategy implements SandboxStrategy {
  static final String USER = "10001:10001";
  static final String IMAGE_HINT = "build the local sandbox image with config/docker/build-sandbox-image.sh "
      + "(tag toolhost/sandbox:local), or set sandbox.docker.image (TOOLHOST_SANDBOX_DOCKER_IMAGE) to an image with "
      + "sh, coreutils, grep, find, tar and the interpreters";
  /** npm and pip run many processes; a fork bomb still stops here. */
  private static final long PIDS_LIMIT = 512;
  private static final long MEMORY_BYTES = 2L << 30;
  private static final String OWNED = ",uid=10001,gid=10001,mode=0755";
  private static final Map<String, String> TMPFS = Map.of(
      "/tmp", "rw,nosuid,nodev,exec,size=256m",
      ContainerScripts.WORKSPACE, "rw,nosuid,nodev,exec,size=1g" + OWNED,
      "/home/sandbox", "rw,nosuid,nodev,exec,size=512m" + OWNED);

  private final Vertx vertx;
  private final String defaultImage;
  private final URI host;
  private final InstanceLabels labels = new InstanceLabels();
  private final DockerDaemon daemon;
  private final String unavailable;
  private final int reaped;

  public DockerSandboxStrategy(Vertx vertx, SandboxSettings settings, URI dockerHost) {
    this.vertx = vertx;
    this.defaultImage = settings.dockerImage();
    this.host = dockerHost;
    DockerDaemon connected = null;
    String why = null;
    int removed = 0;
    try {
      connected = DockerDaemon.connect(dockerHost);
      removed = ContainerReaper.removeLeftovers(connected.client(), labels);
    } catch (IOException | RuntimeException e) {
      why = e.getMessage();
    }
    this.daemon = why == null ? connected : null;
    this.unavailable = why;
    this.reaped = removed;
  }

  @Override
  public String type() {
    return "docker";
  }

  @Override
  public Availability availability() {
    if (daemon == null) {
      return Availability.unusable("docker sandbox", unavailable,
          "start the Docker daemon (dockerd), or point TOOLHOST_DOCKER_HOST or DOCKER_HOST at it");
    }
    String image;
    try {
      daemon.client().inspectImageCmd(defaultImage).exec();
      image = "image " + defaultImage;
    } catch (NotFoundException e) {
      image = "the default image " + defaultImage + " is not on the Docker host (" + IMAGE_HINT + ")";
    } catch (RuntimeException e) {
      return Availability.unusable("docker sandbox", "cannot reach the Docker daemon at " + host + ": " + e.getMessage(), null);
    }
    return Availability.usable("docker sandbox", daemon.describe() + ", " + image,
        "a container per sandbox: read-only root, tmpfs workspace, home and /tmp, all capabilities dropped, "
            + "no-new-privileges, user " + USER + ", init, " + PIDS_LIMIT + " pids, " + (MEMORY_BYTES >> 20) + " MiB; "
            + "no network unless the sandbox publishes ports (then on 127.0.0.1 only)"
            + (reaped > 0 ? "; removed " + reaped + " containers left by a crashed engine" : ""));
  }

  @Override
  public Sandbox create(String id, SandboxSpec spec) {
    return new DockerSandbox(id, spec, this, vertx.getOrCreateContext());
  }

  /** Removes this engine's remaining containers and closes the daemon connection. */
  @Override
  public Future<Void> close() {
    if (daemon == null) return Future.succeededFuture();
    return vertx.executeBlocking(() -> {
      try {
        ContainerReaper.removeOwn(daemon.client(), labels);
      } catch (RuntimeException e) {
        // the daemon is gone: the next engine reaps what is left
      }
      daemon.close();
      return null;
    });
  }

  /** @throws ToolException RUNTIME_UNAVAILABLE saying why, where no daemon was reached */
  void checkUsable() {
    if (daemon == null) {
      throw new ToolException(new RuntimeUnavailable("docker sandboxes are not available: " + unavailable, "docker",
          "start the Docker daemon (dockerd), or point TOOLHOST_DOCKER_HOST or DOCKER_HOST at it"));
    }
  }

  /** The hardening of tool containers, with what a sandbox needs on top: room to write, more processes. */
  HostConfig hostConfig(boolean network) {
    return ContainerHardening.hostConfig(PermissionPolicy.DEFAULT, List.of())
        .withTmpFs(TMPFS)
        .withPidsLimit(PIDS_LIMIT)
        .withMemory(MEMORY_BYTES)
        .withMemorySwap(MEMORY_BYTES)
        .withNetworkMode(network ? "bridge" : "none");
  }

  /** Blocking: removes a container (gone already is fine). */
  void remove(String containerId) {
    ContainerReaper.remove(daemon.client(), containerId);
  }

  DockerClient client() {
    return daemon.client();
  }

  InstanceLabels labels() {
    return labels;
  }

  String defaultImage() {
    return defaultImage;
  }
}
