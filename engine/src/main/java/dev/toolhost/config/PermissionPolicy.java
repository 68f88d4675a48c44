package dev.toolhost.config;

import java.util.List;

/**
 * What a tool may touch (DESIGN.md "Permissions"). The default allows nothing beyond the
 * worker's private scratch directory. {@code env} null means every invocation env name is
 * allowed; a list restricts the names a caller may pass. {@code memoryBytes} 0 is no limit.
 * {@code enforcement} says what to do where a runtime cannot enforce all of it.
 */
public record PermissionPolicy(
    List<String> fsRead,
    List<String> fsWrite,
    List<String> net,
    List<String> env,
    boolean subprocess,
    long memoryBytes,
    double cpus,
    Enforcement enforcement) {

  public static final PermissionPolicy DEFAULT =
      new PermissionPolicy(List.of(), List.of(), List.of(), null, false, 0, 0, Enforcement.STRICT);

  public PermissionPolicy {
    fsRead = List.copyOf(fsRead);
    fsWrite = List.copyOf(fsWrite);
    net = List.copyOf(net);
    env = env == null ? null : List.copyOf(env);
  }
}
