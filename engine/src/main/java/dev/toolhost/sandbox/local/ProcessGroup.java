package dev.toolhost.sandbox.local;

import dev.toolhost.runtime.process.ProcessTree;
import java.util.List;

/**
 * Starts every sandbox process through {@code setsid}, as the leader of its own process group,
 * so a kill takes the whole group. In bubblewrap too: killing bwrap takes its PID namespace with
 * it only once the namespace's first process has asked to die with its parent, and a kill that
 * comes before would leave that process, reparented and out of the tree, holding the pipes.
 */
final class ProcessGroup {
  private static final String SETSID = ProcessTree.SETSID;

  private ProcessGroup() {}

  /** Whether processes lead their group (setsid is installed). */
  static boolean available() {
    return SETSID != null;
  }

  /** {@code command} started through setsid, where it exists. */
  static List<String> lead(List<String> command) {
    return ProcessTree.lead(command);
  }
}
