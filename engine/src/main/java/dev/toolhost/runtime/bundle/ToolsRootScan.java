package dev.toolhost.runtime.bundle;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * The modules of a tools root by DESIGN.md's rules, listed once for every runtime (they all load
 * what the {@link BundleManifest} names): every {@code .js .mjs .cjs .ts .mts .cts} file below
 * the root, skipping {@code node_modules}, dot-directories and dot-files, in sorted order.
 */
final class ToolsRootScan {
  private ToolsRootScan() {}

  /** Paths relative to {@code root}; {@code entry}, when given, is the only module. */
  static List<String> modules(Path root, String entry) throws IOException {
    if (entry != null) return List.of(entry);
    List<String> out = new ArrayList<>();
    // symlinks are followed as the Node worker follows them; a loop is skipped, not fatal
    Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
        boolean skip = !dir.equals(root) && (name.equals("node_modules") || name.startsWith("."));
        return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        String name = file.getFileName().toString();
        if (!name.startsWith(".") && !name.endsWith(".d.ts") && name.matches(".*\\.(js|mjs|cjs|ts|mts|cts)")) {
          out.add(root.relativize(file).toString().replace('\\', '/'));
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        return FileVisitResult.CONTINUE;
      }
    });
    out.sort(null);
    return out;
  }
}
