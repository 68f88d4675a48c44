package dev.toolhost.sandbox;

import static dev.toolhost.sandbox.SandboxFixture.failure;
import static dev.toolhost.testing.TestEngines.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.api.InvalidRequest;
import dev.toolhost.api.NotFound;
import dev.toolhost.api.OutputLimitExceeded;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The file calls of a sandbox (local here; subclasses for other strategies): mount, list, read, write, delete, and the paths they refuse. */
public class SandboxFilesTest {
  protected static SandboxFixture fixture;
  private Sandbox sandbox;

  /** Subclasses for other strategies hide it with their own. */
  @BeforeAll
  protected static void start() {
    fixture = SandboxFixture.start();
  }

  @AfterAll
  protected static void stop() throws Exception {
    fixture.close();
  }

  @BeforeEach
  void create() {
    fixture.manager.list().forEach(s -> await(fixture.manager.teardown(s.id())));
    sandbox = fixture.create();
  }

  @Test
  void mountedFilesAreListedAndRead() {
    byte[] bytes = {0, 1, 2, (byte) 255};
    await(sandbox.mount(FileTree.builder()
        .file("README.md", "# hello")
        .file("data/raw.bin", bytes)
        .directory("src", FileTree.builder().file("app.py", "print(1)").file("lib/util.py", "x = 1").build())
        .build()));

    Map<String, FileEntry> entries = await(sandbox.list("")).stream()
        .collect(Collectors.toMap(FileEntry::path, e -> e));
    assertEquals(List.of("README.md", "data", "data/raw.bin", "src", "src/app.py", "src/lib", "src/lib/util.py"),
        entries.keySet().stream().sorted().toList());
    assertTrue(entries.get("src/lib").directory());
    assertEquals(4, entries.get("data/raw.bin").size());
    assertArrayEquals(bytes, await(sandbox.readFile("data/raw.bin")).getBytes());
    assertEquals("print(1)", await(sandbox.readFile("src/app.py")).toString());
    assertEquals(List.of("src/lib/util.py"), await(sandbox.list("src/lib")).stream().map(FileEntry::path).toList());
  }

  @Test
  void writeReplacesAndDeleteRemovesDirectoriesWithTheirFiles() {
    await(sandbox.writeFile("a/b/c.txt", Buffer.buffer("one")));
    await(sandbox.writeFile("a/b/c.txt", Buffer.buffer("two")));
    assertEquals("two", await(sandbox.readFile("a/b/c.txt")).toString());
    await(sandbox.deleteFile("a"));
    assertEquals(List.of(), await(sandbox.list("")));
    NotFound read = failure(sandbox.readFile("a/b/c.txt"), NotFound.class);
    assertEquals("no file 'a/b/c.txt' in the sandbox", read.message());
    assertEquals("file", read.resource());
    assertEquals("a/b/c.txt", read.name());
    NotFound delete = failure(sandbox.deleteFile("a"), NotFound.class);
    assertTrue(delete.message().contains("no file or directory 'a'"), delete.message());
    assertEquals("path", delete.resource());
    assertEquals("directory", failure(sandbox.list("a"), NotFound.class).resource());
    // a cwd that is not there is a bad field of the exec, not a missing resource
    assertEquals("field: cwd", failure(sandbox.exec("true", List.of(), ExecOptions.DEFAULT.withCwd("a")),
        InvalidRequest.class).details());
  }

  @ParameterizedTest
  @ValueSource(strings = {"../outside", "/etc/passwd", "a/../../outside", "a/b/../../../outside", "..",
      "out/passwd", "out", "nowhere/x", "nowhere", "in/../../outside", "bad\0name"})
  void everyFileCallRefusesAPathLeavingTheRoot(String path) throws Exception {
    // links made by a process in the sandbox, as an agent could: to the host's /etc, and to nothing
    ExecResult made = await(await(sandbox.exec("bash", List.of("-c", "mkdir in && ln -s /etc out && ln -s /no/such nowhere"),
        ExecOptions.DEFAULT)).result());
    assertEquals(0, made.exitCode(), made.stderr());

    assertRefused(sandbox.writeFile(path, Buffer.buffer("x")));
    assertRefused(sandbox.readFile(path));
    assertRefused(sandbox.deleteFile(path));
    assertRefused(sandbox.list(path));
    assertRefused(sandbox.mount(FileTree.builder().file("fine.txt", "ok").file(path, "x").build()));
    assertRefused(sandbox.exec("true", List.of(), ExecOptions.DEFAULT.withCwd(path)));
    // a refused mount writes nothing, not even its good files
    assertFalse(await(sandbox.list("")).stream().anyMatch(e -> e.path().equals("fine.txt")));
    if (fixture.isLocal()) assertFalse(Files.exists(fixture.sandboxDir(sandbox.id()).resolve("outside")));
    assertTrue(Files.exists(java.nio.file.Path.of("/etc/passwd")));
  }

  private static void assertRefused(io.vertx.core.Future<?> call) {
    assertEquals("field: path", failure(call, InvalidRequest.class).details());
  }

  @Test
  void aSymlinkInsideTheRootIsFollowed() {
    await(await(sandbox.exec("bash", List.of("-c", "mkdir real && ln -s real link"), ExecOptions.DEFAULT)).result());
    await(sandbox.writeFile("link/x.txt", Buffer.buffer("via link")));
    assertEquals("via link", await(sandbox.readFile("real/x.txt")).toString());
  }

  @Test
  void aMountOfTenThousandFilesIsWrittenAndListed() {
    FileTree.Builder tree = FileTree.builder();
    for (int i = 0; i < 10_000; i++) tree.file("d" + (i % 100) + "/f" + i + ".txt", "file " + i);
    await(sandbox.mount(tree.build()));
    List<FileEntry> all = await(sandbox.list(""));
    assertEquals(10_000, all.stream().filter(e -> !e.directory()).count());
    assertEquals(100, all.stream().filter(FileEntry::directory).count());
    assertEquals("file 9999", await(sandbox.readFile("d99/f9999.txt")).toString());
  }

  @Test
  void aHundredMegabyteFileIsOverTheFileLimitBothWays() {
    Buffer big = Buffer.buffer(new byte[100 << 20]);
    InvalidRequest write = failure(sandbox.writeFile("big.bin", big), InvalidRequest.class);
    assertTrue(write.message().contains("file limit of " + (64L << 20)), write.message());
    if (fixture.isLocal()) assertFalse(Files.exists(fixture.sandboxDir(sandbox.id()).resolve("workspace/big.bin")));

    // made inside the sandbox: it is there (list shows it) but not read whole through the API
    await(await(sandbox.exec("bash", List.of("-c", "head -c 100M /dev/zero > big.bin"), ExecOptions.DEFAULT)).result());
    assertEquals(100L << 20, await(sandbox.list("")).get(0).size());
    OutputLimitExceeded read = failure(sandbox.readFile("big.bin"), OutputLimitExceeded.class);
    assertEquals(64L << 20, read.limitBytes());
  }

  @Test
  void everyCallOnATornDownSandboxIsRefusedAndItsFilesAreGone() {
    await(sandbox.writeFile("x.txt", Buffer.buffer("x")));
    await(fixture.manager.teardown(sandbox.id()));
    assertFalse(sandbox.isReady());
    if (fixture.isLocal()) assertFalse(Files.exists(fixture.sandboxDir(sandbox.id())));
    for (var call : List.of(sandbox.readFile("x.txt"), sandbox.writeFile("y", Buffer.buffer()), sandbox.list(""),
        sandbox.exec("true", List.of(), ExecOptions.DEFAULT), sandbox.execute("print(1)", Language.PYTHON, ExecOptions.DEFAULT))) {
      assertTrue(failure(call, InvalidRequest.class).message().contains("torn down"));
    }
  }
}
