package dev.toolhost.sandbox.docker;

import dev.toolhost.sandbox.SandboxDependenciesTest;
import dev.toolhost.sandbox.SandboxFixture;
import java.io.IOException;

/** {@link SandboxDependenciesTest} on docker sandboxes: npm and pip of the image, with no network. */
class DockerSandboxDependenciesTest extends SandboxDependenciesTest {
  @Override
  protected SandboxFixture start() throws IOException {
    return DockerSandboxFixture.start(2);
  }
}
