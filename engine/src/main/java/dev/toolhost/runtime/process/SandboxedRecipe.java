package dev.toolhost.runtime.process;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Any runtime's recipe, run inside a {@link BubblewrapSandbox}. */
final class SandboxedRecipe extends WrappedRecipe {
  private final BubblewrapSandbox sandbox;
  private final WorkerHome home;

  SandboxedRecipe(LaunchRecipe inner, BubblewrapSandbox sandbox, WorkerHome home) {
    super(inner);
    this.sandbox = sandbox;
    this.home = home;
  }

  @Override
  public List<String> command(WorkerLaunch launch) {
    return sandbox.wrap(inner.command(launch), launch, inner.installation(), home.socket(runtime()));
  }

  /**
   * The process the engine holds is bwrap's, not a group leader: the PID namespace takes its
   * place, and the worker gets a session of its own from bwrap (--new-session), without setsid's exec.
   */
  @Override
  public boolean groupLeader() {
    return false;
  }

  @Override
  public Set<Safeguard> enforces() {
    Set<Safeguard> all = EnumSet.of(Safeguard.FILES, Safeguard.NO_NETWORK, Safeguard.NETWORK_ALLOWLIST);
    all.addAll(inner.enforces());
    return all;
  }

  /** bwrap's init inside the namespace, and the runtime under it. */
  @Override
  public int launchDescendants() {
    return inner.launchDescendants() + 2;
  }
}
