package dev.toolhost.runtime.process;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A shell already inside a fresh set of cgroups, reading its stdin for the command of the worker
 * it then becomes (exec: the same process, so the worker starts inside the groups and everything it
 * starts stays there). Moving a process into a cgroup v1 group makes the kernel wait for an RCU
 * grace period when no move happened lately (~6 ms here): an enclosure prepared ahead pays it before
 * a worker is needed rather than during its start. It runs no runtime and no tool code and is not
 * sandboxed yet (the sandbox is part of the command it is handed); its group's limits are written
 * before it is handed the command, so no worker runs outside its limits or before them.
 */
final class CgroupEnclosure {
  private final String slot;
  private final Process shell;
  private final Map<String, Path> groups;
  private final WorkerHome home;

  private CgroupEnclosure(String slot, Process shell, Map<String, Path> groups, WorkerHome home) {
    this.slot = slot;
    this.shell = shell;
    this.groups = groups;
    this.home = home;
  }

  /**
   * Starts a shell that enters new groups of these controllers (each with the task limit where it is
   * the pids controller); its output goes to a log file of the home until it becomes a worker. Blocking.
   */
  static CgroupEnclosure prepare(CgroupLimits cgroups, Set<String> controllers, WorkerHome home) throws IOException {
    String slot = "enclosure-" + UUID.randomUUID();
    Map<String, Path> groups = new LinkedHashMap<>();
    StringBuilder enter = new StringBuilder();
    try {
      for (String controller : controllers) {
        Path group = cgroups.group(controller, slot);
        Files.createDirectories(group);
        groups.put(controller, group);
        if (controller.equals("pids")) Files.writeString(group.resolve("pids.max"), String.valueOf(CgroupLimits.MAX_TASKS));
        enter.append("echo $$ > ").append(quote(group.resolve("cgroup.procs").toString())).append(" || exit 125\n");
      }
      ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-s")
          .directory(home.dir().toFile())
          .redirectErrorStream(true)
          .redirectOutput(home.logFile(slot).toFile())
          .redirectInput(ProcessBuilder.Redirect.PIPE);
      builder.environment().clear();  // the engine's environment never reaches a tool
      CgroupEnclosure enclosure = new CgroupEnclosure(slot, builder.start(), groups, home);
      enclosure.send(enter.toString());
      return enclosure;
    } catch (IOException | RuntimeException e) {
      groups.values().forEach(CgroupLimits::rmdir);
      Files.deleteIfExists(home.logFile(slot));
      throw e;
    }
  }

  /** The controllers whose groups it is in. */
  Set<String> controllers() {
    return groups.keySet();
  }

  /** Its group of a controller, or null when it is not in one. */
  Path group(String controller) {
    return groups.get(controller);
  }

  /** Whether it can still become a worker (its shell failed to enter a group, or was killed, otherwise). */
  boolean alive() {
    return shell.isAlive();
  }

  /**
   * Becomes the worker: its output goes to the worker's log file, then it runs {@code command} in
   * the worker's scratch directory, with an environment as empty as it started with. Its groups'
   * limits must be written first. Blocking.
   */
  Process become(WorkerLaunch launch, List<String> command) throws IOException {
    Files.move(home.logFile(slot), home.logFile(launch.workerId()));
    StringBuilder line = new StringBuilder("cd -- ").append(quote(launch.scratch().toString()))
        .append(" || exit 125; unset PWD OLDPWD; exec");  // PWD and OLDPWD, which cd sets, go: a worker's environment is its call's
    command.forEach(arg -> line.append(' ').append(quote(arg)));
    send(line.append('\n').toString());
    return shell;
  }

  /** Kills the shell (one not yet handed a command) and removes its groups and log file. Blocking. */
  void discard() {
    shell.destroyForcibly();
    try {
      shell.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    removeGroups();
    try {
      Files.deleteIfExists(home.logFile(slot));
    } catch (IOException e) {
      // removed with the home
    }
  }

  /** Removes its groups, once nothing is left in them. Blocking. */
  void removeGroups() {
    groups.values().forEach(CgroupLimits::rmdir);
  }

  private void send(String script) throws IOException {
    OutputStream in = shell.getOutputStream();
    in.write(script.getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  /** One word for the shell, whatever it holds (a newline too). */
  static String quote(String arg) {
    return "'" + arg.replace("'", "'\\''") + "'";
  }
}
