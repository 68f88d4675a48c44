package dev.toolhost.runtime.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Memory, CPU and process-count limits through cgroup v1 controllers: one group per worker under
 * {@code toolhost-PID-RUNTIME} in the engine's own group of each controller. cgroup v2 is not
 * used yet (its no-internal-process rule needs the engine moved to a leaf group first); without
 * v1 controllers these limits are reported unavailable, never assumed.
 */
final class CgroupLimits {
  /** Tasks (processes and threads) one worker may have: Node needs about a dozen threads. */
  static final int MAX_TASKS = 128;

  private static final Path ROOT = Path.of("/sys/fs/cgroup");
  private static final List<String> CONTROLLERS = List.of("memory", "pids", "cpu");

  /** Controller name to the directory of this engine's worker groups. */
  private final Map<String, Path> dirs;
  private final String problem;

  private CgroupLimits(Map<String, Path> dirs, String problem) {
    this.dirs = dirs;
    this.problem = problem;
  }

  /** Finds the writable v1 controllers and makes this runtime's directory in each. Blocking. */
  static CgroupLimits probe(String runtime) {
    List<String> lines;
    try {
      lines = Files.readAllLines(Path.of("/proc/self/cgroup"));
    } catch (IOException e) {
      return new CgroupLimits(Map.of(), "no /proc/self/cgroup");
    }
    Map<String, Path> dirs = new LinkedHashMap<>();
    String name = "toolhost-" + ProcessHandle.current().pid() + "-" + runtime;
    for (String line : lines) {
      String[] f = line.split(":", 3);  // id:controllers:path
      if (f.length < 3) continue;
      for (String controller : f[1].split(",")) {
        Path mount = ROOT.resolve(controller);
        if (!CONTROLLERS.contains(controller) || !Files.exists(mount.resolve("cgroup.procs"))) continue;
        Path own = mount.resolve(f[2].substring(1));
        removeStale(own);
        try {
          Files.createDirectories(own.resolve(name));
          dirs.put(controller, own.resolve(name));
        } catch (IOException e) {
          // not writable here (not root, or a read-only mount): that limit is unavailable
        }
      }
    }
    return new CgroupLimits(dirs, dirs.isEmpty() ? "no writable cgroup v1 memory, pids or cpu controller" : null);
  }

  Set<Safeguard> enforces() {
    Set<Safeguard> out = EnumSet.noneOf(Safeguard.class);
    if (dirs.containsKey("memory")) out.add(Safeguard.MEMORY);
    if (dirs.containsKey("cpu")) out.add(Safeguard.CPU);
    if (dirs.containsKey("pids")) out.add(Safeguard.PROCESS_LIMIT);
    return out;
  }

  boolean usable() {
    return !dirs.isEmpty();
  }

  /** What doctor shows. */
  String describe() {
    return usable() ? "cgroup v1 " + String.join(", ", dirs.keySet()) : "unavailable (" + problem + ")";
  }

  /** Whether this controller's groups can be made here. */
  boolean has(String controller) {
    return dirs.containsKey(controller);
  }

  /** The group of one worker in a controller, or null when that controller is unavailable. */
  Path group(String controller, String workerId) {
    Path dir = dirs.get(controller);
    return dir == null ? null : dir.resolve(workerId);
  }

  /** Removes this runtime's (by then empty) directories. Blocking. */
  void close() {
    dirs.values().forEach(CgroupLimits::removeGroups);
  }

  /**
   * Removes a directory of worker groups. A group goes with rmdir once its tasks are gone, so
   * what is still in one (a worker orphaned when an engine died) is killed first: the groups
   * double as a record of everything the engine's workers ran.
   */
  static void removeGroups(Path dir) {
    try (Stream<Path> groups = Files.list(dir)) {
      groups.filter(Files::isDirectory).forEach(group -> {
        killTasks(group);
        rmdir(group);
      });
    } catch (IOException e) {
      // already gone
    }
    rmdir(dir);
  }

  private static void killTasks(Path group) {
    try {
      for (String pid : Files.readAllLines(group.resolve("cgroup.procs"))) {
        ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(p -> {
          p.destroyForcibly();
          try {
            p.onExit().get(1, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (ExecutionException | TimeoutException e) {
            // rmdir then fails, and the next start tries again
          }
        });
      }
    } catch (IOException | NumberFormatException e) {
      // no such group any more
    }
  }

  static void rmdir(Path group) {
    try {
      Files.deleteIfExists(group);
    } catch (IOException e) {
      // still has tasks (a process that outlived its kill): left for the next start to remove
    }
  }

  /** Directories of engines that have exited (after a crash). */
  private static void removeStale(Path own) {
    try (Stream<Path> entries = Files.list(own)) {
      entries.filter(d -> d.getFileName().toString().startsWith("toolhost-")).forEach(d -> {
        String[] parts = d.getFileName().toString().split("-");
        try {
          if (ProcessHandle.of(Long.parseLong(parts[1])).isEmpty()) removeGroups(d);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException ignored) {
          // not ours
        }
      });
    } catch (IOException e) {
      // nothing to clean
    }
  }
}
