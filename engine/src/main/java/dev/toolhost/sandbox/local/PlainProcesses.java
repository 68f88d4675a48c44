package dev.toolhost.sandbox.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * No isolation beyond a private directory, a cleared environment and a process group: used where
 * bubblewrap is not installed (or {@code sandbox.bubblewrap: off}), and said so by {@link #describe()}.
 * The network setting cannot be enforced here. Each process is started through {@code setsid}
 * where it exists, so a kill takes its whole group, children whose parent already exited included.
 */
final class PlainProcesses implements Confinement {
  private final String setsid = Files.isExecutable(Path.of("/usr/bin/setsid")) ? "/usr/bin/setsid"
      : Files.isExecutable(Path.of("/bin/setsid")) ? "/bin/setsid" : null;

  @Override
  public List<String> wrap(List<String> command, SandboxDirs dirs, String cwd, boolean network) {
    if (setsid == null) return command;
    List<String> line = new ArrayList<>(command.size() + 1);
    line.add(setsid);
    line.addAll(command);
    return line;
  }

  @Override
  public boolean groupLeader() {
    return setsid != null;
  }

  @Override
  public String visible(SandboxDirs dirs, Path hostPath) {
    return hostPath.toString();
  }

  @Override
  public String describe() {
    return "plain processes (bubblewrap not used): a private directory, a cleared environment"
        + (setsid == null ? " (no setsid: children that leave the process tree may outlive a kill)" : " and a process group")
        + "; no file system, PID or network isolation";
  }
}
