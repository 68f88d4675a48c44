package dev.toolhost.runtime.process;

import dev.toolhost.api.Cancelled;
import dev.toolhost.api.ToolException;
import dev.toolhost.config.Isolation;
import dev.toolhost.config.PermissionPolicy;
import dev.toolhost.runtime.CallOutcome;
import dev.toolhost.runtime.RunningCall;
import dev.toolhost.runtime.RuntimeCall;
import dev.toolhost.runtime.ToolSet;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Warm workers of one launch recipe, one isolation and one permission policy. Started lazily
 * (the first call warms all {@code size} workers), refilled in the background when a worker is
 * retired or dies after it was ready. Calls wait in a FIFO when every worker is busy; the
 * engine bounds how many may wait. Workers that fail to start are not respawned in a loop: the
 * waiting calls fail with the reason, and the next call tries again.
 */
final class WorkerPool {
  private final Vertx vertx;
  private final LaunchRecipe recipe;
  private final WorkerHome home;
  private final ChannelServer channel;
  private final Isolation isolation;
  private final PermissionPolicy policy;
  private final int size;

  private final Deque<Worker> idle = new ArrayDeque<>();
  private final Deque<PooledCall> waiting = new ArrayDeque<>();
  private final Set<Worker> live = new LinkedHashSet<>();
  private boolean closed;

  WorkerPool(Vertx vertx, LaunchRecipe recipe, WorkerHome home, ChannelServer channel,
      Isolation isolation, PermissionPolicy policy, int size) {
    this.vertx = vertx;
    this.recipe = recipe;
    this.home = home;
    this.channel = channel;
    this.isolation = isolation;
    this.policy = policy;
    this.size = size;
  }

  RunningCall start(RuntimeCall call) {
    PooledCall pooled = new PooledCall(call);
    Worker worker;
    synchronized (this) {
      worker = idle.poll();
      if (worker == null) waiting.add(pooled);
    }
    if (worker != null) {
      pooled.run(worker);
    } else {
      fill();
    }
    return pooled;
  }

  /** The tools the first worker to start loaded. */
  Future<ToolSet> describe() {
    fill();
    Worker first;
    synchronized (this) {
      first = live.isEmpty() ? null : live.iterator().next();
    }
    return first == null
        ? Future.failedFuture(new ToolException(new Cancelled("the runtime is closed")))
        : first.ready();
  }

  synchronized int liveWorkers() {
    return live.size();
  }

  private void fill() {
    List<Worker> spawn = new ArrayList<>();
    synchronized (this) {
      while (!closed && live.size() < size) {
        Worker worker = new Worker(UUID.randomUUID().toString(), vertx, recipe, home, this::died);
        live.add(worker);
        spawn.add(worker);
      }
    }
    for (Worker worker : spawn) {
      worker.spawn(channel, new WorkerLaunch(home, worker.id(), policy)).onSuccess(tools -> offer(worker));
    }
  }

  private void offer(Worker worker) {
    PooledCall next;
    synchronized (this) {
      if (closed || worker.isDead()) return;
      next = waiting.poll();
      if (next == null) idle.add(worker);
    }
    if (next != null) next.run(worker);
  }

  private void release(Worker worker) {
    if (worker.isDead()) return;
    boolean spent = isolation.callsPerWorker() > 0 && worker.callsServed() >= isolation.callsPerWorker();
    if (spent || worker.wantsRetirement()) {
      worker.kill();  // died() refills
    } else if (policy.subprocess()) {
      // a call may not leave processes behind in a worker the next call reuses
      vertx.executeBlocking(worker::hasLeftovers, false).onComplete(ar -> {
        if (ar.failed() || ar.result()) worker.kill(); else offer(worker);
      });
    } else {
      offer(worker);
    }
  }

  private void died(Worker worker) {
    boolean wasReady = worker.ready().succeeded();
    List<PooledCall> orphaned = List.of();
    synchronized (this) {
      live.remove(worker);
      idle.remove(worker);
      if (!wasReady && live.isEmpty()) {
        orphaned = new ArrayList<>(waiting);
        waiting.clear();
      }
    }
    Throwable cause = worker.ready().cause();
    for (PooledCall call : orphaned) call.promise.tryFail(cause);
    if (wasReady) fill();
  }

  Future<Void> close() {
    List<Worker> all;
    List<PooledCall> orphaned;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(live);
      orphaned = new ArrayList<>(waiting);
      waiting.clear();
      idle.clear();
    }
    for (PooledCall call : orphaned) {
      call.promise.tryFail(new ToolException(new Cancelled("the engine is shutting down")));
    }
    List<Future<Void>> exits = new ArrayList<>();
    for (Worker worker : all) exits.add(worker.kill());
    return Future.join(exits).mapEmpty();
  }

  private synchronized boolean removeWaiting(PooledCall call) {
    return waiting.remove(call);
  }

  /** A call that waits for a worker, then runs on it; cancel works in either state. */
  private final class PooledCall implements RunningCall {
    final RuntimeCall call;
    final Promise<CallOutcome> promise = Promise.promise();
    private Worker.Call running;
    private boolean cancelled;

    PooledCall(RuntimeCall call) {
      this.call = call;
    }

    void run(Worker worker) {
      Worker.Call started;
      synchronized (this) {
        if (cancelled) {
          started = null;
        } else {
          started = worker.start(call);
          running = started;
        }
      }
      if (started == null) {
        offer(worker);
        return;
      }
      started.promise.future().onComplete(ar -> {
        release(worker);
        if (ar.succeeded()) promise.tryComplete(ar.result()); else promise.tryFail(ar.cause());
      });
    }

    @Override
    public Future<CallOutcome> result() {
      return promise.future();
    }

    @Override
    public void cancel() {
      Worker.Call r;
      synchronized (this) {
        cancelled = true;
        r = running;
      }
      if (r != null) {
        r.cancel();
      } else if (removeWaiting(this)) {
        promise.tryFail(new ToolException(new Cancelled("the call was cancelled while queued")));
      }
    }
  }
}
