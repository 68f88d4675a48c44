package dev.toolhost.runtime.process;

import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a worker's command line that every runtime shares: {@code setsid} in front, so
 * the worker leads its own process group and is killed as a group, then the runtime's own
 * interpreter and flags (a recipe's concern), then the bootstrap, worker.mjs, with its arguments.
 */
final class WorkerCommand {
  /** Whether {@code setsid} is installed; without it a worker is killed with its descendants only. */
  static final boolean GROUP_LEADER = ProcessTree.SETSID != null;

  private WorkerCommand() {}

  /**
   * The full command of one worker.
   *
   * @param interpreter the runtime binary and its flags, e.g. {@code [node, --permission, ...]}
   */
  static List<String> of(List<String> interpreter, WorkerLaunch launch, String runtime) {
    WorkerHome home = launch.home();
    List<String> cmd = new ArrayList<>();
    if (GROUP_LEADER) cmd.add(ProcessTree.SETSID);
    cmd.addAll(interpreter);
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
