package dev.toolhost.runtime;

import dev.toolhost.api.Cancelled;
import dev.toolhost.api.ToolException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.function.Supplier;

/** A call that starts when its gate completes; see {@link RunningCall#after}. */
final class GatedCall implements RunningCall {
  private final Promise<CallOutcome> promise = Promise.promise();
  private RunningCall started;
  private boolean cancelled;

  GatedCall(Future<?> gate, Supplier<RunningCall> next) {
    gate.onComplete(ar -> {
      RunningCall call;
      synchronized (this) {
        if (cancelled) return;
        if (ar.failed()) {
          promise.tryFail(ar.cause());
          return;
        }
        call = next.get();
        started = call;
      }
      call.result().onComplete(promise);
    });
  }

  @Override
  public Future<CallOutcome> result() {
    return promise.future();
  }

  @Override
  public void cancel() {
    RunningCall call;
    synchronized (this) {
      cancelled = true;
      call = started;
    }
    if (call != null) {
      call.cancel();
    } else {
      promise.tryFail(new ToolException(new Cancelled("the call was cancelled before it started")));
    }
  }
}
