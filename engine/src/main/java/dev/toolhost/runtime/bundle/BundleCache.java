package dev.toolhost.runtime.bundle;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.toolhost.api.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Bundles on disk, by content hash, shared by every engine instance of the user:
 *
 * <pre>
 * CACHE/                 (mode 0700: a bundle is code the engine runs)
 *   bundles/KEY.mjs      a bundle; KEY hashes everything it was built from ({@link BundleKey})
 *   modules/HASH.json    per module (HASH of its absolute path): the inputs of its last build,
 *                        so its key can be computed again without running esbuild
 *   esbuild/HASH         the version of one esbuild binary (HASH of its path, size and mtime)
 *   tmp/                 builds in progress, moved into bundles/ when complete
 * </pre>
 *
 * Files are written to tmp/ and moved into place, so engines sharing the cache never see a
 * half-written file. A bundle's mtime is its last use; {@link #prune} removes the unused ones, so
 * the cache does not grow for ever as tools change. Every method blocks.
 */
public final class BundleCache {
  private final Path dir;

  private BundleCache(Path dir) {
    this.dir = dir;
  }

  /** Opens (creating) the cache at {@code dir}; fails when it cannot be made or written. */
  public static BundleCache open(Path dir) throws IOException {
    Path absolute = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(absolute)) {
      Files.createDirectories(absolute.getParent());
      Files.createDirectories(absolute, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    for (String sub : List.of("bundles", "modules", "esbuild", "tmp")) Files.createDirectories(absolute.resolve(sub));
    if (!Files.isWritable(absolute.resolve("tmp"))) throw new IOException("cannot write to " + absolute);
    return new BundleCache(absolute);
  }

  public Path dir() {
    return dir;
  }

  /** The bundle built under {@code key}, if there is one, marked as used now. */
  Optional<Path> bundle(String key) {
    Path file = dir.resolve("bundles").resolve(key + ".mjs");
    try {
      Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
      return Optional.of(file);
    } catch (IOException e) {
      return Optional.empty();  // not built (or pruned meanwhile)
    }
  }

  /** Removes bundles unused for {@code unused}, and builds left in tmp/ by a crash as long ago. */
  void prune(Duration unused) throws IOException {
    Instant before = Instant.now().minus(unused);
    for (String sub : List.of("bundles", "tmp")) {
      try (Stream<Path> files = Files.list(dir.resolve(sub))) {
        for (Path f : (Iterable<Path>) files::iterator) {
          try {
            if (Files.getLastModifiedTime(f).toInstant().isBefore(before)) Files.deleteIfExists(f);
          } catch (IOException e) {
            // another engine removed or replaced it: nothing to do
          }
        }
      }
    }
  }

  /** Moves a finished build into the cache under {@code key}; returns where it is now. */
  Path store(String key, Path built) throws IOException {
    return moveIntoPlace(built, dir.resolve("bundles").resolve(key + ".mjs"));
  }

  /** The inputs (as {@link BundleKey} labels) of the last build of {@code module}, if any. */
  Optional<List<String>> inputsOf(Path module) {
    try {
      return Optional.of(Json.MAPPER.readValue(dir.resolve("modules").resolve(hash(module.toString()) + ".json").toFile(),
          new TypeReference<List<String>>() {}));
    } catch (IOException e) {
      return Optional.empty();  // never built, or unreadable: build again
    }
  }

  void rememberInputs(Path module, List<String> labels) throws IOException {
    writeAtomically(dir.resolve("modules").resolve(hash(module.toString()) + ".json"), Json.MAPPER.writeValueAsBytes(labels));
  }

  Optional<String> esbuildVersion(String identity) {
    try {
      return Optional.of(Files.readString(dir.resolve("esbuild").resolve(hash(identity))).trim());
    } catch (IOException e) {
      return Optional.empty();  // not known yet, or unreadable: ask esbuild
    }
  }

  void rememberEsbuildVersion(String identity, String version) throws IOException {
    writeAtomically(dir.resolve("esbuild").resolve(hash(identity)), version.getBytes(StandardCharsets.UTF_8));
  }

  /** A fresh path under tmp/ for a build in progress. */
  Path temporary(String suffix) {
    return dir.resolve("tmp").resolve(UUID.randomUUID() + suffix);
  }

  private void writeAtomically(Path target, byte[] content) throws IOException {
    Path tmp = temporary(".part");
    Files.write(tmp, content);
    moveIntoPlace(tmp, target);
  }

  private static Path moveIntoPlace(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
    return to;
  }

  static String hash(String text) {
    return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
