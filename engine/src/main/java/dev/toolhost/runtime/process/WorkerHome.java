package dev.toolhost.runtime.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The private directory one engine instance gives its workers:
 *
 * <pre>
 * toolhost-PID-RANDOM/            (mode 0700)
 *   stage/node_modules/@toolhost/sdk/   the SDK and worker bootstrap, extracted from the jar
 *   stage/tools -&gt; the tools root     (symlink: with --preserve-symlinks, a tool's import of
 *                                        "@toolhost/sdk" resolves here, so tools need no npm install)
 *   stage/bundles/                   the tools' bundles and manifest.json, what every runtime loads
 *                                    (copied from the bundle cache: workers read nothing outside)
 *   RUNTIME.sock                     the unix socket workers of a runtime connect to
 *   logs/WORKER.log                  a worker's own stdout/stderr, read for crash reports
 *   scratch/WORKER/                  the only place a tool may write by default
 * </pre>
 *
 * Directories of instances whose process is gone are removed when a new one starts.
 */
public final class WorkerHome implements AutoCloseable {
  private static final String PREFIX = "toolhost-";

  private final Path dir;
  private final Path toolsRoot;
  private final String entry;

  private WorkerHome(Path dir, Path toolsRoot, String entry) {
    this.dir = dir;
    this.toolsRoot = toolsRoot;
    this.entry = entry;
  }

  /**
   * Creates the directory for a tools root (a directory, or a single entrypoint file). Blocking.
   *
   * @param base where instance directories live (the system temp directory by default)
   */
  public static WorkerHome create(Path base, Path tools) throws IOException {
    Path real = tools.toRealPath();
    Path rootDir = Files.isDirectory(real) ? real : real.getParent();
    String entry = Files.isDirectory(real) ? null : real.getFileName().toString();
    removeStale(base);
    Path dir = base.resolve(PREFIX + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8));
    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path sdk = dir.resolve("stage/node_modules/@toolhost/sdk");
    Files.createDirectories(sdk);
    extractSdk(sdk);
    Files.createSymbolicLink(dir.resolve("stage/tools"), rootDir);
    Files.createDirectories(dir.resolve("stage/bundles"));
    Files.createDirectories(dir.resolve("logs"));
    Files.createDirectories(dir.resolve("scratch"));
    return new WorkerHome(dir, rootDir, entry);
  }

  /** Copies the SDK's files (the toolhost-sdk/ resources, from the jar or a classes directory). */
  private static void extractSdk(Path target) throws IOException {
    URL marker = WorkerHome.class.getResource("/toolhost-sdk/package.json");
    if (marker == null) throw new IOException("the engine's class path lacks the toolhost-sdk resources");
    try {
      if (marker.getProtocol().equals("jar")) {
        String spec = marker.toString();  // jar:file:/…/x.jar!/toolhost-sdk/package.json
        Path jarFile = Path.of(new URI(spec.substring("jar:".length(), spec.indexOf("!/"))));
        try (FileSystem jar = FileSystems.newFileSystem(jarFile)) {
          copyFiles(jar.getPath("/toolhost-sdk"), target);
        }
      } else {
        copyFiles(Path.of(marker.toURI()).getParent(), target);
      }
    } catch (URISyntaxException e) {
      throw new IOException("bad SDK resource location " + marker, e);
    }
  }

  private static void copyFiles(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(f)) Files.copy(f, to.resolve(f.getFileName().toString()));
      }
    }
  }

  private static void removeStale(Path base) throws IOException {
    if (!Files.isDirectory(base)) return;
    try (Stream<Path> dirs = Files.list(base)) {
      for (Path d : (Iterable<Path>) dirs::iterator) {
        String name = d.getFileName().toString();
        if (!name.startsWith(PREFIX)) continue;
        String[] parts = name.split("-");
        if (parts.length < 3) continue;
        try {
          long pid = Long.parseLong(parts[1]);
          if (ProcessHandle.of(pid).isEmpty()) deleteTree(d);
        } catch (NumberFormatException | IOException | UncheckedIOException ignored) {
          // not ours, or somebody else's to clean
        }
      }
    }
  }

  public Path dir() { return dir; }

  /** The tools root as workers see it (through the stage symlink). */
  public Path stagedTools() { return dir.resolve("stage/tools"); }

  /** The real tools root directory. */
  public Path toolsRoot() { return toolsRoot; }

  /** The single entry file relative to the root, or null to load the whole directory. */
  public String entry() { return entry; }

  public Path stage() { return dir.resolve("stage"); }

  /** The SDK and bootstraps, as extracted from the jar. */
  public Path sdk() { return dir.resolve("stage/node_modules/@toolhost/sdk"); }

  public Path workerScript() { return sdk().resolve("worker.mjs"); }

  /** Where the bundles of the tools root are put for the runtimes to load. */
  public Path bundles() { return dir.resolve("stage/bundles"); }

  /** The {@code BundleManifest} of the tools root: module by module, what to load. */
  public Path manifest() { return bundles().resolve("manifest.json"); }

  /** A bundle cache for when the configured one cannot be used: it lives as long as this home. */
  public Path fallbackCache() { return dir.resolve("bundle-cache"); }

  /** The unix socket the workers of one runtime connect to. */
  public Path socket(String runtime) { return dir.resolve(runtime + ".sock"); }

  public Path logFile(String workerId) { return dir.resolve("logs").resolve(workerId + ".log"); }

  public Path scratch(String workerId) { return dir.resolve("scratch").resolve(workerId); }

  /** Removes a worker's scratch directory and log file. Blocking. */
  public void forget(String workerId) {
    try {
      deleteTree(scratch(workerId));
      Files.deleteIfExists(logFile(workerId));
    } catch (IOException | UncheckedIOException ignored) {
      // removed with the whole home at close
    }
  }

  @Override
  public void close() throws IOException {
    deleteTree(dir);
  }

  /** Deletes a tree; files that vanish meanwhile (a worker cleaning up after itself) are fine. */
  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) return FileVisitResult.CONTINUE;
        throw e;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null && !(e instanceof NoSuchFileException)) throw e;
        Files.deleteIfExists(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

}
