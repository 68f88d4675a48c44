package dev.toolhost.runtime.process;

import dev.toolhost.runtime.Availability;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** A recipe around another: everything it does not change is the inner recipe's. */
abstract class WrappedRecipe implements LaunchRecipe {
  protected final LaunchRecipe inner;

  WrappedRecipe(LaunchRecipe inner) {
    this.inner = inner;
  }

  @Override public String runtime() { return inner.runtime(); }
  @Override public Availability probe() { return inner.probe(); }
  @Override public List<String> command(WorkerLaunch launch) { return inner.command(launch); }
  @Override public boolean groupLeader() { return inner.groupLeader(); }
  @Override public Set<Safeguard> enforces() { return inner.enforces(); }
  @Override public List<Path> installation() { return inner.installation(); }
  @Override public int launchDescendants() { return inner.launchDescendants(); }
  @Override public String exitCause(String workerId, String output) { return inner.exitCause(workerId, output); }
  @Override public void release(String workerId) { inner.release(workerId); }
}
