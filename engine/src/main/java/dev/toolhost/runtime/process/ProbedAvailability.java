package dev.toolhost.runtime.process;

import dev.toolhost.config.Backoff;
import dev.toolhost.runtime.Availability;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * A launcher's availability. A failed probe is not final: what was missing (a Docker daemon, a
 * binary) may come later, so asking for it while the last probe failed probes again on a worker
 * thread, at most once per backoff interval (doubling up to the configured maximum). Meanwhile
 * the last answer stands, and calls fail with it at once (RUNTIME_UNAVAILABLE, which the engine
 * retries). Once usable, it stays so: a launch that fails later reports its own reason.
 */
final class ProbedAvailability {
  private final Vertx vertx;
  private final WorkerLauncher launcher;
  private final Backoff backoff;
  private Availability last;
  private Future<Availability> probing;
  private long nextProbeNanos;
  private long intervalNanos;

  private ProbedAvailability(Vertx vertx, WorkerLauncher launcher, Backoff backoff) {
    this.vertx = vertx;
    this.launcher = launcher;
    this.backoff = backoff;
    this.intervalNanos = backoff.initialInterval().toNanos();
  }

  /** Probes the launcher for the first time. */
  static Future<ProbedAvailability> probe(Vertx vertx, WorkerLauncher launcher, Backoff backoff) {
    ProbedAvailability probed = new ProbedAvailability(vertx, launcher, backoff);
    return probed.current().map(a -> probed);
  }

  /** The availability, probed again first when the last probe failed and the next one is due. */
  Future<Availability> current() {
    Promise<Availability> done = Promise.promise();
    synchronized (this) {
      if (probing != null) return probing;
      if (last != null && (last.usable() || System.nanoTime() < nextProbeNanos)) return Future.succeededFuture(last);
      probing = done.future();
    }
    vertx.executeBlocking(launcher::probe, false).onComplete(probe -> done.complete(settle(probe)));
    return done.future();
  }

  private synchronized Availability settle(AsyncResult<Availability> probe) {
    probing = null;
    last = probe.succeeded() ? probe.result()
        : Availability.unusable(launcher.runtime(), "the probe failed: " + probe.cause(), null);
    if (!last.usable()) {
      nextProbeNanos = System.nanoTime() + intervalNanos;
      intervalNanos = Math.min(intervalNanos * 2, backoff.maxInterval().toNanos());
    }
    return last;
  }
}
