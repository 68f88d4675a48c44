package dev.toolhost.runtime.process;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@link CgroupEnclosure}s of a runtime's workers kept ready ahead of their starts: one per
 * set of controllers in use (a policy with a memory limit is also in a memory group).
 */
final class CgroupEnclosures {
  private final CgroupLimits cgroups;
  private final WorkerHome home;
  /** A prepared enclosure by the controllers it is in. */
  private final Map<Set<String>, CgroupEnclosure> prepared = new HashMap<>();
  private boolean closed;

  /** @param home where enclosures keep their output until they become workers */
  CgroupEnclosures(CgroupLimits cgroups, WorkerHome home) {
    this.cgroups = cgroups;
    this.home = home;
  }

  /** The prepared enclosure for these controllers, else one prepared now. Blocking. */
  CgroupEnclosure take(Set<String> controllers) throws IOException {
    CgroupEnclosure ready;
    synchronized (this) {
      ready = prepared.remove(controllers);
    }
    if (ready != null && ready.alive()) return ready;
    if (ready != null) ready.discard();  // it could not enter its groups: a new one says why
    return CgroupEnclosure.prepare(cgroups, controllers, home);
  }

  /** Prepares an enclosure for these controllers, unless one is ready. Blocking. */
  void prepare(Set<String> controllers) {
    synchronized (this) {
      if (closed || prepared.containsKey(controllers)) return;
    }
    CgroupEnclosure next;
    try {
      next = CgroupEnclosure.prepare(cgroups, controllers, home);
    } catch (IOException | RuntimeException e) {
      return;  // the next start prepares its own, and fails with the reason
    }
    synchronized (this) {
      if (!closed && prepared.putIfAbsent(controllers, next) == null) return;
    }
    next.discard();
  }

  /** Kills the prepared enclosures. Blocking. */
  void close() {
    List<CgroupEnclosure> left;
    synchronized (this) {
      closed = true;
      left = List.copyOf(prepared.values());
      prepared.clear();
    }
    left.forEach(CgroupEnclosure::discard);
  }
}
