package dev.toolhost.runtime.process;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Kills a worker with everything it started. A worker runs as the leader of its own process
 * group (started through {@code setsid}), so a child whose parent already exited still goes
 * with the group; descendants that moved to a group of their own go by the snapshot.
 * Blocking: run it on a worker thread.
 */
final class ProcessTree {
  private ProcessTree() {}

  static void kill(Process process, boolean groupLeader) {
    List<ProcessHandle> descendants = process.descendants().toList();
    if (groupLeader) killGroup(process.pid());
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void killGroup(long pgid) {
    try {
      Process kill = new ProcessBuilder("kill", "-KILL", "--", "-" + pgid)
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      kill.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      // no kill(1): the snapshot of descendants still goes
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
