package dev.toolhost.runtime.pool;

import dev.toolhost.api.Cancelled;
import dev.toolhost.api.ToolError;
import dev.toolhost.api.ToolException;
import dev.toolhost.runtime.RuntimeCall;
import dev.toolhost.runtime.ToolSet;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.function.Consumer;

/**
 * The bookkeeping every pool member shares: readiness, the one call in flight, calls served,
 * a request to be retired, and a death reported once. Subclasses say how a call is sent and how
 * the member is stopped; {@link #onDied()} cleans up what is theirs.
 */
public abstract class AbstractPoolMember<M extends AbstractPoolMember<M>> implements PoolMember {
  protected final Promise<ToolSet> ready = Promise.promise();
  private final Consumer<M> onDeath;
  private MemberCall current;
  private int callCounter;
  private boolean retire;
  private boolean dead;

  protected AbstractPoolMember(Consumer<M> onDeath) {
    this.onDeath = onDeath;
  }

  @Override
  public Future<ToolSet> ready() {
    return ready.future();
  }

  @Override
  public synchronized int callsServed() {
    return callCounter;
  }

  @Override
  public synchronized boolean wantsRetirement() {
    return retire;
  }

  @Override
  public synchronized boolean isDead() {
    return dead;
  }

  /** Marks the member to be replaced after its call: its state may be compromised. */
  protected synchronized void retire() {
    retire = true;
  }

  /** Registers a new call in flight; cancelling it kills the member. */
  protected synchronized MemberCall begin(RuntimeCall request) {
    current = new MemberCall(Integer.toString(++callCounter), request, this::kill);
    return current;
  }

  /** The call in flight, if its id is {@code id} (or any call, for a null id). */
  protected synchronized MemberCall current(String id) {
    return current != null && (id == null || current.id().equals(id)) ? current : null;
  }

  /** Takes the call in flight off the member, if its id is {@code id}; the member is then idle. */
  protected synchronized MemberCall finish(String id) {
    MemberCall call = current(id);
    if (call != null) current = null;
    return call;
  }

  /**
   * The member is gone: fails readiness and the call in flight (CANCELLED if the caller
   * cancelled it, else {@code error}), cleans up, and tells the pool. Only the first call counts.
   */
  protected void die(ToolError error) {
    MemberCall call;
    synchronized (this) {
      if (dead) return;
      dead = true;
      call = current;
      current = null;
    }
    onDied();
    ready.tryFail(new ToolException(error));
    if (call != null) {
      call.fail(new ToolException(call.isCancelled() ? new Cancelled("the call was cancelled") : error));
    }
    @SuppressWarnings("unchecked") M self = (M) this;
    onDeath.accept(self);
  }

  /** Releases what the subclass holds once the member is dead (timers, files). Must not block. */
  protected abstract void onDied();
}
