package dev.toolhost.sandbox.local;

import dev.toolhost.runtime.process.SystemDirectories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs each process in bubblewrap: system directories and the interpreters read-only, a few
 * /etc files (names, certificates, resolver; not the rest of the host's configuration), the
 * workspace read-write at {@value #WORKSPACE}, the home at {@value #HOME}, snippets read-only, a
 * private /tmp, /proc and /dev, its own PID, IPC and UTS namespaces, no capabilities, and no
 * network unless allowed. {@code --die-with-parent}: killing bwrap takes the whole namespace with it, so no
 * process group is needed. The system directories are shown as to workers ({@link SystemDirectories}).
 */
final class Bubblewrap implements Confinement {
  static final String WORKSPACE = "/workspace";
  static final String HOME = "/home/sandbox";
  static final String SNIPPETS = "/run/snippets";
  private static final List<String> ETC = List.of("/etc/alternatives", "/etc/ssl", "/etc/ca-certificates",
      "/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf", "/etc/passwd", "/etc/group", "/etc/ld.so.cache",
      "/etc/localtime", "/etc/mime.types");

  private final Path bwrap;
  private final List<Path> interpreterDirs;
  /** The arguments every process shares: namespaces, system directories, /etc files, interpreters. */
  private final List<String> common;

  private Bubblewrap(Path bwrap, List<Path> interpreterDirs) {
    this.bwrap = bwrap;
    this.interpreterDirs = interpreterDirs;
    this.common = common(bwrap, interpreterDirs);
  }

  /** Bubblewrap where it is installed and can make namespaces here. Blocking: it runs bwrap once. */
  static Optional<Bubblewrap> probe(Interpreters interpreters) {
    for (String dir : List.of("/usr/bin/bwrap", "/bin/bwrap", "/usr/local/bin/bwrap")) {
      Path path = Path.of(dir);
      if (!Files.isExecutable(path)) continue;
      List<Path> extra = interpreters.all().stream().map(Interpreter::installation)
          .filter(p -> !SystemDirectories.contains(p)).distinct().toList();
      Bubblewrap bubblewrap = new Bubblewrap(path, extra);
      return bubblewrap.works() ? Optional.of(bubblewrap) : Optional.empty();
    }
    return Optional.empty();
  }

  @Override
  public List<String> wrap(List<String> command, SandboxDirs dirs, String cwd, boolean network) {
    List<String> cmd = new ArrayList<>(common);
    if (!network) cmd.add("--unshare-net");
    addAll(cmd, "--bind", dirs.workspace().toString(), WORKSPACE);
    addAll(cmd, "--bind", dirs.home().toString(), HOME);
    addAll(cmd, "--ro-bind", dirs.snippets().toString(), SNIPPETS);
    addAll(cmd, "--chdir", cwd);
    cmd.add("--");
    cmd.addAll(command);
    return cmd;
  }

  private static List<String> common(Path bwrap, List<Path> interpreterDirs) {
    // --cap-drop ALL: an engine running as root would otherwise hand its processes every capability
    // (CAP_NET_ADMIN on the shared network, CAP_SYS_ADMIN in the mount namespace)
    List<String> cmd = new ArrayList<>(List.of(bwrap.toString(), "--die-with-parent", "--unshare-pid",
        "--unshare-ipc", "--unshare-uts", "--hostname", "sandbox", "--cap-drop", "ALL"));
    cmd.addAll(SystemDirectories.bwrapArgs());
    for (String file : ETC) addAll(cmd, "--ro-bind-try", file, file);
    addAll(cmd, "--proc", "/proc");
    addAll(cmd, "--dev", "/dev");
    addAll(cmd, "--tmpfs", "/tmp");
    // after the private /tmp, or an interpreter installed under /tmp (a checkout there) would be hidden by it
    for (Path dir : interpreterDirs) addAll(cmd, "--ro-bind", dir.toString(), dir.toString());
    return List.copyOf(cmd);
  }

  @Override
  public String visible(SandboxDirs dirs, Path hostPath) {
    if (hostPath.startsWith(dirs.workspace())) return mapped(WORKSPACE, dirs.workspace(), hostPath);
    if (hostPath.startsWith(dirs.snippets())) return mapped(SNIPPETS, dirs.snippets(), hostPath);
    if (hostPath.startsWith(dirs.home())) return mapped(HOME, dirs.home(), hostPath);
    throw new IllegalArgumentException(hostPath + " is not a directory of the sandbox");
  }

  private static String mapped(String mount, Path hostDir, Path hostPath) {
    return Path.of(mount).resolve(hostDir.relativize(hostPath)).toString();
  }

  @Override
  public String describe() {
    return "bubblewrap (" + bwrap + "): read-only system, private /tmp, PID/IPC/UTS namespaces, no capabilities, "
        + "workspace at " + WORKSPACE + ", network per sandbox.network";
  }

  private boolean works() {
    try {
      Process p = new ProcessBuilder(bwrap.toString(), "--die-with-parent", "--unshare-pid", "--ro-bind", "/", "/",
          "--proc", "/proc", "--dev", "/dev", "true").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void addAll(List<String> cmd, String... parts) {
    cmd.addAll(List.of(parts));
  }
}
