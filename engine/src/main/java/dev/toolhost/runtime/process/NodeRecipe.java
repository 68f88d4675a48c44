package dev.toolhost.runtime.process;

import dev.toolhost.config.PermissionPolicy;
import dev.toolhost.runtime.Availability;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts Node.js workers. Node's permission model confines file reads to the SDK, the tools
 * root, the worker's scratch directory and the policy's paths, writes to scratch and the
 * policy's paths, and forbids child processes unless the policy allows them ({@link NodeVersion}
 * says how the switch is spelt).
 */
final class NodeRecipe implements LaunchRecipe {
  private final String nodePath;
  private final List<String> nodeOptions;
  private volatile String permissionFlag;

  NodeRecipe(String nodePath, List<String> nodeOptions) {
    this.nodePath = nodePath;
    this.nodeOptions = List.copyOf(nodeOptions);
  }

  @Override
  public String runtime() {
    return "node";
  }

  @Override
  public Availability probe() {
    VersionProbe probe = VersionProbe.run(nodePath);
    if (probe.failure() != null) {
      return Availability.unusable("node", probe.failure(),
          "install Node.js 20.19 or later, or set TOOLHOST_NODE_PATH (config node.path) to its binary");
    }
    String version = probe.version();
    NodeVersion parsed = NodeVersion.parse(version).orElse(null);
    if (parsed == null) return Availability.unusable("node", "unrecognised version '" + version + "'", null);
    int major = parsed.major();
    int minor = parsed.minor();
    if (major < 20 || (major == 20 && minor < 19)) {
      // 20.19 is the first 20.x to load ES modules by syntax and require() them (the SDK relies on both)
      return Availability.unusable("node", "Node.js " + version + " is too old", "install Node.js 20.19 or later");
    }
    permissionFlag = parsed.permissionFlag().orElseThrow();
    return Availability.usable("node", version,
        "permission model (" + permissionFlag + "): fs read/write and child processes enforced; "
            + "network not restricted by Node (bubblewrap isolation comes with the Bun runtime)");
  }

  @Override
  public List<String> command(WorkerLaunch launch) {
    WorkerHome home = launch.home();
    PermissionPolicy policy = launch.policy();
    Path scratch = home.scratch(launch.workerId());
    List<String> cmd = new ArrayList<>();
    cmd.add(nodePath);
    cmd.add("--no-warnings");
    cmd.add("--preserve-symlinks");
    cmd.add("--preserve-symlinks-main");
    cmd.add(permissionFlag);
    for (Path p : List.of(home.stage(), home.toolsRoot(), scratch)) cmd.add("--allow-fs-read=" + p);
    cmd.add("--allow-fs-write=" + scratch);
    policy.fsRead().forEach(p -> cmd.add("--allow-fs-read=" + absolute(p)));
    policy.fsWrite().forEach(p -> cmd.add("--allow-fs-write=" + absolute(p)));
    if (policy.subprocess()) cmd.add("--allow-child-process");
    if (policy.memoryBytes() > 0) cmd.add("--max-old-space-size=" + Math.max(16, policy.memoryBytes() >> 20));
    cmd.addAll(nodeOptions);
    return WorkerCommand.of(cmd, launch, runtime());
  }

  private static String absolute(String path) {
    return Path.of(path).toAbsolutePath().normalize().toString();
  }
}
