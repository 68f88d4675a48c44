package dev.toolhost.runtime.process;

import dev.toolhost.config.PermissionPolicy;
import dev.toolhost.runtime.Availability;
import java.nio.file.Files;

/** Starts workers as local processes, with the command line of a {@link LaunchRecipe}. */
final class ProcessLauncher implements WorkerLauncher {
  private final LaunchRecipe recipe;
  private final WorkerHome home;

  ProcessLauncher(LaunchRecipe recipe, WorkerHome home) {
    this.recipe = recipe;
    this.home = home;
  }

  @Override
  public String runtime() {
    return recipe.runtime();
  }

  @Override
  public Availability probe() {
    return recipe.probe();
  }

  @Override
  public LaunchedWorker launch(String workerId, PermissionPolicy policy) throws Exception {
    Files.createDirectories(home.scratch(workerId));
    ProcessBuilder builder = new ProcessBuilder(recipe.command(new WorkerLaunch(home, workerId, policy)))
        .directory(home.scratch(workerId).toFile())
        .redirectErrorStream(true)
        .redirectOutput(home.logFile(workerId).toFile())
        .redirectInput(ProcessBuilder.Redirect.PIPE);
    builder.environment().clear();  // the engine's environment never reaches a tool
    try {
      return new LocalWorker(builder.start(), recipe.groupLeader(), home, workerId);
    } catch (Exception e) {
      home.forget(workerId);
      throw e;
    }
  }
}
