package dev.toolhost.runtime.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The host's system directories as bubblewrap shows them to a worker or a sandbox process:
 * read-only, and a directory that is a symlink on the host (merged /usr: /bin -> usr/bin) the
 * same symlink inside, a mount fewer per directory. /etc is not among them, on purpose.
 */
public final class SystemDirectories {
  private static final List<String> DIRS = List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64");

  private SystemDirectories() {}

  /** The bwrap arguments that show them; those missing on the host are left out. */
  public static List<String> bwrapArgs() {
    List<String> args = new ArrayList<>();
    for (String dir : DIRS) {
      Path path = Path.of(dir);
      if (Files.isSymbolicLink(path)) {
        try {
          args.addAll(List.of("--symlink", Files.readSymbolicLink(path).toString(), dir));
          continue;
        } catch (IOException e) {
          // unreadable link: bind what it points to instead
        }
      }
      if (Files.isDirectory(path)) args.addAll(List.of("--ro-bind", dir, dir));
    }
    return args;
  }

  /** Whether {@code path} lies in one of them. */
  public static boolean contains(Path path) {
    return DIRS.stream().anyMatch(path::startsWith);
  }

  /** Their paths, whether or not they exist here. */
  public static List<String> paths() {
    return DIRS;
  }
}
