package dev.toolhost.runtime.graal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.AccessMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads and writes confined to the policy's paths, checked on real paths. */
class ConfinedFileSystemTest {
  @TempDir Path dir;

  private ConfinedFileSystem fs(List<Path> writes) throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Path sdk = Files.createDirectories(dir.resolve("sdk"));
    Files.writeString(sdk.resolve("index.js"), "export {}");
    return new ConfinedFileSystem(sdk.resolve("index.js"), List.of(root, sdk), writes);
  }

  @Test
  void readsInsideTheRootsAreAllowed() throws Exception {
    ConfinedFileSystem fs = fs(List.of());
    Path file = Files.writeString(dir.resolve("root/tool.js"), "x");
    try (var channel = fs.newByteChannel(file, Set.of(StandardOpenOption.READ))) {
      assertEquals(1, channel.size());
    }
  }

  @Test
  void theSdkSpecifierResolvesToTheShippedSdk() throws Exception {
    assertEquals(dir.resolve("sdk/index.js"), fs(List.of()).parsePath("@toolhost/sdk"));
  }

  @Test
  void readsOutsideAreRefusedNamingThePermissionAndPath() throws Exception {
    SecurityException e = assertThrows(SecurityException.class,
        () -> fs(List.of()).checkAccess(Path.of("/etc/passwd"), Set.of(AccessMode.READ)));
    assertTrue(e.getMessage().startsWith("PERMISSION_DENIED fs-read /etc/passwd:"), e.getMessage());
  }

  @Test
  void aSymlinkInsideTheRootCannotLeadOutside() throws Exception {
    ConfinedFileSystem fs = fs(List.of());
    Path link = Files.createSymbolicLink(dir.resolve("root/escape.js"), Path.of("/etc/passwd"));
    assertThrows(SecurityException.class, () -> fs.newByteChannel(link, Set.of(StandardOpenOption.READ)));
  }

  @Test
  void dotDotCannotLeaveTheRoot() throws Exception {
    ConfinedFileSystem fs = fs(List.of());
    Files.writeString(dir.resolve("secret.txt"), "s");
    Path sneaky = dir.resolve("root/../secret.txt");
    assertThrows(SecurityException.class, () -> fs.newByteChannel(sneaky, Set.of(StandardOpenOption.READ)));
  }

  @Test
  void writesNeedAWritePathAndNewFilesAreCheckedByTheirParent() throws Exception {
    Path out = Files.createDirectories(dir.resolve("out"));
    ConfinedFileSystem fs = fs(List.of(out));
    try (var channel = fs.newByteChannel(out.resolve("new.txt"), Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE))) {
      assertTrue(channel.isOpen());
    }
    SecurityException e = assertThrows(SecurityException.class, () -> fs.newByteChannel(dir.resolve("root/x.txt"),
        Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE)));
    assertTrue(e.getMessage().startsWith("PERMISSION_DENIED fs-write"), e.getMessage());
  }
}
