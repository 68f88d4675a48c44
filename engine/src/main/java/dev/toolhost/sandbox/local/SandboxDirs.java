package dev.toolhost.sandbox.local;

import java.nio.file.Path;

/**
 * The host directories of one local sandbox, all under {@code base}: the workspace (the root
 * of its files API), the home its processes get ({@code HOME}: caches and user installs live
 * there, out of the workspace), and the snippets {@code execute} writes.
 */
record SandboxDirs(Path base, Path workspace, Path home, Path snippets) {
  static SandboxDirs under(Path base) {
    return new SandboxDirs(base, base.resolve("workspace"), base.resolve("home"), base.resolve("snippets"));
  }
}
