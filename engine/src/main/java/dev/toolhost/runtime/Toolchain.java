package dev.toolhost.runtime;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the executables the engine runs tools with (bun, esbuild): the configured path, then
 * PATH, then the project-local npm install under {@code toolchain/node_modules/.bin} that the
 * build makes (toolchain/install.sh).
 */
public final class Toolchain {
  private Toolchain() {}

  /** Where {@code name} is, or empty; {@code configured} (may be null) wins and is never second-guessed. */
  public static Optional<Path> find(String name, String configured) {
    if (configured != null && !configured.isBlank()) {
      Path path = Path.of(configured);
      if (path.getNameCount() == 1 && !configured.contains("/")) return onPath(configured);
      return Files.isExecutable(path) ? Optional.of(path.toAbsolutePath()) : Optional.empty();
    }
    return onPath(name).or(() -> projectLocal(name));
  }

  /** The path with its symlinks resolved (a sandbox binds real paths); the absolute path where that fails. */
  public static Path realPath(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path.toAbsolutePath();
    }
  }

  /** Where {@link #find} looked, for error messages and hints. */
  public static String searched(String name, String configured) {
    if (configured != null && !configured.isBlank()) return "'" + configured + "' (configured)";
    List<String> places = new ArrayList<>(List.of("PATH"));
    projectRoot().ifPresent(root -> places.add(root.resolve("toolchain/node_modules/.bin").resolve(name).toString()));
    return String.join(", ", places);
  }

  /**
   * The repository the engine was built in: the {@code toolhost.repo} system property (tests),
   * else the directory holding {@code engine/target/toolhost.jar}.
   */
  public static Optional<Path> projectRoot() {
    String property = System.getProperty("toolhost.repo");
    if (property != null) return Optional.of(Path.of(property).toAbsolutePath().normalize());
    try {
      Path jar = Path.of(Toolchain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path root = jar.getParent() == null ? null : jar.getParent().getParent();
      root = root == null ? null : root.getParent();
      return root != null && Files.isDirectory(root.resolve("toolchain")) ? Optional.of(root) : Optional.empty();
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      return Optional.empty();
    }
  }

  private static Optional<Path> onPath(String name) {
    // where PATH is unset, the default search path of execvp(3)
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) continue;
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return Optional.of(candidate);
    }
    return Optional.empty();
  }

  private static Optional<Path> projectLocal(String name) {
    return projectRoot().map(root -> root.resolve("toolchain/node_modules/.bin").resolve(name))
        .filter(Files::isExecutable);
  }
}
