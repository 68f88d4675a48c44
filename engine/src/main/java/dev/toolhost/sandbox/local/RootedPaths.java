package dev.toolhost.sandbox.local;

import dev.toolhost.api.ToolException;
import dev.toolhost.sandbox.spi.SandboxPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Resolves caller paths inside a sandbox root. A path is relative, with {@code /} separators; an
 * absolute path, a {@code ..} segment, a NUL, or an existing component whose real location is
 * outside the root (a symlink pointing out, dangling or not) is INVALID_REQUEST. A process in
 * the sandbox could swap a checked directory for a symlink before the write: the final component
 * is opened without following links, and in bubblewrap a link to an absolute path points into the
 * sandbox's own view, not the host's, when the process follows it.
 */
final class RootedPaths {
  private final Path root;

  /** @param root the sandbox root, a real path (no symlinks in it) */
  RootedPaths(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  /** The host path of {@code relative}, which may not exist yet; {@code ""} is the root. Blocking: it reads the file system. */
  Path resolve(String relative) {
    Path path = root;
    for (String segment : SandboxPaths.segments(relative)) {
      path = path.resolve(segment);
      checkInside(path, relative);
    }
    return path;
  }

  /** Like {@link #resolve}, for a file or directory to name: the root itself is refused. */
  Path resolveEntry(String relative) {
    SandboxPaths.entry(relative);
    return resolve(relative);
  }

  /** {@code path} relative to the root, with {@code /} separators. */
  String relative(Path path) {
    return root.relativize(path).toString().replace('\\', '/');
  }

  private void checkInside(Path path, String relative) {
    if (!Files.isSymbolicLink(path)) return;
    try {
      Path real = path.toRealPath();
      if (!real.startsWith(root)) throw refuse(relative, "goes through a symlink pointing outside the sandbox");
    } catch (IOException e) {
      throw refuse(relative, "goes through a symlink that points nowhere");
    } catch (UncheckedIOException e) {
      throw refuse(relative, "cannot be resolved: " + e.getMessage());
    }
  }

  static boolean isDirectory(Path path) {
    return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
  }

  private static ToolException refuse(String relative, String why) {
    return SandboxPaths.refuse(relative, why);
  }
}
