package dev.toolhost.runtime.pool;

import dev.toolhost.runtime.RunningCall;
import dev.toolhost.runtime.RuntimeCall;
import io.vertx.core.Future;

/** What a {@link WarmPool} holds: a worker process, a GraalJS context... serving one call at a time. */
public interface PoolMember {
  /** Completes once the member can serve calls; fails with why it could not start. */
  Future<?> ready();

  boolean isDead();

  int callsServed();

  /** Whether the member asked to be replaced (its state may be compromised). */
  boolean wantsRetirement();

  /** Starts one call; the pool only calls this on a ready, idle member. */
  RunningCall start(RuntimeCall call);

  /** Stops the member; its death is then reported to the pool. */
  Future<Void> kill();
}
