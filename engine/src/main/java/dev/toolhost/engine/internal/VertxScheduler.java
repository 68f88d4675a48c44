package dev.toolhost.engine.internal;

import dev.failsafe.spi.DefaultScheduledFuture;
import dev.failsafe.spi.Scheduler;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs Failsafe's steps on Vert.x: an immediate step runs in the calling thread, a delayed one
 * (retry backoff) on a Vert.x timer. Every step only starts or cancels
 * non-blocking work, so no thread pool hop is needed and no event loop is blocked.
 */
final class VertxScheduler implements Scheduler {
  private final Vertx vertx;

  VertxScheduler(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public ScheduledFuture<?> schedule(Callable<?> callable, long delay, TimeUnit unit) {
    if (delay <= 0) {
      try {
        callable.call();
      } catch (Exception e) {
        throw new IllegalStateException("a Failsafe step threw", e);
      }
      return new Done();
    }
    long ms = Math.max(1, unit.toMillis(delay) + (unit.toNanos(delay) % 1_000_000 == 0 ? 0 : 1));
    Timer timer = new Timer();
    timer.id = vertx.setTimer(ms, id -> {
      timer.done = true;
      try {
        callable.call();
      } catch (Exception ignored) {
        // Failsafe records the failure of a step in its own execution
      }
    });
    return timer;
  }

  private static final class Done extends DefaultScheduledFuture<Object> {
    @Override public boolean isDone() { return true; }
  }

  private final class Timer extends DefaultScheduledFuture<Object> {
    volatile long id;
    volatile boolean done;
    volatile boolean cancelled;

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      if (done || cancelled) return false;  // a second cancel must not clear isCancelled()
      cancelled = vertx.cancelTimer(id);
      return cancelled;
    }

    @Override public boolean isCancelled() { return cancelled; }
    @Override public boolean isDone() { return done || cancelled; }
  }
}
