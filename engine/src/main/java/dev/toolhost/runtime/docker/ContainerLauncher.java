package dev.toolhost.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import dev.toolhost.config.EngineConfig;
import dev.toolhost.config.PermissionPolicy;
import dev.toolhost.config.ToolSettings;
import dev.toolhost.runtime.Availability;
import dev.toolhost.runtime.process.LaunchedWorker;
import dev.toolhost.runtime.process.NodeVersion;
import dev.toolhost.runtime.process.WorkerHome;
import dev.toolhost.runtime.process.WorkerLauncher;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts workers as hardened containers ({@link ContainerHardening}) of one image: the engine's,
 * or, from {@link #forTool}, a tool's own (the launchers of all images share one daemon
 * connection). The image needs only Node.js: the SDK and the tools are bind-mounted read-only,
 * and the worker connects to the engine's channel socket, bind-mounted too, exactly as a local
 * worker does. So frames never share a stream with what a tool prints, and the protocol code is
 * the same.
 */
public final class ContainerLauncher implements WorkerLauncher {
  static final String BUILD_HINT = "build the local worker image with config/docker/build-local-image.sh "
      + "(tag toolhost/node-worker:local) and set TOOLHOST_DOCKER_IMAGE=toolhost/node-worker:local, "
      + "or 'docker pull' the configured image";
  /** Where the SDK is mounted: a tool's import of "@toolhost/sdk" from TOOLS_MOUNT resolves to it. */
  public static final String SDK_MOUNT = "/toolhost/node_modules/@toolhost/sdk";
  public static final String TOOLS_MOUNT = "/toolhost/tools";
  /** Where everything the engine mounts for the worker lives (SDK, tools, bundles, channel). */
  private static final String TOOLHOST_MOUNTS = "/toolhost";
  private static final String BUNDLES_MOUNT = "/toolhost/bundles";
  private static final String CHANNEL = "/toolhost/channel.sock";
  /** The user the worker runs as when the engine runs as root: a numeric id no image reserves. */
  private static final String UNPRIVILEGED_USER = "10001:10001";
  private static final String USER = user();

  private final String image;
  private final DockerHost host;
  /** The image's Node version, found on first use; guarded by this. */
  private Optional<NodeVersion> imageNode;

  /** The launcher of the engine's image; tools with an image of their own get theirs from {@link #forTool}. */
  public ContainerLauncher(EngineConfig config, WorkerHome home) {
    this(config.dockerImage(), new DockerHost(config, home));
  }

  private ContainerLauncher(String image, DockerHost host) {
    this.image = image;
    this.host = host;
  }

  @Override
  public String runtime() {
    return "docker";
  }

  @Override
  public WorkerLauncher forTool(String tool) {
    String own = host.config.dockerImageFor(tool);
    return own.equals(image) ? this : host.byImage.computeIfAbsent(own, i -> new ContainerLauncher(i, host));
  }

  @Override
  public Availability probe() {
    DockerDaemon connected;
    try {
      connected = DockerDaemon.connect(host.uri);
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
      reaped = ContainerReaper.removeLeftovers(connected.client(), host.labels);
    } catch (RuntimeException e) {
      closeQuietly(connected);
      return Availability.unusable("docker", "cannot list the Docker host's containers: " + e.getMessage(), null);
    }
    Optional<NodeVersion> node;
    try {
      node = imageNode(connected.client());
    } catch (IOException | RuntimeException e) {
      closeQuietly(connected);
      return Availability.unusable("docker", "cannot run node in the worker image '" + image + "': " + e.getMessage(), null);
    }
    host.daemon = connected;
    List<String> missing = missingToolImages(connected);
    return Availability.usable("docker", connected.describe() + ", image " + image + " (Node "
            + node.map(NodeVersion::toString).orElse("of unknown version") + ")",
        "containers: no network, read-only root, tmpfs /tmp, all capabilities dropped, no-new-privileges, "
            + "user " + USER + ", init, limits " + ContainerHardening.PIDS_LIMIT + " pids and by default "
            + (ContainerHardening.DEFAULT_MEMORY_BYTES >> 20) + " MiB and " + ContainerHardening.DEFAULT_CPUS
            + " CPU; a network allowlist is held by the engine: the container has no network, its fetch "
            + "goes over the channel to the engine, which reaches only the allowlisted hosts; "
            + node.flatMap(NodeVersion::permissionFlag)
                .map(flag -> "inside, Node's permission model (" + flag + ") confines fs reads and writes and child "
                    + "processes to the policy, as on the node runtime")
                .orElse("the image's Node has no permission model: inside the container, fs access is bounded only "
                    + "by its mounts and child processes are not refused (only bounded by the pids limit)")
            + (missing.isEmpty() ? "" : "; per-tool images not on the Docker host (their tools answer "
                + "RUNTIME_UNAVAILABLE): " + String.join(", ", missing))
            + (reaped > 0 ? "; removed " + reaped + " containers left by a crashed engine" : ""));
  }

  /** The images of toolOverrides.TOOL.docker.image that the daemon lacks. */
  private List<String> missingToolImages(DockerDaemon connected) {
    return host.config.toolOverrides().values().stream()
        .map(ToolSettings::dockerImage)
        .filter(i -> i != null && !i.equals(image))
        .distinct()
        .filter(i -> {
          try {
            connected.client().inspectImageCmd(i).exec();
            return false;
          } catch (NotFoundException e) {
            return true;
          }
        })
        .sorted()
        .toList();
  }

  @Override
  public LaunchedWorker launch(String workerId, PermissionPolicy policy) throws IOException {
    // the container's user is not the engine's: it may connect, while the 0700 home keeps host users out
    Files.setPosixFilePermissions(host.home.socket(runtime()), PosixFilePermissions.fromString("rw-rw-rw-"));
    var client = host.daemon.client();
    host.removeUnremoved();
    CreateContainerResponse created;
    try {
      created = client.createContainerCmd(image)
          .withName("toolhost-" + workerId)
          .withLabels(host.labels.forWorker(workerId))
          .withUser(USER)
          .withWorkingDir("/tmp")
          .withEnv(List.of())
          .withEntrypoint("node")
          .withCmd(command(workerId, policy, imageNode(client).flatMap(NodeVersion::permissionFlag)))
          .withHostConfig(ContainerHardening.hostConfig(policy, binds(policy)))
          .exec();
    } catch (NotFoundException e) {
      throw new IOException("the worker image '" + image + "' is not on the Docker host; " + BUILD_HINT, e);
    } catch (RuntimeException e) {
      throw daemonFailure(e);
    }
    try {
      client.startContainerCmd(created.getId()).exec();
      return new WorkerContainer(client, created.getId(), ContainerHardening.memoryLimit(policy), host.unremoved::add).watch();
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
        ? new IOException("cannot reach the Docker daemon at " + host.uri + " (" + io.getMessage() + ")", e)
        : new IOException("the Docker daemon at " + host.uri + " refused: " + String.valueOf(e.getMessage()).strip(), e);
  }

  @Override
  public void close() {
    DockerDaemon d = host.daemon;
    if (d == null) return;
    try {
      ContainerReaper.removeOwn(d.client(), host.labels);
    } catch (RuntimeException e) {
      // the daemon is gone: the next instance reaps what is left
    }
    closeQuietly(d);
  }

  /** The image's Node version, found once (the first launch or probe of this image). Blocking. */
  private synchronized Optional<NodeVersion> imageNode(DockerClient client) throws IOException {
    if (imageNode == null) imageNode = ImageNode.version(client, image, USER, host.labels);
    return imageNode;
  }

  /**
   * The worker's command line. Where the image's Node has a permission model, it confines the
   * worker as on the node runtime: reads to the mounts, writes to /tmp, both to the policy's
   * paths, and child processes only when the policy allows them. Without network of its own, a
   * refused connection is the policy's doing, and fetch goes through the engine's allowlist.
   */
  private List<String> command(String workerId, PermissionPolicy policy, Optional<String> permissionFlag) {
    List<String> cmd = new ArrayList<>(List.of("--no-warnings"));
    permissionFlag.ifPresent(flag -> {
      cmd.add(flag);
      cmd.add("--allow-fs-read=" + TOOLHOST_MOUNTS);
      cmd.add("--allow-fs-read=/tmp");
      cmd.add("--allow-fs-write=/tmp");
      policy.fsRead().forEach(p -> cmd.add("--allow-fs-read=" + absolute(p)));
      policy.fsWrite().forEach(p -> cmd.add("--allow-fs-write=" + absolute(p)));
      if (policy.subprocess()) cmd.add("--allow-child-process");
    });
    cmd.addAll(List.of(SDK_MOUNT + "/worker.mjs", "--channel", CHANNEL, "--id", workerId,
        "--root", TOOLS_MOUNT, "--manifest", BUNDLES_MOUNT + "/" + host.home.manifest().getFileName(),
        // the container has no network: fetch to allowlisted hosts goes through the engine's check
        "--network", policy.net().isEmpty() ? "none" : "engine"));
    return cmd;
  }

  /** The SDK, the tools and the channel; the policy's paths at the same place as on the host. */
  private List<Bind> binds(PermissionPolicy policy) {
    WorkerHome home = host.home;
    List<Bind> binds = new ArrayList<>(List.of(
        new Bind(home.sdk().toString(), new Volume(SDK_MOUNT), AccessMode.ro),
        new Bind(home.toolsRoot().toString(), new Volume(TOOLS_MOUNT), AccessMode.ro),
        // the manifest names its bundles relative to itself, so the directory can sit anywhere
        new Bind(home.bundles().toString(), new Volume(BUNDLES_MOUNT), AccessMode.ro),
        new Bind(home.socket(runtime()).toString(), new Volume(CHANNEL), AccessMode.ro)));
    // a path may be mounted once: one the policy lets the tool write is mounted writable
    Map<String, AccessMode> paths = new LinkedHashMap<>();
    policy.fsRead().forEach(p -> paths.put(absolute(p), AccessMode.ro));
    policy.fsWrite().forEach(p -> paths.put(absolute(p), AccessMode.rw));
    paths.forEach((path, mode) -> binds.add(new Bind(path, new Volume(path), mode)));
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

  /**
   * What the launchers of every image share: the daemon (connected by the first successful
   * probe), the labels of this engine instance, the workers' home and the configuration.
   */
  private static final class DockerHost {
    final EngineConfig config;
    final URI uri;
    final WorkerHome home;
    final InstanceLabels labels = new InstanceLabels();
    final Map<String, ContainerLauncher> byImage = new ConcurrentHashMap<>();
    /** Containers of dead workers that could not be removed while the daemon was unreachable. */
    final Set<String> unremoved = ConcurrentHashMap.newKeySet();
    volatile DockerDaemon daemon;

    DockerHost(EngineConfig config, WorkerHome home) {
      this.config = config;
      this.uri = config.dockerHost();
      this.home = home;
    }

    /** Removes the containers the daemon could not remove before; those it still cannot stay listed. Blocking. */
    void removeUnremoved() {
      for (String id : unremoved) {
        try {
          ContainerReaper.remove(daemon.client(), id);
          unremoved.remove(id);
        } catch (RuntimeException e) {
          return;  // still unreachable: the launch will say so
        }
      }
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
