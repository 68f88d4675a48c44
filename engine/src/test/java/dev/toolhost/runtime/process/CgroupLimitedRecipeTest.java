package dev.toolhost.runtime.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.toolhost.config.Enforcement;
import dev.toolhost.config.PermissionPolicy;
import dev.toolhost.runtime.Availability;
import dev.toolhost.testing.TestEngines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The groups a worker is started in hold the policy's limits, and go when the worker has gone. */
class CgroupLimitedRecipeTest {
  private static final LaunchRecipe ECHO = new LaunchRecipe() {
    @Override public String runtime() { return "echo"; }
    @Override public Availability probe() { return Availability.usable("echo", "1", ""); }
    @Override public List<String> command(WorkerLaunch launch) { return List.of("/bin/echo", "worker"); }
    @Override public boolean groupLeader() { return false; }
  };

  private CgroupLimits cgroups;
  private WorkerHome home;

  @BeforeEach
  void setUp() throws IOException {
    cgroups = CgroupLimits.probe("recipe-test");
    Assumptions.assumeTrue(cgroups.group("pids", "w") != null && cgroups.group("memory", "w") != null
        && cgroups.group("cpu", "w") != null, "skipped: needs cgroup v1 pids, memory and cpu (" + cgroups.describe() + ")");
    home = WorkerHome.create(Files.createTempDirectory("toolhost-cg"), TestEngines.testTools());
  }

  @AfterEach
  void tearDown() throws IOException {
    if (cgroups != null) cgroups.close();
    if (home != null) home.close();
  }

  @Test
  void theWorkerEntersGroupsWithThePolicyLimits() throws Exception {
    PermissionPolicy policy = new PermissionPolicy(List.of(), List.of(), List.of(), null, true, 64L << 20, 0.5,
        Enforcement.STRICT);
    CgroupLimitedRecipe recipe = new CgroupLimitedRecipe(ECHO, cgroups);
    List<String> cmd = recipe.command(new WorkerLaunch(home, "w", policy));
    assertEquals(String.valueOf(CgroupLimits.MAX_TASKS), read("pids", "pids.max"));
    assertEquals(String.valueOf(64L << 20), read("memory", "memory.limit_in_bytes"));
    assertEquals("50000", read("cpu", "cpu.cfs_quota_us"));

    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertEquals("worker", new String(p.getInputStream().readAllBytes()).trim(), "the command ran after entering its groups");
    assertEquals(0, p.waitFor());
    assertNull(recipe.exitCause("w", ""), "no memory limit was hit");

    recipe.release("w");
    for (String controller : List.of("pids", "memory", "cpu")) {
      assertFalse(Files.exists(cgroups.group(controller, "w")), controller + " group left behind");
    }
  }

  private String read(String controller, String file) throws IOException {
    Path group = cgroups.group(controller, "w");
    return Files.readString(group.resolve(file)).trim();
  }
}
