package dev.toolhost.runtime;

import io.vertx.core.Future;
import java.util.function.Supplier;

/** An attempt in flight: its outcome, and a way to stop it (killing what runs it). */
public interface RunningCall {
  /** Succeeds with the output, or fails with a {@link dev.toolhost.api.ToolException}. */
  Future<CallOutcome> result();

  /** Stops the attempt now; the result fails with CANCELLED unless it already completed. */
  void cancel();

  /**
   * A call started once {@code gate} completes (for example once a runtime has loaded its
   * catalog); it fails with the gate's failure, and cancelling it before it starts stops it.
   */
  static RunningCall after(Future<?> gate, Supplier<RunningCall> next) {
    return gate.succeeded() ? next.get() : new GatedCall(gate, next);
  }

  /** A call that failed before it started; there is nothing to cancel. */
  static RunningCall failed(Throwable cause) {
    Future<CallOutcome> failed = Future.failedFuture(cause);
    return new RunningCall() {
      @Override public Future<CallOutcome> result() { return failed; }
      @Override public void cancel() { }
    };
  }
}
