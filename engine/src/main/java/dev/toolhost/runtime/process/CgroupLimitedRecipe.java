package dev.toolhost.runtime.process;

import dev.toolhost.config.PermissionPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Any recipe, with the worker started inside its own cgroups: a task limit always (a fork bomb
 * stops at {@link CgroupLimits#MAX_TASKS}), the policy's memory (swap included) and CPU limits
 * when it sets them. The worker is started by a {@link CgroupEnclosure}, a shell already in its
 * groups that becomes it, so nothing the worker starts can run outside them; {@link CgroupEnclosures}
 * keeps one prepared for the next worker.
 */
final class CgroupLimitedRecipe extends WrappedRecipe {
  /** The groups every worker is in (where the controller is available); the others as its policy limits. */
  private static final String ALWAYS = "pids";
  private static final long CPU_PERIOD_US = 100_000;

  private final CgroupLimits cgroups;
  private final CgroupEnclosures enclosures;
  /** The enclosures that became workers, by worker id, until released. */
  private final Map<String, CgroupEnclosure> workers = new ConcurrentHashMap<>();

  CgroupLimitedRecipe(LaunchRecipe inner, CgroupLimits cgroups, CgroupEnclosures enclosures) {
    super(inner);
    this.cgroups = cgroups;
    this.enclosures = enclosures;
  }

  /**
   * Starts the worker's command (as {@link #command} made it) in its groups, with the policy's
   * limits written before it runs. Blocking.
   */
  Process start(WorkerLaunch launch, List<String> command) throws IOException {
    PermissionPolicy policy = launch.policy();
    Set<String> controllers = controllers(cgroups, policy.memoryBytes(), policy.cpus());
    CgroupEnclosure enclosure = null;
    Process worker;
    try {
      enclosure = enclosures.take(controllers);
      workers.put(launch.workerId(), enclosure);
      writeLimits(enclosure, policy);
      worker = enclosure.become(launch, command);
    } catch (IOException | RuntimeException e) {
      workers.remove(launch.workerId());
      if (enclosure != null) enclosure.discard();
      throw new IOException("cannot set up the worker's cgroups: " + e.getMessage(), e);
    }
    enclosures.prepare(controllers);  // for the next worker
    return worker;
  }

  /** The controllers of a worker's groups: those of the limits it has, where available. */
  static Set<String> controllers(CgroupLimits cgroups, long memoryBytes, double cpus) {
    Set<String> out = new TreeSet<>();
    if (cgroups.has(ALWAYS)) out.add(ALWAYS);
    if (memoryBytes > 0 && cgroups.has("memory")) out.add("memory");
    if (cpus > 0 && cgroups.has("cpu")) out.add("cpu");
    return out;
  }

  private static void writeLimits(CgroupEnclosure enclosure, PermissionPolicy policy) throws IOException {
    Path mem = enclosure.group("memory");
    if (mem != null) {
      String memory = String.valueOf(policy.memoryBytes());
      Files.writeString(mem.resolve("memory.limit_in_bytes"), memory);
      // swap would let a worker exceed its limit slowly instead of failing
      if (Files.exists(mem.resolve("memory.memsw.limit_in_bytes"))) {
        Files.writeString(mem.resolve("memory.memsw.limit_in_bytes"), memory);
      }
    }
    Path cpu = enclosure.group("cpu");
    if (cpu != null) {
      Files.writeString(cpu.resolve("cpu.cfs_period_us"), String.valueOf(CPU_PERIOD_US));
      Files.writeString(cpu.resolve("cpu.cfs_quota_us"),
          String.valueOf(Math.max(1000, Math.round(policy.cpus() * CPU_PERIOD_US))));
    }
  }

  @Override
  public Set<Safeguard> enforces() {
    Set<Safeguard> all = EnumSet.copyOf(cgroups.enforces());
    all.addAll(inner.enforces());
    return all;
  }

  @Override
  public String exitCause(String workerId, String output) {
    CgroupEnclosure worker = workers.get(workerId);
    Path mem = worker == null ? null : worker.group("memory");
    if (mem != null && oomKills(mem) > 0) {
      return "out of memory: killed at its memory limit of " + limitMiB(mem) + " MiB";
    }
    return inner.exitCause(workerId, output);
  }

  @Override
  public void release(String workerId) {
    CgroupEnclosure worker = workers.remove(workerId);
    if (worker != null) worker.removeGroups();
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
