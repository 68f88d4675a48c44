package dev.toolhost.runtime.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Any recipe, with the worker started inside its own cgroups: a task limit always (a fork bomb
 * stops at {@link CgroupLimits#MAX_TASKS}), the policy's memory (swap included) and CPU limits
 * when it sets them. A small shell enters the groups and then execs the command, so nothing the
 * worker starts can run outside them.
 */
final class CgroupLimitedRecipe extends WrappedRecipe {
  /** Enters the groups, then becomes the worker; PWD, which the shell sets, goes: a worker's environment is its call's. */
  private static final String ENTER =
      "while [ \"$1\" != -- ]; do echo $$ > \"$1\" || exit 125; shift; done; shift; unset PWD; exec \"$@\"";
  private static final long CPU_PERIOD_US = 100_000;

  private final CgroupLimits cgroups;

  CgroupLimitedRecipe(LaunchRecipe inner, CgroupLimits cgroups) {
    super(inner);
    this.cgroups = cgroups;
  }

  @Override
  public List<String> command(WorkerLaunch launch) {
    List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", ENTER, "toolhost-cgroup"));
    try {
      Path pids = cgroups.group("pids", launch.workerId());
      if (pids != null) cmd.add(create(pids, "pids.max", String.valueOf(CgroupLimits.MAX_TASKS)));
      long memory = launch.policy().memoryBytes();
      Path mem = cgroups.group("memory", launch.workerId());
      if (mem != null && memory > 0) {
        cmd.add(create(mem, "memory.limit_in_bytes", String.valueOf(memory)));
        // swap would let a worker exceed its limit slowly instead of failing
        if (Files.exists(mem.resolve("memory.memsw.limit_in_bytes"))) {
          Files.writeString(mem.resolve("memory.memsw.limit_in_bytes"), String.valueOf(memory));
        }
      }
      double cpus = launch.policy().cpus();
      Path cpu = cgroups.group("cpu", launch.workerId());
      if (cpu != null && cpus > 0) {
        cmd.add(create(cpu, "cpu.cfs_period_us", String.valueOf(CPU_PERIOD_US)));
        Files.writeString(cpu.resolve("cpu.cfs_quota_us"), String.valueOf(Math.max(1000, Math.round(cpus * CPU_PERIOD_US))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set up the worker's cgroups: " + e.getMessage(), e);
    }
    cmd.add("--");
    cmd.addAll(inner.command(launch));
    return cmd;
  }

  /** Makes a worker's group with one limit; returns the file its process enters it by. */
  private static String create(Path group, String file, String value) throws IOException {
    Files.createDirectories(group);
    Files.writeString(group.resolve(file), value);
    return group.resolve("cgroup.procs").toString();
  }

  @Override
  public Set<Safeguard> enforces() {
    Set<Safeguard> all = EnumSet.copyOf(cgroups.enforces());
    all.addAll(inner.enforces());
    return all;
  }

  @Override
  public String exitCause(String workerId, String output) {
    Path mem = cgroups.group("memory", workerId);
    if (mem != null && oomKills(mem) > 0) {
      return "out of memory: killed at its memory limit of " + limitMiB(mem) + " MiB";
    }
    return inner.exitCause(workerId, output);
  }

  @Override
  public void release(String workerId) {
    for (String controller : List.of("pids", "memory", "cpu")) {
      Path group = cgroups.group(controller, workerId);
      if (group != null) CgroupLimits.rmdir(group);
    }
    inner.release(workerId);
  }

  private static long limitMiB(Path group) {
    try {
      return Long.parseLong(Files.readString(group.resolve("memory.limit_in_bytes")).trim()) >> 20;
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  private static long oomKills(Path group) {
    try {
      for (String line : Files.readAllLines(group.resolve("memory.oom_control"))) {
        if (line.startsWith("oom_kill ")) return Long.parseLong(line.substring(9).trim());
      }
    } catch (IOException | NumberFormatException e) {
      return 0;  // no memory group for this worker, or an older kernel without the counter
    }
    return 0;
  }
}
