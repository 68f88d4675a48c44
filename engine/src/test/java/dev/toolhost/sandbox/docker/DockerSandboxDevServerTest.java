package dev.toolhost.sandbox.docker;

import dev.toolhost.sandbox.SandboxDevServerTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;

/** {@link SandboxDevServerTest} on docker sandboxes, which publish the port their dev servers listen on. */
class DockerSandboxDevServerTest extends SandboxDevServerTest {
  @BeforeAll
  protected static void start() {
    try {
      fixture = DockerSandboxFixture.start(4, List.of(8000));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    sandbox = fixture.create();
  }
}
