package dev.toolhost.runtime.process;

import dev.toolhost.config.PermissionPolicy;
import dev.toolhost.runtime.Availability;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts Node.js workers. Node's permission model confines file reads to the SDK, the tools
 * root, the worker's scratch directory and the policy's paths, writes to scratch and the
 * policy's paths, and forbids child processes unless the policy allows them ({@link NodeVersion}
 * says how the switch is spelt).
 */
final class NodeRecipe implements LaunchRecipe {
  private final String nodePath;
  private final List<String> nodeOptions;
  private final boolean setsid;
  private volatile String permissionFlag;

  NodeRecipe(String nodePath, List<String> nodeOptions) {
    this.nodePath = nodePath;
    this.nodeOptions = List.copyOf(nodeOptions);
    this.setsid = Path.of("/usr/bin/setsid").toFile().canExecute() || Path.of("/bin/setsid").toFile().canExecute();
  }

  @Override
  public String runtime() {
    return "node";
  }

  @Override
  public Availability probe() {
    String version;
    try {
      Process p = new ProcessBuilder(nodePath, "--version").redirectErrorStream(true).start();
      version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return Availability.unusable("node", "'" + nodePath + " --version' failed: " + version,
            "install Node.js 20.19 or later, or set TOOLHOST_NODE_PATH to its binary");
      }
    } catch (IOException e) {
      return Availability.unusable("node", "no Node.js binary at '" + nodePath + "' (" + e.getMessage() + ")",
          "install Node.js 20.19 or later, or set TOOLHOST_NODE_PATH (config node.path) to its binary");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Availability.unusable("node", "interrupted while probing", null);
    }
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
    if (setsid) cmd.add("setsid");
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
    cmd.add(home.workerScript().toString());
    cmd.add("--channel");
    cmd.add(home.socket(runtime()).toString());
    cmd.add("--id");
    cmd.add(launch.workerId());
    cmd.add("--root");
    cmd.add(home.stagedTools().toString());
    cmd.add("--manifest");
    cmd.add(home.manifest().toString());
    return cmd;
  }

  @Override
  public boolean groupLeader() {
    return setsid;
  }

  private static String absolute(String path) {
    return Path.of(path).toAbsolutePath().normalize().toString();
  }
}
