package dev.toolhost.runtime.pool;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolhost.api.LogEntry;
import dev.toolhost.runtime.CallOutcome;
import dev.toolhost.runtime.RunningCall;
import dev.toolhost.runtime.RuntimeCall;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;

/**
 * The call in flight on a pool member: its id within the member, its logs as they arrive, and
 * its outcome. Cancelling it runs the member's stop action (kill the worker, close the context).
 */
public final class MemberCall implements RunningCall {
  private final String id;
  private final RuntimeCall request;
  private final Runnable stop;
  private final Promise<CallOutcome> promise = Promise.promise();
  private final List<LogEntry> logs = new ArrayList<>();
  private volatile boolean cancelled;

  public MemberCall(String id, RuntimeCall request, Runnable stop) {
    this.id = id;
    this.request = request;
    this.stop = stop;
  }

  public String id() {
    return id;
  }

  public RuntimeCall request() {
    return request;
  }

  public boolean isCancelled() {
    return cancelled;
  }

  public void log(String level, String message) {
    LogEntry entry = new LogEntry(level, message);
    synchronized (this) {
      logs.add(entry);
    }
    request.onLog().accept(entry);
  }

  /** Completes with the output and the logs received so far. */
  public void succeed(JsonNode output) {
    List<LogEntry> copy;
    synchronized (this) {
      copy = List.copyOf(logs);
    }
    promise.tryComplete(new CallOutcome(output, copy));
  }

  public void fail(Throwable cause) {
    promise.tryFail(cause);
  }

  @Override
  public Future<CallOutcome> result() {
    return promise.future();
  }

  @Override
  public void cancel() {
    cancelled = true;
    stop.run();
  }
}
