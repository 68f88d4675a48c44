package dev.toolhost.sandbox.local;

import dev.toolhost.runtime.process.ProcessTree;
import dev.toolhost.sandbox.SandboxEvent;
import dev.toolhost.sandbox.spi.CapturedProcess;
import dev.toolhost.sandbox.spi.OutputCapture;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * A process of a local sandbox. Two pump threads read stdout and stderr and hand each chunk to
 * the sandbox's context, where all state lives; {@link #result()} completes there once the
 * process exited and both pipes closed. A child left holding the pipes after the process exited
 * is killed with the group after a short grace, so a backgrounded {@code sleep} cannot hold a
 * command's answer.
 */
final class LocalProcess extends CapturedProcess {
  private static final int CHUNK = 8192;
  private static final long LEFTOVER_GRACE_MS = 200;

  private final Process process;
  private final Executor pumps;
  private final Consumer<SandboxEvent> events;
  private final Consumer<LocalProcess> onEnd;
  private final boolean interactive;

  // on the context only
  private int openStreams = 2;
  private boolean exited;

  private LocalProcess(Process process, Context context, Executor pumps, OutputCapture capture,
      boolean interactive, Consumer<SandboxEvent> events, Consumer<LocalProcess> onEnd) {
    super(context, capture);
    this.process = process;
    this.pumps = pumps;
    this.interactive = interactive;
    this.events = events;
    this.onEnd = onEnd;
  }

  /** Starts pumping a started process's output; {@code timeout} null: no deadline (dev servers). */
  static LocalProcess watch(Process process, Context context, Executor pumps,
      OutputCapture capture, Duration timeout, boolean interactive, Consumer<SandboxEvent> events,
      Consumer<LocalProcess> onEnd) {
    LocalProcess p = new LocalProcess(process, context, pumps, capture, interactive, events, onEnd);
    p.begin(timeout);
    return p;
  }

  private void begin(Duration timeout) {
    startDeadline(timeout);
    pumps.execute(() -> pump(process.getInputStream(), false));
    pumps.execute(() -> pump(process.getErrorStream(), true));
    process.onExit().thenRun(() -> context.runOnContext(v -> onExited()));
  }

  @Override
  public long pid() {
    return process.pid();
  }

  @Override
  public Future<Void> write(Buffer data) {
    if (!interactive) return notInteractive();
    return context.executeBlocking(() -> {
      process.getOutputStream().write(data.getBytes());
      process.getOutputStream().flush();
      return null;
    }, true);
  }

  @Override
  public Future<Void> endInput() {
    if (!interactive) return Future.succeededFuture();
    return context.executeBlocking(() -> {
      process.getOutputStream().close();
      return null;
    }, true);
  }

  @Override
  public Future<Void> kill() {
    return context.executeBlocking(() -> {
      ProcessTree.kill(process, ProcessGroup.available());
      return null;
    }, false);
  }

  /** Blocking: reads one stream to its end on a pump thread. */
  private void pump(InputStream in, boolean stderr) {
    byte[] bytes = new byte[CHUNK];
    try (in) {
      int n;
      while ((n = in.read(bytes)) > 0) {
        Buffer chunk = Buffer.buffer(n).appendBytes(bytes, 0, n);
        context.runOnContext(v -> deliver(stderr, chunk));
      }
    } catch (IOException e) {
      // the pipe broke as the process was killed: what was read is all there is
    }
    context.runOnContext(v -> {
      openStreams--;
      maybeEnd();
    });
  }

  private void onExited() {
    exited = true;
    maybeEnd();
    if (!ended()) context.owner().setTimer(LEFTOVER_GRACE_MS, t -> {
      if (!ended()) kill();
    });
  }

  private void maybeEnd() {
    if (!exited || openStreams > 0) return;
    end(process.pid(), process.exitValue());
  }

  @Override
  protected void onEnded(SandboxEvent.ProcessExit exit) {
    events.accept(exit);
    onEnd.accept(this);
  }
}
