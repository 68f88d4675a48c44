package dev.toolhost.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ToolchainTest {
  @Test
  void theBuildInstallsBunAndEsbuildWhereTheEngineFindsThem() {
    for (String name : new String[] {"bun", "esbuild"}) {
      Path found = Toolchain.find(name, null).orElseThrow(() -> new AssertionError(
          name + " not found in " + Toolchain.searched(name, null)));
      assertTrue(Files.isExecutable(found), found.toString());
    }
  }

  @Test
  void aConfiguredPathWinsAndIsNotReplacedByAnotherWhenMissing() {
    assertTrue(Toolchain.find("bun", "/nonexistent/bun").isEmpty());
    assertTrue(Toolchain.searched("bun", "/nonexistent/bun").contains("configured"));
  }

  @Test
  void aConfiguredNameIsLookedUpOnPath() {
    assertEquals(Toolchain.find("sh", null), Toolchain.find("bun", "sh"));
    assertTrue(Toolchain.find("sh", "sh").isPresent());
  }
}
