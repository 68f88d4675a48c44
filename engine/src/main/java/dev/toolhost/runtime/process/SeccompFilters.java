package dev.toolhost.runtime.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Whether a worker can install a seccomp filter on itself here (tools-sdk/bun-seccomp.mjs): a
 * Linux kernel with seccomp filters, on an architecture the filter knows.
 */
final class SeccompFilters {
  private static final Set<String> ARCHES = Set.of("amd64", "x86_64", "aarch64");
  static final boolean AVAILABLE = probe();

  private SeccompFilters() {}

  private static boolean probe() {
    if (!ARCHES.contains(System.getProperty("os.arch"))) return false;
    try {
      // the line is there when the kernel was built with seccomp (CONFIG_SECCOMP)
      return Files.readAllLines(Path.of("/proc/self/status")).stream().anyMatch(l -> l.startsWith("Seccomp:"));
    } catch (IOException e) {
      return false;
    }
  }
}
