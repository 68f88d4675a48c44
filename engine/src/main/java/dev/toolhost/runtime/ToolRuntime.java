package dev.toolhost.runtime;

import io.vertx.core.Future;

/**
 * Runs invocations for one kind of runtime and owns its warm pool. Nothing here blocks the
 * caller: blocking work (processes, contexts, containers) runs on worker threads.
 */
public interface ToolRuntime {
  /** The name used in configuration and answers: {@code node}, {@code bun}, ... */
  String name();

  /** Whether this runtime can run here, and if not why and how to fix it. */
  Future<Availability> availability();

  /** Loads the tools root and reports its tools and the modules that failed to load. */
  Future<ToolSet> describe();

  /** Starts one invocation. */
  RunningCall start(RuntimeCall call);

  /** Warm workers or contexts alive in this runtime's pools (for metrics); 0 for a runtime without pools. */
  default int liveMembers() {
    return 0;
  }

  /** Stops every worker this runtime started. */
  Future<Void> close();
}
