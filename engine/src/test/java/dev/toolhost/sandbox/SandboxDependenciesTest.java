package dev.toolhost.sandbox;

import static dev.toolhost.testing.TestEngines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** installDependencies finds what the workspace declares and runs its installer in the sandbox. */
public class SandboxDependenciesTest {
  /** The fixture of each test; subclasses for other strategies override it. */
  protected SandboxFixture start() throws Exception {
    return SandboxFixture.start();
  }

  @Test
  void nothingDeclaredInstallsNothing() throws Exception {
    try (SandboxFixture f = start()) {
      assertEquals(List.of(), await(f.create().installDependencies()));
    }
  }

  @Test
  void aPackageJsonAndARequirementsFileAreEachInstalled() throws Exception {
    try (SandboxFixture f = start()) {
      Sandbox sandbox = f.create();
      Assumptions.assumeTrue(await(await(sandbox.exec("sh", List.of("-c", "command -v npm"), ExecOptions.DEFAULT)).result())
          .exitCode() == 0, "skipped: npm is not installed in the " + sandbox.type() + " sandbox");
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
