package dev.toolhost.runtime.process;

import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a worker's command line that every runtime shares: the runtime's own interpreter
 * and flags (a recipe's concern), then the bootstrap, worker.mjs, with its arguments. (What makes
 * the worker lead its own process group is the launcher's: {@link LaunchRecipe#groupLeader()}.)
 */
final class WorkerCommand {
  private WorkerCommand() {}

  /**
   * The full command of one worker.
   *
   * @param interpreter the runtime binary and its flags, e.g. {@code [node, --permission, ...]}
   */
  static List<String> of(List<String> interpreter, WorkerLaunch launch, String runtime) {
    WorkerHome home = launch.home();
    List<String> cmd = new ArrayList<>(interpreter);
    cmd.add(home.workerScript().toString());
    cmd.add("--channel");
    cmd.add(home.socket(runtime).toString());
    cmd.add("--id");
    cmd.add(launch.workerId());
    cmd.add("--root");
    cmd.add(home.stagedTools().toString());
    cmd.add("--manifest");
    cmd.add(home.manifest().toString());
    return cmd;
  }
}
