package dev.toolhost.sandbox.local;

import java.nio.file.Path;
import java.util.List;

/** How a local sandbox's processes are started: inside bubblewrap, or as plain processes. */
interface Confinement {
  /** The command line running {@code command} in the sandbox, with {@code cwd} a path as the process sees it. */
  List<String> wrap(List<String> command, SandboxDirs dirs, String cwd, boolean network);

  /** Where the process sees a host directory of the sandbox. */
  String visible(SandboxDirs dirs, Path hostPath);

  /** One line for doctor and the bench: what isolates the processes. */
  String describe();
}
