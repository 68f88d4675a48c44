package dev.toolhost.runtime.process;

import dev.toolhost.api.ToolError;
import dev.toolhost.config.PermissionPolicy;
import dev.toolhost.config.SandboxMode;
import dev.toolhost.runtime.Availability;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

/**
 * Starts workers as local processes, with the command line of a {@link LaunchRecipe} inside the
 * {@link Confinement} this machine allows (bubblewrap, cgroups); refuses a policy it cannot hold.
 */
final class ProcessLauncher implements WorkerLauncher {
  private final LaunchRecipe runtime;
  private final SandboxMode sandboxMode;
  private final WorkerHome home;
  private volatile Confinement confinement;

  ProcessLauncher(LaunchRecipe runtime, SandboxMode sandboxMode, WorkerHome home) {
    this.runtime = runtime;
    this.sandboxMode = sandboxMode;
    this.home = home;
  }

  @Override
  public String runtime() {
    return runtime.runtime();
  }

  /** The runtime's availability; when usable, its detail says what the confinement holds here (for doctor). */
  @Override
  public Availability probe() {
    // first: it prepares the first worker's cgroups, which take longest to be ready
    Confinement found = Confinement.probe(runtime, sandboxMode, home);
    Availability probed = runtime.probe();
    if (!probed.usable()) {
      found.close();
      return probed;
    }
    confinement = found;
    return Availability.usable(probed.runtime(), probed.version(), probed.detail() + "; " + confinement.status());
  }

  @Override
  public Optional<ToolError> refusal(String tool, PermissionPolicy policy) {
    return confinement.refusal(tool, policy);
  }

  @Override
  public LaunchedWorker launch(String workerId, PermissionPolicy policy) throws Exception {
    LaunchRecipe recipe = confinement.recipe();
    Files.createDirectories(home.scratch(workerId));
    WorkerLaunch launch = new WorkerLaunch(home, workerId, policy);
    List<String> command = recipe.command(launch);
    try {
      return new LocalWorker(confinement.start(launch, recipe.groupLeader() ? ProcessTree.lead(command) : command),
          recipe, home, workerId);
    } catch (Exception e) {
      home.forget(workerId);
      recipe.release(workerId);
      throw e;
    }
  }

  /** Releases the runtime's cgroup directories. Blocking. */
  @Override
  public void close() {
    if (confinement != null) confinement.close();
  }
}
