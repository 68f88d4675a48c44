package dev.toolhost.sandbox.spi;

import dev.toolhost.api.InvalidRequest;
import dev.toolhost.api.ToolError;
import dev.toolhost.api.ToolException;
import dev.toolhost.sandbox.Sandbox;
import dev.toolhost.sandbox.SandboxEvent;
import dev.toolhost.sandbox.SandboxSpec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What every strategy's sandbox keeps the same way: its id and spec, the context its events
 * come on, booted and torn-down states, the listeners, and the checks before a call (torn down:
 * INVALID_REQUEST; not booted; otherwise unusable, as the strategy says), then the call's
 * blocking work on a worker thread.
 */
public abstract class SandboxBase implements Sandbox {
  protected final String id;
  protected final SandboxSpec spec;
  protected final Context context;
  private final List<Consumer<SandboxEvent>> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean ready;
  private volatile boolean tornDown;

  protected SandboxBase(String id, SandboxSpec spec, Context context) {
    this.id = id;
    this.spec = spec;
    this.context = context;
  }

  @Override
  public final String id() {
    return id;
  }

  @Override
  public boolean isReady() {
    return ready && !tornDown && unusable() == null;
  }

  @Override
  public final Registration onEvent(Consumer<SandboxEvent> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Why the sandbox cannot serve although booted and not torn down (its container gone), or null. */
  protected ToolError unusable() {
    return null;
  }

  /** Booted: calls are served from now on. */
  protected final void booted() {
    ready = true;
  }

  public final boolean isTornDown() {
    return tornDown;
  }

  /** Marks it torn down; false when it was already (teardown is idempotent). */
  protected final boolean markTornDown() {
    if (tornDown) return false;
    tornDown = true;
    return true;
  }

  /** Tells the listeners, on the sandbox's context. */
  protected final void emit(SandboxEvent event) {
    context.runOnContext(v -> listeners.forEach(l -> l.accept(event)));
  }

  /** {@code work} on a worker thread, once the sandbox is booted, not torn down and usable. */
  protected final <T> Future<T> whenReady(Callable<T> work) {
    if (tornDown) return tornDown();
    ToolError unusable = unusable();
    if (unusable != null) return Future.failedFuture(new ToolException(unusable));
    if (!ready) return Future.failedFuture(new ToolException(new InvalidRequest("sandbox '" + id + "' is not booted")));
    return blocking(work);
  }

  /** {@code work} on a worker thread. */
  protected <T> Future<T> blocking(Callable<T> work) {
    return context.executeBlocking(work, false);
  }

  protected final ToolError tornDownError() {
    return new InvalidRequest("sandbox '" + id + "' was torn down", "field: id");
  }

  protected final <T> Future<T> tornDown() {
    return Future.failedFuture(new ToolException(tornDownError()));
  }

  /** Refuses a file over {@code sandbox.fileLimit} before anything is written. */
  protected final void checkSize(String path, Buffer content) {
    if (content.length() > spec.limits().fileLimitBytes()) {
      throw new ToolException(new InvalidRequest("file '" + path + "' is " + content.length()
          + " bytes, over the sandbox's file limit of " + spec.limits().fileLimitBytes()
          + " bytes (sandbox.fileLimit); write it in parts or fetch it from inside the sandbox", "field: content"));
    }
  }
}
