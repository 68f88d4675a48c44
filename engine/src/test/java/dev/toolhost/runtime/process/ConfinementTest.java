package dev.toolhost.runtime.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.api.RuntimeUnavailable;
import dev.toolhost.api.ToolError;
import dev.toolhost.config.Enforcement;
import dev.toolhost.config.PermissionPolicy;
import dev.toolhost.config.SandboxMode;
import dev.toolhost.runtime.Availability;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which policies a runtime may run where bubblewrap is missing: decided without starting a process. */
class ConfinementTest {
  /** A runtime that, like Node, holds files and child processes by itself. */
  private static final LaunchRecipe NODE_LIKE = new LaunchRecipe() {
    @Override public String runtime() { return "node"; }
    @Override public Availability probe() { return Availability.usable("node", "v0", ""); }
    @Override public List<String> command(WorkerLaunch launch) { return List.of("node"); }
    @Override public boolean groupLeader() { return false; }
    @Override public Set<Safeguard> enforces() { return Set.of(Safeguard.FILES, Safeguard.NO_SUBPROCESS); }
  };
  private static final BubblewrapSandbox MISSING = BubblewrapSandbox.probe("/nonexistent/bwrap");
  private static final PermissionPolicy DEFAULT = PermissionPolicy.DEFAULT;
  private static final PermissionPolicy BEST_EFFORT =
      new PermissionPolicy(List.of(), List.of(), List.of(), null, false, 0, 0, Enforcement.BEST_EFFORT);

  private final CgroupLimits cgroups = CgroupLimits.probe("confinement-test");

  @AfterEach
  void release() {
    cgroups.close();
  }

  @Test
  void withoutBubblewrapNoNetworkCannotBeHeldSoTheToolIsRefused() {
    Confinement c = new Confinement(NODE_LIKE, MISSING, cgroups, SandboxMode.AUTO, null);
    RuntimeUnavailable e = refusal(c.refusal("greet", DEFAULT));
    assertEquals("node", e.runtime());
    assertTrue(e.message().contains("(no network)"), e.message());
    assertTrue(e.hint().contains("install bubblewrap"), e.hint());
    assertTrue(e.hint().contains("toolOverrides.greet.permissions.enforcement: best-effort"), e.hint());
  }

  @Test
  void bestEffortRunsWithWhatIsHeld() {
    Confinement c = new Confinement(NODE_LIKE, MISSING, cgroups, SandboxMode.AUTO, null);
    assertTrue(c.refusal("greet", BEST_EFFORT).isEmpty());
    assertEquals("node", c.recipe().runtime());
  }

  @Test
  void aRequiredSandboxThatIsMissingRefusesEvenBestEffort() {
    Confinement c = new Confinement(NODE_LIKE, MISSING, cgroups, SandboxMode.BWRAP, null);
    RuntimeUnavailable e = refusal(c.refusal("greet", BEST_EFFORT));
    assertTrue(e.message().contains("workerSandbox: bwrap is configured"), e.message());
  }

  @Test
  void aRuntimeThatHoldsNothingItselfIsRefusedForChildProcessesToo() {
    LaunchRecipe bare = new LaunchRecipe() {
      @Override public String runtime() { return "bun"; }
      @Override public Availability probe() { return Availability.usable("bun", "1", ""); }
      @Override public List<String> command(WorkerLaunch launch) { return List.of("bun"); }
      @Override public boolean groupLeader() { return false; }
    };
    Confinement c = new Confinement(bare, MISSING, cgroups, SandboxMode.AUTO, null);
    RuntimeUnavailable e = refusal(c.refusal("t", DEFAULT));
    assertTrue(e.message().contains("file access confined"), e.message());
    assertTrue(e.message().contains("no child processes"), e.message());
  }

  private static RuntimeUnavailable refusal(Optional<ToolError> refused) {
    return assertInstanceOf(RuntimeUnavailable.class, refused.orElseThrow());
  }
}
