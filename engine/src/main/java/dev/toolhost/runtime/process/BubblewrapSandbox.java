package dev.toolhost.runtime.process;

import dev.toolhost.api.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Bubblewrap ({@code bwrap}) around a worker command: new user, IPC, UTS, cgroup, PID and network
 * namespaces (a worker whose policy lists hosts fetches through the engine, which checks the
 * allowlist on every hop); an empty root with read-only system directories,
 * the runtime's installation, the SDK stage and the tools root; a private /tmp; the worker's
 * scratch and the policy's write paths writable; its channel socket; nothing else of the host
 * (no /etc, no engine files, no other worker's scratch). The environment is cleared, and the
 * sandbox dies with the process the engine holds, taking everything inside with it. The worker
 * learns what it can see ({@code --visible}), so that a file the sandbox hides is PERMISSION_DENIED,
 * as under a permission model, rather than a mere ENOENT.
 */
final class BubblewrapSandbox {
  private final String bwrap;
  private final String version;
  private final String problem;

  private BubblewrapSandbox(String bwrap, String version, String problem) {
    this.bwrap = bwrap;
    this.version = version;
    this.problem = problem;
  }

  /** Finds bwrap and checks that it can create its namespaces here. Blocking. */
  static BubblewrapSandbox probe(String bwrap) {
    try {
      String version = run(List.of(bwrap, "--version"));
      run(List.of(bwrap, "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/",
          "--proc", "/proc", "--dev", "/dev", "true"));
      return new BubblewrapSandbox(bwrap, version.trim(), null);
    } catch (IOException e) {
      return new BubblewrapSandbox(bwrap, null, e.getMessage());
    }
  }

  boolean usable() {
    return problem == null;
  }

  /** What doctor shows: the version, or why bubblewrap cannot be used. */
  String describe() {
    return usable() ? version : "unavailable (" + problem + ")";
  }

  /** The worker command {@code inner} inside the sandbox, reaching the engine through {@code socket}. */
  List<String> wrap(List<String> inner, WorkerLaunch launch, List<Path> installation, Path socket) {
    // --cap-drop ALL: as root, bwrap would leave the worker every capability in its namespaces;
    // --new-session: no controlling terminal to push input into (TIOCSTI), as setsid(1) outside would
    List<String> cmd = new ArrayList<>(List.of(bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--clearenv",
        "--cap-drop", "ALL"));
    List<String> visible = new ArrayList<>(List.of("/proc", "/dev", "/tmp"));
    cmd.addAll(SystemDirectories.bwrapArgs());
    visible.addAll(SystemDirectories.paths());
    cmd.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"));
    installation.forEach(p -> bind(cmd, visible, "--ro-bind", p));
    launch.workerReads().forEach(p -> bind(cmd, visible, "--ro-bind", p));
    bind(cmd, visible, "--bind", launch.scratch());
    bind(cmd, visible, "--bind", socket);
    launch.policyReads().forEach(p -> bind(cmd, visible, "--ro-bind-try", p));
    launch.policyWrites().forEach(p -> bind(cmd, visible, "--bind-try", p));
    cmd.addAll(List.of("--chdir", launch.scratch().toString(), "--"));
    cmd.addAll(inner);
    // no network inside: fetch goes through the engine's allowlist check when the policy lists hosts
    cmd.addAll(List.of("--network", launch.policy().net().isEmpty() ? "none" : "engine"));
    // a file missing elsewhere is missing because of the policy: the worker answers PERMISSION_DENIED
    cmd.addAll(List.of("--visible", Json.MAPPER.valueToTree(visible).toString()));
    return cmd;
  }

  private static void bind(List<String> cmd, List<String> visible, String option, Path path) {
    cmd.add(option);
    cmd.add(path.toString());
    cmd.add(path.toString());
    visible.add(path.toString());
  }

  private static String run(List<String> command) throws IOException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException("no '" + command.get(0) + "' (install bubblewrap)");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException("'" + String.join(" ", command.subList(0, 2)) + "' failed: " + out.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
    return out;
  }
}
