package dev.toolhost.runtime.process;

import dev.toolhost.runtime.Availability;
import java.util.List;

/**
 * How to start a worker for one runtime (node, bun...): the only part of the process runtime
 * that differs between them. The pool, protocol and kill logic are shared.
 */
interface LaunchRecipe {
  String runtime();

  /** Finds the binary and its version, or says what is missing. Blocking; called again while it finds nothing. */
  Availability probe();

  /** The full command line of one worker, after a successful {@link #probe()}. */
  List<String> command(WorkerLaunch launch);

  /** Whether the command makes the worker lead its own process group (killed as a group). */
  default boolean groupLeader() {
    return WorkerCommand.GROUP_LEADER;
  }
}
