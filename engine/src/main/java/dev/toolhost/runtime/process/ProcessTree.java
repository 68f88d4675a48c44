package dev.toolhost.runtime.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Kills a worker with everything it started. A worker runs as the leader of its own process
 * group (started through {@code setsid}; sandbox commands too), so a child whose parent already exited still goes
 * with the group; descendants that moved to a group of their own go by the snapshot.
 * Blocking: run it on a worker thread.
 */
public final class ProcessTree {
  /** setsid(1), which starts a command as the leader of its own process group; null where it is not installed. */
  public static final String SETSID = Files.isExecutable(Path.of("/usr/bin/setsid")) ? "/usr/bin/setsid"
      : Files.isExecutable(Path.of("/bin/setsid")) ? "/bin/setsid" : null;

  private ProcessTree() {}

  /** {@code command} started through setsid, as the leader of its own process group, where setsid exists. */
  public static List<String> lead(List<String> command) {
    if (SETSID == null) return command;
    List<String> line = new ArrayList<>(command.size() + 1);
    line.add(SETSID);
    line.addAll(command);
    return line;
  }

  public static void kill(Process process, boolean groupLeader) {
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

  /**
   * Whether anything the worker started is still running: a descendant beyond the
   * {@code launchDescendants} of the launch itself (a sandbox's init and the runtime under it),
   * or (for a group leader) a process left in its group after its parent exited. Blocking: it
   * reads /proc.
   */
  static boolean hasLeftovers(Process process, boolean groupLeader, int launchDescendants) {
    if (process.descendants().count() > launchDescendants) return true;
    if (!groupLeader) return false;
    long pgid = process.pid();
    return ProcessHandle.allProcesses()
        .anyMatch(p -> p.pid() != pgid && processGroup(p.pid()) == pgid);
  }

  private static long processGroup(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // fields after the parenthesised command: state ppid pgrp ...
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[2]);
    } catch (IOException | RuntimeException e) {
      return -1;  // gone, or not Linux
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
