package dev.toolhost.runtime.process;

import dev.toolhost.config.PermissionPolicy;
import java.nio.file.Path;
import java.util.List;

/** What a launch recipe needs to build one worker's command line. */
record WorkerLaunch(WorkerHome home, String workerId, PermissionPolicy policy) {
  Path scratch() {
    return home.scratch(workerId);
  }

  /** What every worker reads besides its scratch: the stage (SDK and bundles) and the tools root. */
  List<Path> workerReads() {
    return List.of(home.stage(), home.toolsRoot());
  }

  /** The policy's read paths, absolute (relative ones are taken from the engine's directory). */
  List<Path> policyReads() {
    return absolute(policy.fsRead());
  }

  List<Path> policyWrites() {
    return absolute(policy.fsWrite());
  }

  private static List<Path> absolute(List<String> paths) {
    return paths.stream().map(p -> Path.of(p).toAbsolutePath().normalize()).toList();
  }
}
