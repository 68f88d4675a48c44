package dev.toolhost.runtime.process;

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
 * sandbox dies with the process the engine holds, taking everything inside with it.
 */
final class BubblewrapSandbox {
  /** The system directories a dynamically linked runtime needs; /etc is left out on purpose. */
  private static final List<String> SYSTEM = List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64");

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
    // --new-session: no controlling terminal to push input into (TIOCSTI), as setsid(1) outside would
    List<String> cmd = new ArrayList<>(List.of(bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--clearenv"));
    for (String dir : SYSTEM) {
      Path p = Path.of(dir);
      if (Files.isSymbolicLink(p)) {
        cmd.addAll(List.of("--symlink", readLink(p), dir));  // usrmerge: /bin -> usr/bin
      } else if (Files.isDirectory(p)) {
        cmd.addAll(List.of("--ro-bind", dir, dir));
      }
    }
    cmd.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"));
    installation.forEach(p -> bind(cmd, "--ro-bind", p));
    launch.workerReads().forEach(p -> bind(cmd, "--ro-bind", p));
    bind(cmd, "--bind", launch.scratch());
    bind(cmd, "--bind", socket);
    launch.policyReads().forEach(p -> bind(cmd, "--ro-bind-try", p));
    launch.policyWrites().forEach(p -> bind(cmd, "--bind-try", p));
    cmd.addAll(List.of("--chdir", launch.scratch().toString(), "--"));
    cmd.addAll(inner);
    // no network inside: fetch goes through the engine's allowlist check when the policy lists hosts
    cmd.addAll(List.of("--network", launch.policy().net().isEmpty() ? "none" : "engine"));
    return cmd;
  }

  private static void bind(List<String> cmd, String option, Path path) {
    cmd.add(option);
    cmd.add(path.toString());
    cmd.add(path.toString());
  }

  private static String readLink(Path link) {
    try {
      return Files.readSymbolicLink(link).toString();
    } catch (IOException e) {
      return link.toString();
    }
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
