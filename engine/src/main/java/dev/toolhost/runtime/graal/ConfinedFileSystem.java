package dev.toolhost.runtime.graal;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.graalvm.polyglot.io.FileSystem;

/**
 * The only file system a GraalJS tool sees: reads are confined to the SDK, the tools root and
 * the policy's read paths, writes to the policy's write paths, each checked on the real path
 * (symlinks resolved), so a link inside the tools root cannot lead outside it. {@code
 * @toolhost/sdk} resolves to the SDK shipped in the engine. A refusal is a SecurityException
 * whose message starts {@code PERMISSION_DENIED fs-read|fs-write <path>:}, which the guest
 * bootstrap turns into a PERMISSION_DENIED answer.
 */
final class ConfinedFileSystem implements FileSystem {
  static final String SDK_SPECIFIER = "@toolhost/sdk";

  private final FileSystem delegate = FileSystem.newDefaultFileSystem();
  private final Path sdkEntry;
  private final List<Path> readRoots;
  private final List<Path> writeRoots;

  ConfinedFileSystem(Path sdkEntry, List<Path> readRoots, List<Path> writeRoots) {
    this.sdkEntry = sdkEntry;
    this.readRoots = readRoots.stream().map(ConfinedFileSystem::real).toList();
    this.writeRoots = writeRoots.stream().map(ConfinedFileSystem::real).toList();
  }

  @Override
  public Path parsePath(URI uri) {
    return delegate.parsePath(uri);
  }

  @Override
  public Path parsePath(String path) {
    return SDK_SPECIFIER.equals(path) ? sdkEntry : delegate.parsePath(path);
  }

  @Override
  public void checkAccess(Path path, Set<? extends AccessMode> modes, LinkOption... options) throws IOException {
    if (modes.contains(AccessMode.WRITE)) checkWrite(path); else checkRead(path);
    delegate.checkAccess(path, modes, options);
  }

  @Override
  public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
    checkWrite(dir);
    delegate.createDirectory(dir, attrs);
  }

  @Override
  public void delete(Path path) throws IOException {
    checkWrite(path);
    delegate.delete(path);
  }

  @Override
  public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
      throws IOException {
    boolean writes = options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND)
        || options.contains(StandardOpenOption.CREATE) || options.contains(StandardOpenOption.CREATE_NEW);
    if (writes) checkWrite(path); else checkRead(path);
    return delegate.newByteChannel(path, options, attrs);
  }

  @Override
  public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
    checkRead(dir);
    return delegate.newDirectoryStream(dir, filter);
  }

  @Override
  public Path toAbsolutePath(Path path) {
    return delegate.toAbsolutePath(path);
  }

  @Override
  public Path toRealPath(Path path, LinkOption... options) throws IOException {
    checkRead(path);
    return delegate.toRealPath(path, options);
  }

  @Override
  public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
    checkRead(path);
    return delegate.readAttributes(path, attributes, options);
  }

  @Override
  public void setCurrentWorkingDirectory(Path currentWorkingDirectory) {
    delegate.setCurrentWorkingDirectory(currentWorkingDirectory);
  }

  private void checkRead(Path path) {
    Path real = real(delegate.toAbsolutePath(path));
    if (!under(real, readRoots) && !under(real, writeRoots)) {
      throw new SecurityException("PERMISSION_DENIED fs-read " + path + ": outside the paths this tool may read");
    }
  }

  private void checkWrite(Path path) {
    Path real = real(delegate.toAbsolutePath(path));
    if (!under(real, writeRoots)) {
      throw new SecurityException("PERMISSION_DENIED fs-write " + path + ": outside the paths this tool may write");
    }
  }

  private static boolean under(Path path, List<Path> roots) {
    for (Path root : roots) if (path.startsWith(root)) return true;
    return false;
  }

  /** The real path, or for a path that does not exist yet, its nearest existing parent's real path plus the rest. */
  private static Path real(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    Path existing = absolute;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) existing = existing.getParent();
    if (existing == null) return absolute;
    try {
      return existing.toRealPath().resolve(existing.relativize(absolute));
    } catch (IOException e) {
      return absolute;
    }
  }
}
