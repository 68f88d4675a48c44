package dev.toolhost.runtime.process;

import java.util.concurrent.CompletionStage;

/** A started worker as its launcher sees it: a local process tree or a container. */
public interface LaunchedWorker {
  /** Completes once the worker has exited, saying how. */
  CompletionStage<WorkerExit> exit();

  /** Kills the worker and everything it started; its exit is then reported by {@link #exit()}. Blocking. */
  void kill() throws Exception;

  /** Whether the last call left processes running beside the worker. Blocking. */
  boolean hasLeftovers();

  /** Removes what is left of the worker once it has exited (scratch files, logs, the container). Blocking. */
  void forget();
}
