package dev.toolhost.runtime.process;

import dev.toolhost.api.RuntimeUnavailable;
import dev.toolhost.api.ToolError;
import dev.toolhost.config.Enforcement;
import dev.toolhost.config.PermissionPolicy;
import dev.toolhost.config.SandboxMode;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which mechanisms a runtime's workers run under here (the runtime's own, bubblewrap, cgroups),
 * and whether they hold a given policy. A policy they cannot hold is refused unless the tool
 * says {@code enforcement: best-effort}.
 */
final class Confinement {
  private final LaunchRecipe runtime;
  private final BubblewrapSandbox sandbox;
  private final CgroupLimits cgroups;
  private final SandboxMode mode;
  private final LaunchRecipe recipe;
  private final CgroupLimitedRecipe limited;  // null without cgroups
  private final CgroupEnclosures enclosures;

  Confinement(LaunchRecipe runtime, BubblewrapSandbox sandbox, CgroupLimits cgroups, SandboxMode mode, WorkerHome home) {
    this(runtime, sandbox, cgroups, new CgroupEnclosures(cgroups, home), mode, home);
  }

  private Confinement(LaunchRecipe runtime, BubblewrapSandbox sandbox, CgroupLimits cgroups, CgroupEnclosures enclosures,
      SandboxMode mode, WorkerHome home) {
    this.runtime = runtime;
    this.sandbox = sandbox;
    this.cgroups = cgroups;
    this.enclosures = enclosures;
    this.mode = mode;
    LaunchRecipe r = runtime;
    if (mode != SandboxMode.NONE && sandbox.usable()) r = new SandboxedRecipe(r, sandbox, home);
    limited = cgroups.usable() ? new CgroupLimitedRecipe(r, cgroups, enclosures) : null;
    this.recipe = limited != null ? limited : r;
  }

  /**
   * Finds what confines a runtime's workers here. The enclosure of the first worker's cgroups is
   * prepared first, so that it has entered them by the time a worker is asked for. Blocking.
   */
  static Confinement probe(LaunchRecipe runtime, SandboxMode mode, WorkerHome home) {
    CgroupLimits cgroups = CgroupLimits.probe(runtime.runtime());
    CgroupEnclosures enclosures = new CgroupEnclosures(cgroups, home);
    if (cgroups.usable()) enclosures.prepare(CgroupLimitedRecipe.controllers(cgroups, 0, 0));
    return new Confinement(runtime, BubblewrapSandbox.probe("bwrap"), cgroups, enclosures, mode, home);
  }

  /** Why a tool with this policy may not run here (RUNTIME_UNAVAILABLE, with a hint), or empty. */
  Optional<ToolError> refusal(String tool, PermissionPolicy policy) {
    if (mode == SandboxMode.BWRAP && !sandbox.usable()) {
      return refused("workerSandbox: bwrap is configured but bubblewrap is " + sandbox.describe(),
          "install bubblewrap (Debian: apt-get install bubblewrap), or set workerSandbox: auto");
    }
    Set<Safeguard> missing = EnumSet.copyOf(Safeguard.requiredBy(policy));
    missing.removeAll(recipe.enforces());
    if (missing.isEmpty() || policy.enforcement() == Enforcement.BEST_EFFORT) return Optional.empty();
    String what = missing.stream().map(s -> s.description).collect(Collectors.joining(", "));
    return refused("the " + runtime.runtime() + " runtime cannot enforce this tool's policy here ("
        + what + "): " + status(), hint(missing, tool));
  }

  /** How every worker is launched: as confined as this machine allows (a policy it cannot hold is refused first). */
  LaunchRecipe recipe() {
    return recipe;
  }

  /** What doctor shows: the mechanisms, and what they hold here and what not. */
  String status() {
    Set<Safeguard> held = recipe.enforces();
    Set<Safeguard> notHeld = EnumSet.allOf(Safeguard.class);
    notHeld.removeAll(held);
    return "sandbox " + (mode == SandboxMode.NONE ? "off (workerSandbox: none)" : sandbox.describe())
        + "; limits " + cgroups.describe()
        + "; enforced here: " + held.stream().map(s -> s.description).collect(Collectors.joining(", "))
        + (notHeld.isEmpty() ? "" : "; not enforceable here: "
            + notHeld.stream().map(s -> s.description).collect(Collectors.joining(", ")));
  }

  /**
   * Starts a worker's process running {@code command} ({@link #recipe()}'s): in its groups when
   * there are cgroups, else as is; in its scratch directory, with an empty environment, its output
   * to its log file. Blocking.
   */
  Process start(WorkerLaunch launch, List<String> command) throws IOException {
    if (limited != null) return limited.start(launch, command);
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(launch.scratch().toFile())
        .redirectErrorStream(true)
        .redirectOutput(launch.home().logFile(launch.workerId()).toFile())
        .redirectInput(ProcessBuilder.Redirect.PIPE);
    builder.environment().clear();  // the engine's environment never reaches a tool
    return builder.start();
  }

  /** Kills what was prepared and releases the runtime's cgroup directories. Blocking. */
  void close() {
    enclosures.close();
    cgroups.close();
  }

  private static String hint(Set<Safeguard> missing, String tool) {
    // nothing outside the runtime itself stops a child process: only node's permission model does
    String fix = missing.contains(Safeguard.NO_SUBPROCESS)
        ? "run it on node, whose permission model forbids child processes, or allow them (permissions.subprocess: true)"
        : missing.contains(Safeguard.MEMORY) || missing.contains(Safeguard.CPU) || missing.contains(Safeguard.PROCESS_LIMIT)
            ? "run the engine as root on a host with cgroup v1 memory, pids and cpu controllers"
            : "install bubblewrap (Debian: apt-get install bubblewrap) and keep workerSandbox: auto";
    return fix + ", or set toolOverrides." + tool + ".permissions.enforcement: best-effort (for every tool: "
        + "permissions.enforcement, --enforcement) to run it with what is enforced";
  }

  private Optional<ToolError> refused(String message, String hint) {
    return Optional.of(new RuntimeUnavailable(message, runtime.runtime(), hint, true));
  }
}
