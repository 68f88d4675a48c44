package dev.toolhost.engine.internal;

import dev.toolhost.catalog.Catalog;
import dev.toolhost.runtime.Runtimes;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * One load of the tools root: its runtimes (bundles, workers, contexts) and the catalog they
 * gave. A reload makes a new generation and retires the old one, which keeps serving the calls
 * that entered it and is closed when the last of them leaves.
 */
final class Generation {
  final Runtimes runtimes;
  final Catalog catalog;
  /** The runtime that described the tools: another than the default when the default was not usable. */
  final String describedBy;
  private final Promise<Void> closed = Promise.promise();
  private int calls;
  private boolean retired;
  private boolean closing;

  Generation(Runtimes runtimes, Catalog catalog, String describedBy) {
    this.runtimes = runtimes;
    this.catalog = catalog;
    this.describedBy = describedBy;
  }

  /** Counts a call in; false when the generation is retired (the caller takes the current one). */
  synchronized boolean enter() {
    if (retired) return false;
    calls++;
    return true;
  }

  synchronized void exit() {
    if (--calls == 0 && retired) close();
  }

  /** No new calls; closes now, or once the calls in flight have left. Completes when closed. */
  synchronized Future<Void> retire() {
    if (!retired) {
      retired = true;
      if (calls == 0) close();
    }
    return closed.future();
  }

  /** Closes now, whatever is still in flight (the engine's shutdown, after its drain). Idempotent. */
  synchronized Future<Void> close() {
    if (!closing) {
      closing = true;
      runtimes.close().onComplete(closed);
    }
    return closed.future();
  }
}
