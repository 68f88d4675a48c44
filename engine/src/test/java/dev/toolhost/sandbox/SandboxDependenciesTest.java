package dev.toolhost.sandbox;

import static dev.toolhost.testing.TestEngines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.runtime.Toolchain;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** installDependencies finds what the workspace declares and runs its installer in the sandbox. */
class SandboxDependenciesTest {
  @Test
  void nothingDeclaredInstallsNothing() throws Exception {
    try (SandboxFixture f = SandboxFixture.start()) {
      assertEquals(List.of(), await(f.create().installDependencies()));
    }
  }

  @Test
  void aPackageJsonAndARequirementsFileAreEachInstalled() throws Exception {
    Assumptions.assumeTrue(Toolchain.find("npm", null).isPresent(), "skipped: npm is not installed");
    try (SandboxFixture f = SandboxFixture.start()) {
      Sandbox sandbox = f.create();
      // nothing to fetch: the installers run without a registry
      await(sandbox.mount(FileTree.builder()
          .file("package.json", "{\"name\": \"app\", \"version\": \"1.0.0\", \"dependencies\": {}}")
          .file("requirements.txt", "# no packages yet\n")
          .build()));
      List<ExecResult> results = await(sandbox.installDependencies());
      assertEquals(2, results.size(), results.toString());
      assertEquals(0, results.get(0).exitCode(), results.get(0).toString());
      assertTrue(await(sandbox.list("")).stream().anyMatch(e -> e.path().equals("package-lock.json")), "npm wrote its lock file");
      assertEquals(0, results.get(1).exitCode(), results.get(1).toString());
    }
  }
}
