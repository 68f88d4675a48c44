package dev.toolhost.runtime.docker;

import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import dev.toolhost.api.RuntimeUnavailable;
import dev.toolhost.api.ToolError;
import dev.toolhost.config.EngineConfig;
import dev.toolhost.config.PermissionPolicy;
import dev.toolhost.runtime.Availability;
import dev.toolhost.runtime.process.LaunchedWorker;
import dev.toolhost.runtime.process.WorkerHome;
import dev.toolhost.runtime.process.WorkerLauncher;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts workers as hardened containers ({@link ContainerHardening}) of the configured image.
 * The image needs only Node.js: the SDK and the tools are bind-mounted read-only, and the worker
 * connects to the engine's channel socket, bind-mounted too, exactly as a local worker does. So
 * frames never share a stream with what a tool prints, and the protocol code is the same.
 */
public final class ContainerLauncher implements WorkerLauncher {
  static final String BUILD_HINT = "build the local worker image with config/docker/build-local-image.sh "
      + "(tag toolhost/node-worker:local) and set TOOLHOST_DOCKER_IMAGE=toolhost/node-worker:local, "
      + "or 'docker pull' the configured image";
  /** Where the SDK is mounted: a tool's import of "@toolhost/sdk" from TOOLS_MOUNT resolves to it. */
  public static final String SDK_MOUNT = "/toolhost/node_modules/@toolhost/sdk";
  public static final String TOOLS_MOUNT = "/toolhost/tools";
  private static final String BUNDLES_MOUNT = "/toolhost/bundles";
  private static final String CHANNEL = "/toolhost/channel.sock";
  /** The user the worker runs as when the engine runs as root: a numeric id no image reserves. */
  private static final String UNPRIVILEGED_USER = "10001:10001";
  private static final String USER = user();

  private final String image;
  private final URI host;
  private final WorkerHome home;
  private final InstanceLabels labels = new InstanceLabels();
  private volatile DockerDaemon daemon;

  public ContainerLauncher(EngineConfig config, WorkerHome home) {
    this(config.dockerImage(), DockerDaemon.host(System.getenv()), home);
  }

  ContainerLauncher(String image, URI host, WorkerHome home) {
    this.image = image;
    this.host = host;
    this.home = home;
  }

  @Override
  public String runtime() {
    return "docker";
  }

  @Override
  public Availability probe() {
    if (image == null || image.isBlank()) {
      return Availability.unusable("docker", "no worker image configured", BUILD_HINT);
    }
    DockerDaemon connected;
    try {
      connected = DockerDaemon.connect(host);
    } catch (IOException e) {
      return Availability.unusable("docker", e.getMessage(),
          "start the Docker daemon (dockerd), or point TOOLHOST_DOCKER_HOST or DOCKER_HOST at it");
    }
    try {
      connected.client().inspectImageCmd(image).exec();
    } catch (NotFoundException e) {
      closeQuietly(connected);
      return Availability.unusable("docker", "the worker image '" + image + "' is not on the Docker host", BUILD_HINT);
    } catch (RuntimeException e) {
      closeQuietly(connected);
      return Availability.unusable("docker", "cannot inspect the worker image '" + image + "': " + e.getMessage(), null);
    }
    int reaped;
    try {
      reaped = ContainerReaper.removeLeftovers(connected.client(), labels);
    } catch (RuntimeException e) {
      closeQuietly(connected);
      return Availability.unusable("docker", "cannot list the Docker host's containers: " + e.getMessage(), null);
    }
    daemon = connected;
    return Availability.usable("docker", connected.describe() + ", image " + image,
        "containers: no network, read-only root, tmpfs /tmp, all capabilities dropped, no-new-privileges, "
            + "user " + USER + ", init, limits " + ContainerHardening.PIDS_LIMIT + " pids and by default "
            + (ContainerHardening.DEFAULT_MEMORY_BYTES >> 20) + " MiB and " + ContainerHardening.DEFAULT_CPUS
            + " CPU; network allowlists are refused (not enforceable yet); child processes are not refused "
            + "inside the container (only bounded by the pids limit)"
            + (reaped > 0 ? "; removed " + reaped + " containers left by a crashed engine" : ""));
  }

  @Override
  public Optional<ToolError> refusal(String tool, PermissionPolicy policy) {
    if (policy.net().isEmpty()) return Optional.empty();
    // a container reaches either no network or all of it; an allowlist would need a filtering proxy
    return Optional.of(new RuntimeUnavailable("a network allowlist " + policy.net()
        + " cannot be enforced in a container yet", runtime(),
        "run " + tool + " on another runtime or drop its net permission"));
  }

  @Override
  public LaunchedWorker launch(String workerId, PermissionPolicy policy) throws IOException {
    // the container's user is not the engine's: it may connect, while the 0700 home keeps host users out
    Files.setPosixFilePermissions(home.socket(runtime()), PosixFilePermissions.fromString("rw-rw-rw-"));
    var client = daemon.client();
    CreateContainerResponse created;
    try {
      created = client.createContainerCmd(image)
          .withName("toolhost-" + workerId)
          .withLabels(labels.forWorker(workerId))
          .withUser(USER)
          .withWorkingDir("/tmp")
          .withEnv(List.of())
          .withEntrypoint("node")
          .withCmd(command(workerId))
          .withHostConfig(ContainerHardening.hostConfig(policy, binds(policy)))
          .exec();
    } catch (NotFoundException e) {
      throw new IOException("the worker image '" + image + "' is not on the Docker host; " + BUILD_HINT, e);
    } catch (RuntimeException e) {
      throw daemonFailure(e);
    }
    try {
      client.startContainerCmd(created.getId()).exec();
      return new WorkerContainer(client, created.getId(), ContainerHardening.memoryLimit(policy)).watch();
    } catch (RuntimeException e) {
      try {
        ContainerReaper.remove(client, created.getId());
      } catch (RuntimeException alsoFailed) {
        // reaped at shutdown or by the next instance
      }
      throw daemonFailure(e);
    }
  }

  /** docker-java wraps a lost connection (a stopped or restarting daemon) in a RuntimeException; says which it was. */
  private IOException daemonFailure(RuntimeException e) {
    return e.getCause() instanceof IOException io
        ? new IOException("cannot reach the Docker daemon at " + host + " (" + io.getMessage() + ")", e)
        : new IOException("the Docker daemon at " + host + " refused: " + String.valueOf(e.getMessage()).strip(), e);
  }

  @Override
  public void close() {
    DockerDaemon d = daemon;
    if (d == null) return;
    try {
      ContainerReaper.removeOwn(d.client(), labels);
    } catch (RuntimeException e) {
      // the daemon is gone: the next instance reaps what is left
    }
    closeQuietly(d);
  }

  private List<String> command(String workerId) {
    return List.of("--no-warnings", SDK_MOUNT + "/worker.mjs", "--channel", CHANNEL, "--id", workerId,
        "--root", TOOLS_MOUNT, "--manifest", BUNDLES_MOUNT + "/" + home.manifest().getFileName());
  }

  /** The SDK, the tools and the channel; the policy's paths at the same place as on the host. */
  private List<Bind> binds(PermissionPolicy policy) {
    List<Bind> binds = new ArrayList<>(List.of(
        new Bind(home.sdk().toString(), new Volume(SDK_MOUNT), AccessMode.ro),
        new Bind(home.toolsRoot().toString(), new Volume(TOOLS_MOUNT), AccessMode.ro),
        // the manifest names its bundles relative to itself, so the directory can sit anywhere
        new Bind(home.bundles().toString(), new Volume(BUNDLES_MOUNT), AccessMode.ro),
        new Bind(home.socket(runtime()).toString(), new Volume(CHANNEL), AccessMode.ro)));
    policy.fsRead().forEach(p -> binds.add(new Bind(absolute(p), new Volume(absolute(p)), AccessMode.ro)));
    policy.fsWrite().forEach(p -> binds.add(new Bind(absolute(p), new Volume(absolute(p)), AccessMode.rw)));
    return binds;
  }

  /** The engine's own user where it is not root (its files are readable to it), else an unprivileged one. */
  private static String user() {
    try {
      int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      int gid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:gid");
      return uid == 0 ? UNPRIVILEGED_USER : uid + ":" + gid;
    } catch (IOException | UnsupportedOperationException e) {
      return UNPRIVILEGED_USER;
    }
  }

  private static String absolute(String path) {
    return Path.of(path).toAbsolutePath().normalize().toString();
  }

  private static void closeQuietly(DockerDaemon d) {
    try {
      d.close();
    } catch (IOException e) {
      // nothing left to release
    }
  }
}
