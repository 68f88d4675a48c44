package dev.toolhost.sandbox.local;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Removes the sandbox directories of engines that stopped without tearing them down. Each engine
 * keeps its sandboxes under a directory named by its process id; one whose process is gone is
 * removed. (Their processes died with the engine: bubblewrap's {@code --die-with-parent}; plain
 * processes are not followed after a crash.)
 */
final class LeftoverSandboxes {
  private LeftoverSandboxes() {}

  /** Blocking: it walks the file system. Failures are left for the next start. */
  static void reap(Path shared) {
    if (!Files.isDirectory(shared)) return;
    try (DirectoryStream<Path> engines = Files.newDirectoryStream(shared, "[0-9]*")) {
      for (Path engine : engines) {
        long pid = Long.parseLong(engine.getFileName().toString());
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
        try (Stream<Path> walk = Files.walk(engine)) {
          walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    } catch (IOException | NumberFormatException e) {
      // a directory that is not ours, or one being removed by another engine: left as it is
    }
  }
}
