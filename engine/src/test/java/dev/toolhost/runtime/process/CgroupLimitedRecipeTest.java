package dev.toolhost.runtime.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.config.Enforcement;
import dev.toolhost.config.PermissionPolicy;
import dev.toolhost.runtime.Availability;
import dev.toolhost.testing.TestEngines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A worker starts inside its groups, which hold the policy's limits, and they go when it has gone;
 * the groups of the next worker are entered ahead of its start, by an enclosure that becomes it.
 */
class CgroupLimitedRecipeTest {
  private static final PermissionPolicy LIMITED = new PermissionPolicy(List.of(), List.of(), List.of(), null, true,
      64L << 20, 0.5, Enforcement.STRICT);
  private static final PermissionPolicy UNLIMITED = new PermissionPolicy(List.of(), List.of(), List.of(), null, true,
      0, 0, Enforcement.STRICT);
  private static final LaunchRecipe NONE = new LaunchRecipe() {
    @Override public String runtime() { return "none"; }
    @Override public Availability probe() { return Availability.usable("none", "1", ""); }
    @Override public List<String> command(WorkerLaunch launch) { return List.of(); }
    @Override public boolean groupLeader() { return false; }
  };

  private CgroupLimits cgroups;
  private WorkerHome home;
  private CgroupEnclosures enclosures;
  private CgroupLimitedRecipe recipe;

  @BeforeEach
  void setUp() throws IOException {
    cgroups = CgroupLimits.probe("recipe-test");
    Assumptions.assumeTrue(cgroups.has("pids") && cgroups.has("memory") && cgroups.has("cpu"),
        "skipped: needs cgroup v1 pids, memory and cpu (" + cgroups.describe() + ")");
    home = WorkerHome.create(Files.createTempDirectory("toolhost-cg"), TestEngines.testTools());
    enclosures = new CgroupEnclosures(cgroups, home);
    recipe = new CgroupLimitedRecipe(NONE, cgroups, enclosures);
  }

  @AfterEach
  void tearDown() throws IOException {
    if (enclosures != null) enclosures.close();
    if (cgroups != null) cgroups.close();
    if (home != null) home.close();
  }

  @Test
  void theWorkerStartsInsideGroupsWithThePolicyLimits() throws Exception {
    String out = run("w", LIMITED, "/bin/cat", "/proc/self/cgroup");
    Path pids = groupOf(out, "pids");
    Path memory = groupOf(out, "memory");
    Path cpu = groupOf(out, "cpu");
    assertEquals(String.valueOf(CgroupLimits.MAX_TASKS), read(pids, "pids.max"));
    assertEquals(String.valueOf(64L << 20), read(memory, "memory.limit_in_bytes"));
    assertEquals("50000", read(cpu, "cpu.cfs_quota_us"));
    assertNull(recipe.exitCause("w", ""), "no memory limit was hit");

    recipe.release("w");
    for (Path group : List.of(pids, memory, cpu)) assertFalse(Files.exists(group), group + " left behind");
  }

  @Test
  void aWorkerWithoutLimitsIsOnlyInItsTaskGroup() throws Exception {
    String out = run("w", UNLIMITED, "/bin/cat", "/proc/self/cgroup");
    assertEquals(String.valueOf(CgroupLimits.MAX_TASKS), read(groupOf(out, "pids"), "pids.max"));
    for (String controller : List.of("memory", "cpu")) {
      assertTrue(out.lines().noneMatch(l -> l.contains(":" + controller + ":") && l.contains(cgroups.group(controller, "").getFileName().toString())),
          "in a " + controller + " group without a limit: " + out);
    }
  }

  @Test
  void theCommandRunsAsGivenInTheScratchDirectoryWithAnEmptyEnvironment() throws Exception {
    assertEquals("it's\n  two lines $HOME `x`", run("w1", UNLIMITED, "/bin/echo", "it's\n  two lines $HOME `x`").strip());
    assertEquals("", run("w2", UNLIMITED, "/usr/bin/env").strip(), "the environment is empty");
    String cwd = run("w3", UNLIMITED, "/bin/pwd", "-P").strip();
    assertEquals(home.scratch("w3").toRealPath().toString(), cwd);
  }

  @Test
  void theNextWorkerFindsItsGroupsEnteredAhead() throws Exception {
    enclosures.prepare(CgroupLimitedRecipe.controllers(cgroups, 0, 0));
    long ahead = waitForEnclosure(List.of());
    Process worker = start("w", UNLIMITED, "/bin/cat", "/proc/self/cgroup");
    assertEquals(ahead, worker.pid(), "the worker is the process that entered its groups before it was started");
    worker.waitFor();
    long next = waitForEnclosure(List.of(ahead));
    assertTrue(next != ahead, "an enclosure is prepared for the next worker");

    enclosures.close();
    assertFalse(ProcessHandle.of(next).map(ProcessHandle::isAlive).orElse(false), "closing kills the prepared enclosure");
    assertTrue(enclosureTasks().isEmpty(), "closing removes the prepared enclosure's groups");
  }

  private String run(String id, PermissionPolicy policy, String... command) throws Exception {
    Process p = start(id, policy, command);
    assertEquals(0, p.waitFor());
    return Files.readString(home.logFile(id));
  }

  private Process start(String id, PermissionPolicy policy, String... command) throws IOException {
    Files.createDirectories(home.scratch(id));
    return recipe.start(new WorkerLaunch(home, id, policy), List.of(command));
  }

  /** The group of the worker in a controller, from its /proc/self/cgroup. */
  private Path groupOf(String procCgroup, String controller) {
    String line = procCgroup.lines().filter(l -> l.split(":")[1].equals(controller)).findFirst().orElseThrow();
    Path group = cgroups.group(controller, Path.of(line.split(":", 3)[2]).getFileName().toString());
    assertTrue(line.endsWith(cgroups.group(controller, "").getFileName() + "/" + group.getFileName()), procCgroup);
    return group;
  }

  /** The pid in a prepared enclosure's task group, other than {@code known}, once it is there. */
  private long waitForEnclosure(List<Long> known) throws Exception {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < deadline) {
      for (long pid : enclosureTasks()) if (!known.contains(pid)) return pid;
      Thread.onSpinWait();
    }
    throw new AssertionError("no enclosure entered its groups within 5 s");
  }

  private List<Long> enclosureTasks() throws IOException {
    try (Stream<Path> groups = Files.list(cgroups.group("pids", ""))) {
      return groups.filter(g -> g.getFileName().toString().startsWith("enclosure-"))
          .flatMap(g -> {
            try {
              return Files.readAllLines(g.resolve("cgroup.procs")).stream().map(Long::parseLong);
            } catch (IOException e) {
              return Stream.empty();  // removed meanwhile
            }
          }).toList();
    }
  }

  private static String read(Path group, String file) throws IOException {
    return Files.readString(group.resolve(file)).trim();
  }
}
