package dev.toolhost.runtime.process;

import dev.toolhost.config.PermissionPolicy;
import java.util.EnumSet;
import java.util.Set;

/** One thing a permission policy needs some mechanism to hold for a subprocess worker. */
enum Safeguard {
  FILES("file access confined to scratch and the policy's paths"),
  NO_NETWORK("no network"),
  NETWORK_ALLOWLIST("network limited to the allowlisted hosts"),
  NO_SUBPROCESS("no child processes"),
  PROCESS_LIMIT("a bounded number of processes (a fork bomb contained)"),
  MEMORY("a memory limit"),
  CPU("a CPU limit");

  final String description;

  Safeguard(String description) {
    this.description = description;
  }

  /** What the policy asks for. Env is not here: the engine filters it for every runtime. */
  static Set<Safeguard> requiredBy(PermissionPolicy policy) {
    Set<Safeguard> needed = EnumSet.of(FILES);
    needed.add(policy.net().isEmpty() ? NO_NETWORK : NETWORK_ALLOWLIST);
    needed.add(policy.subprocess() ? PROCESS_LIMIT : NO_SUBPROCESS);
    if (policy.memoryBytes() > 0) needed.add(MEMORY);
    if (policy.cpus() > 0) needed.add(CPU);
    return needed;
  }
}
