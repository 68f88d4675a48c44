package dev.toolhost.sandbox.docker;

import dev.toolhost.sandbox.SandboxFilesTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.BeforeAll;

/** {@link SandboxFilesTest} on docker sandboxes. */
class DockerSandboxFilesTest extends SandboxFilesTest {
  @BeforeAll
  protected static void start() {
    try {
      fixture = DockerSandboxFixture.start(4);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
