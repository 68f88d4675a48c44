package dev.toolhost.runtime.pool;

import dev.toolhost.api.Cancelled;
import dev.toolhost.api.ToolException;
import dev.toolhost.config.Isolation;
import dev.toolhost.runtime.CallOutcome;
import dev.toolhost.runtime.RunningCall;
import dev.toolhost.runtime.RuntimeCall;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Warm members of one kind (one runtime, tool set, isolation and policy), shared by every
 * runtime. Started lazily (the first call warms all {@code size} members), refilled in the
 * background when a member is retired or dies after it was ready. Calls wait in a FIFO when
 * every member is busy; the engine bounds how many may wait. Members that fail to start are not
 * restarted in a loop: the waiting calls fail with the reason, and the next call tries again.
 */
public final class WarmPool<M extends PoolMember> {
  /** Begins starting a member; it must report its death (after ready or not) to {@code onDeath}. */
  public interface Factory<M> {
    M start(Consumer<M> onDeath);
  }

  private final Factory<M> factory;
  private final Isolation isolation;
  private final int size;
  private final Function<M, Future<Boolean>> reusable;

  private final Deque<M> idle = new ArrayDeque<>();
  private final Deque<PooledCall> waiting = new ArrayDeque<>();
  private final Set<M> live = new LinkedHashSet<>();
  private boolean closed;

  /**
   * @param reusable asked after each call whether the member may serve another (for example,
   *     whether the call left processes behind); retirement by isolation is decided here
   */
  public WarmPool(Factory<M> factory, Isolation isolation, int size, Function<M, Future<Boolean>> reusable) {
    this.factory = factory;
    this.isolation = isolation;
    this.size = size;
    this.reusable = reusable;
  }

  public RunningCall start(RuntimeCall call) {
    PooledCall pooled = new PooledCall(call);
    M member;
    synchronized (this) {
      if (closed) return RunningCall.failed(new ToolException(new Cancelled("the engine is shutting down")));
      member = idle.poll();
      if (member == null) waiting.add(pooled);
    }
    if (member != null) {
      pooled.run(member);
    } else {
      fill();
    }
    return pooled;
  }

  /** Warms the pool and completes with the first member to start (or why it could not). */
  public Future<M> anyReady() {
    fill();
    M first;
    synchronized (this) {
      first = live.isEmpty() ? null : live.iterator().next();
    }
    return first == null
        ? Future.failedFuture(new ToolException(new Cancelled("the runtime is closed")))
        : first.ready().map(v -> first);
  }

  public synchronized int liveMembers() {
    return live.size();
  }

  private void fill() {
    int missing;
    synchronized (this) {
      missing = closed ? 0 : size - live.size();
    }
    for (int i = 0; i < missing; i++) {
      M member = factory.start(this::died);
      boolean keep;
      synchronized (this) {
        keep = !closed && live.size() < size;
        if (keep) live.add(member);
      }
      if (keep) {
        member.ready().onSuccess(v -> offer(member));
      } else {
        member.kill();
      }
    }
  }

  private void offer(M member) {
    PooledCall next;
    synchronized (this) {
      if (closed || member.isDead()) return;
      next = waiting.poll();
      if (next == null) idle.add(member);
    }
    if (next != null) next.run(member);
  }

  private void release(M member) {
    if (member.isDead()) return;
    boolean spent = isolation.callsPerWorker() > 0 && member.callsServed() >= isolation.callsPerWorker();
    if (spent || member.wantsRetirement()) {
      member.kill();  // died() refills
      return;
    }
    reusable.apply(member).onComplete(ar -> {
      if (ar.succeeded() && ar.result()) offer(member); else member.kill();
    });
  }

  private void died(M member) {
    boolean wasReady = member.ready().succeeded();
    List<PooledCall> orphaned = List.of();
    synchronized (this) {
      live.remove(member);
      idle.remove(member);
      if (!wasReady && live.isEmpty()) {
        orphaned = new ArrayList<>(waiting);
        waiting.clear();
      }
    }
    Throwable cause = member.ready().cause();
    for (PooledCall call : orphaned) call.promise.tryFail(cause);
    if (wasReady) fill();
  }

  public Future<Void> close() {
    List<M> all;
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
    for (M member : all) exits.add(member.kill());
    return Future.join(exits).mapEmpty();
  }

  private synchronized boolean removeWaiting(PooledCall call) {
    return waiting.remove(call);
  }

  /** A call that waits for a member, then runs on it; cancel works in either state. */
  private final class PooledCall implements RunningCall {
    final RuntimeCall call;
    final Promise<CallOutcome> promise = Promise.promise();
    private RunningCall running;
    private boolean cancelled;

    PooledCall(RuntimeCall call) {
      this.call = call;
    }

    void run(M member) {
      RunningCall started;
      synchronized (this) {
        if (cancelled) {
          started = null;
        } else {
          started = member.start(call);
          running = started;
        }
      }
      if (started == null) {
        offer(member);
        return;
      }
      started.result().onComplete(ar -> {
        // answer first: replacing a spent member (closing it, starting the next) is not the caller's wait
        if (ar.succeeded()) promise.tryComplete(ar.result()); else promise.tryFail(ar.cause());
        release(member);
      });
    }

    @Override
    public Future<CallOutcome> result() {
      return promise.future();
    }

    @Override
    public void cancel() {
      RunningCall r;
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
