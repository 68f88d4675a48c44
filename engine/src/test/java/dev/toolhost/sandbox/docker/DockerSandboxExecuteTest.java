package dev.toolhost.sandbox.docker;

import dev.toolhost.sandbox.SandboxExecuteTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.BeforeAll;

/** {@link SandboxExecuteTest} on docker sandboxes: the languages of the sandbox image. */
class DockerSandboxExecuteTest extends SandboxExecuteTest {
  @BeforeAll
  protected static void start() {
    try {
      fixture = DockerSandboxFixture.start(4);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    sandbox = fixture.create();
  }
}
