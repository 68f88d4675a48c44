package dev.toolhost.sandbox.local;

import java.nio.file.Path;
import java.util.List;

/**
 * No isolation beyond a private directory, a cleared environment and a process group: used where
 * bubblewrap is not installed (or {@code sandbox.bubblewrap: off}), and said so by {@link #describe()}.
 * The network setting cannot be enforced here.
 */
final class PlainProcesses implements Confinement {
  @Override
  public List<String> wrap(List<String> command, SandboxDirs dirs, String cwd, boolean network) {
    return command;
  }

  @Override
  public String visible(SandboxDirs dirs, Path hostPath) {
    return hostPath.toString();
  }

  @Override
  public String describe() {
    return "plain processes (bubblewrap not used): a private directory, a cleared environment"
        + (ProcessGroup.available() ? " and a process group" : " (no setsid: children that leave the process tree may outlive a kill)")
        + "; no file system, PID or network isolation";
  }
}
