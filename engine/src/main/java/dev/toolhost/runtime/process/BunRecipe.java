package dev.toolhost.runtime.process;

import dev.toolhost.runtime.Availability;
import dev.toolhost.runtime.Toolchain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Starts Bun workers running the same bootstrap as Node (worker.mjs). The binary is the one
 * configured ({@code bun.path} / {@code TOOLHOST_BUN_PATH}), else the first on PATH, else the
 * project-local install the build makes ({@link Toolchain}).
 *
 * <p>Bun has no permission model: by itself it cannot refuse a tool a file or a host; the
 * bubblewrap sandbox around its command holds those. A tool's default {@code subprocess: false}
 * is held by the kernel: the worker installs a seccomp filter on itself before loading any tool
 * ({@code --subprocess deny}), where the kernel has seccomp filters; elsewhere nothing holds it,
 * and {@code enforcement: strict} refuses the tool.
 */
final class BunRecipe implements LaunchRecipe {
  private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+");
  private static final String GET_BUN =
      "run toolchain/install.sh (it installs bun from npm), or npm i -g bun, or set TOOLHOST_BUN_PATH (config bun.path) to a bun binary";

  private final String configuredPath;
  private volatile String bunPath;

  /** @param configuredPath {@code bun.path}, or null to search PATH and the project-local install */
  BunRecipe(String configuredPath) {
    this.configuredPath = configuredPath;
  }

  @Override
  public String runtime() {
    return "bun";
  }

  @Override
  public Availability probe() {
    Optional<Path> found = Toolchain.find("bun", configuredPath);
    if (found.isEmpty()) {
      String searched = Toolchain.searched("bun", configuredPath);
      return configuredPath != null && !configuredPath.isBlank()
          ? Availability.unusable("bun", "no bun binary at " + searched + " (bun.path / TOOLHOST_BUN_PATH)",
              "fix TOOLHOST_BUN_PATH (config bun.path), or unset it to use bun from PATH or toolchain/install.sh")
          : Availability.unusable("bun", "no bun binary found (looked in " + searched + ")", GET_BUN);
    }
    String path = found.get().toString();
    VersionProbe probe = VersionProbe.run(path);
    if (probe.failure() != null) return Availability.unusable("bun", probe.failure(), GET_BUN);
    if (!VERSION.matcher(probe.version()).matches()) {
      return Availability.unusable("bun", "'" + path + " --version' printed '" + probe.version() + "', not a Bun version", GET_BUN);
    }
    bunPath = Toolchain.realPath(found.get()).toString();  // a sandbox binds real paths, and has no PATH
    return Availability.usable("bun", probe.version(), path + "; no permission model of its own"
        + (SeccompFilters.AVAILABLE ? ", a seccomp filter refuses child processes" : ""));
  }

  /**
   * The directory of bun's installation (its binary's real path was taken in {@link #probe()}):
   * {@code node_modules/bun} for {@code node_modules/.bin/bun -> ../bun/bin/bun.exe}, {@code /usr/local}
   * for {@code /usr/local/bin/bun}.
   */
  @Override
  public List<Path> installation() {
    Path dir = Path.of(bunPath).getParent();
    boolean inBin = dir.getFileName() != null && dir.getFileName().toString().equals("bin") && dir.getParent() != null;
    return List.of(inBin ? dir.getParent() : dir);
  }

  @Override
  public Set<Safeguard> enforces() {
    return SeccompFilters.AVAILABLE ? Set.of(Safeguard.NO_SUBPROCESS) : Set.of();
  }

  @Override
  public List<String> command(WorkerLaunch launch) {
    List<String> cmd = WorkerCommand.of(interpreter(), launch, runtime());
    if (!launch.policy().subprocess() && SeccompFilters.AVAILABLE) {
      cmd = new ArrayList<>(cmd);
      cmd.addAll(List.of("--subprocess", "deny"));
    }
    return cmd;
  }

  /** Bun and its flags: the part a sandbox wraps. */
  List<String> interpreter() {
    return List.of(bunPath,
        "--no-install",              // a missing package is an import error, never a download from npm
        "--no-env-file",             // no .env from the working directory: process.env is the invocation's env
        "--no-orphans",              // the worker's exit (even process.exit in a tool) takes its descendants along
        "--preserve-symlinks",       // as for node: "@toolhost/sdk" resolves through the stage's tools symlink
        "--preserve-symlinks-main");
  }
}
