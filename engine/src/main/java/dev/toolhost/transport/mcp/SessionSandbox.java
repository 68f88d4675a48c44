package dev.toolhost.transport.mcp;

import dev.toolhost.api.InvalidRequest;
import dev.toolhost.api.ToolException;
import dev.toolhost.sandbox.Sandbox;
import dev.toolhost.sandbox.SandboxManager;
import dev.toolhost.sandbox.SandboxSpec;
import io.vertx.core.Future;

/**
 * The sandbox one MCP session's {@code execute_code} and {@code run_command} share: made by the
 * manager (its configured default type and limits) at the first call, used by every later one,
 * and torn down when the session ends. One the manager tore down meanwhile (idle past
 * {@code sandbox.idleTimeout}) is replaced by a fresh one at the next call; its files are gone.
 * Thread-safe: calls of one session may come on several event loops.
 */
final class SessionSandbox {
  private final SandboxManager manager;
  private Future<Sandbox> current;  // guarded by this
  private boolean closed;  // guarded by this

  SessionSandbox(SandboxManager manager) {
    this.manager = manager;
  }

  /** The session's sandbox, made now if it has none (or lost it); fails as {@link SandboxManager#create} does. */
  synchronized Future<Sandbox> get() {
    if (closed) return Future.failedFuture(new ToolException(new InvalidRequest("the MCP session has ended")));
    Future<Sandbox> made = current;
    // manager.get also marks the sandbox as used, so its idle timeout starts again
    boolean usable = made != null && (!made.isComplete()
        || made.succeeded() && manager.get(made.result().id()).isPresent());
    if (!usable) current = manager.create(new SandboxSpec(null, null, null, null, null, null));
    return current;
  }

  /** Tears down the sandbox, if one was made (waiting for one being made); later calls fail. */
  Future<Void> close() {
    Future<Sandbox> made;
    synchronized (this) {
      closed = true;
      made = current;
      current = null;
    }
    if (made == null) return Future.succeededFuture();
    return made.transform(ar -> ar.succeeded() ? manager.teardown(ar.result().id()).<Void>mapEmpty()
        : Future.<Void>succeededFuture());
  }
}
