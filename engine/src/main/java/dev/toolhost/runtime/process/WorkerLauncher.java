package dev.toolhost.runtime.process;

import dev.toolhost.api.ToolError;
import dev.toolhost.config.PermissionPolicy;
import dev.toolhost.runtime.Availability;
import java.util.Optional;

/**
 * How the workers of one runtime are brought up: as local processes from a {@link LaunchRecipe},
 * or as containers. The pool, the channel and the protocol are the same for all of them.
 */
public interface WorkerLauncher {
  String runtime();

  /**
   * Finds what the workers need (a binary, a daemon and an image) or says what is missing.
   * Blocking; called at start, and again while it finds something missing.
   */
  Availability probe();

  /**
   * Why a tool with this policy may not run on these workers here (RUNTIME_UNAVAILABLE, with a
   * hint: a part of the policy they cannot hold), or empty. Asked before any worker is started.
   */
  default Optional<ToolError> refusal(String tool, PermissionPolicy policy) {
    return Optional.empty();
  }

  /** Starts the worker with this id under this policy; it connects to its runtime's channel and says hello. Blocking. */
  LaunchedWorker launch(String workerId, PermissionPolicy policy) throws Exception;

  /**
   * The launcher of a tool's workers: this one, unless the tool's configuration changes how they
   * start (its own container image). Pools are kept per launcher.
   */
  default WorkerLauncher forTool(String tool) {
    return this;
  }

  /** Releases what the launcher holds, once its workers are gone. Blocking. */
  default void close() {}
}
