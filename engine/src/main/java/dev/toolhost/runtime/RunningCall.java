package dev.toolhost.runtime;

import io.vertx.core.Future;

/** An attempt in flight: its outcome, and a way to stop it (killing what runs it). */
public interface RunningCall {
  /** Succeeds with the output, or fails with a {@link dev.toolhost.api.ToolException}. */
  Future<CallOutcome> result();

  /** Stops the attempt now; the result fails with CANCELLED unless it already completed. */
  void cancel();

  /** A call that failed before it started; there is nothing to cancel. */
  static RunningCall failed(Throwable cause) {
    Future<CallOutcome> failed = Future.failedFuture(cause);
    return new RunningCall() {
      @Override public Future<CallOutcome> result() { return failed; }
      @Override public void cancel() { }
    };
  }
}
