package dev.toolhost.runtime.process;

import dev.toolhost.runtime.Availability;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * How to start a worker for one runtime (node, bun...): the only part of the process runtime
 * that differs between them. The pool, protocol and kill logic are shared. Wrappers (a sandbox,
 * resource limits) are recipes too, around the runtime's own.
 */
interface LaunchRecipe {
  String runtime();

  /** Finds the binary and its version, or says what is missing. Blocking; called again while it finds nothing. */
  Availability probe();

  /**
   * The full command line of one worker, after a successful {@link #probe()}. It ends with the
   * worker script's own arguments, so a wrapper may append more of them. Blocking.
   */
  List<String> command(WorkerLaunch launch);

  /**
   * Whether the worker is started through setsid, as the leader of its own process group, and
   * killed as a group: where setsid is installed, unless a wrapper holds the worker's processes
   * together another way. Without it a worker is killed with its descendants only.
   */
  default boolean groupLeader() {
    return ProcessTree.SETSID != null;
  }

  /** What the runtime enforces by itself, whatever wraps it; nothing unless it says so. */
  default Set<Safeguard> enforces() {
    return Set.of();
  }

  /** Files the runtime itself needs (its installation), after a successful {@link #probe()}. */
  default List<Path> installation() {
    return List.of();
  }

  /** How many descendants of the started process a worker has before its tool starts any. */
  default int launchDescendants() {
    return 0;
  }

  /** Why a worker exited, when the launch can tell (a limit it set was hit), or null. Blocking. */
  default String exitCause(String workerId, String output) {
    return null;
  }

  /** Releases what the launch set up for a worker that has exited. Blocking. */
  default void release(String workerId) {}
}
