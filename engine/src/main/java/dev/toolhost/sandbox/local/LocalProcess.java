package dev.toolhost.sandbox.local;

import dev.toolhost.api.InvalidRequest;
import dev.toolhost.api.OutputLimitExceeded;
import dev.toolhost.api.Timeout;
import dev.toolhost.api.ToolError;
import dev.toolhost.api.ToolException;
import dev.toolhost.runtime.process.ProcessTree;
import dev.toolhost.sandbox.ExecResult;
import dev.toolhost.sandbox.SandboxEvent;
import dev.toolhost.sandbox.SandboxProcess;
import dev.toolhost.sandbox.spi.OutputCapture;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
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
final class LocalProcess implements SandboxProcess {
  private static final int CHUNK = 8192;
  private static final long LEFTOVER_GRACE_MS = 200;

  private final Process process;
  private final Context context;
  private final Executor pumps;
  private final OutputCapture capture;
  private final Consumer<SandboxEvent> events;
  private final Consumer<LocalProcess> onEnd;
  private final boolean interactive;
  private final long startNanos = System.nanoTime();
  private final Promise<ExecResult> result = Promise.promise();

  // on the context only
  private Handler<Buffer> stdoutHandler;
  private Handler<Buffer> stderrHandler;
  private ToolError stopReason;
  private int openStreams = 2;
  private boolean exited;
  private boolean ended;
  private long deadline = -1;

  private LocalProcess(Process process, Context context, Executor pumps, OutputCapture capture,
      boolean interactive, Consumer<SandboxEvent> events, Consumer<LocalProcess> onEnd) {
    this.process = process;
    this.context = context;
    this.pumps = pumps;
    this.capture = capture;
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
    if (timeout != null) {
      context.runOnContext(v -> {
        if (!ended) {
          deadline = context.owner().setTimer(timeout.toMillis(), t -> stop(new Timeout("the command did not finish within "
              + timeout.toMillis() + " ms; it was killed with all its children", timeout.toMillis())));
        }
      });
    }
    pumps.execute(() -> pump(process.getInputStream(), false));
    pumps.execute(() -> pump(process.getErrorStream(), true));
    process.onExit().thenRun(() -> context.runOnContext(v -> onExited()));
  }

  @Override
  public long pid() {
    return process.pid();
  }

  @Override
  public SandboxProcess stdoutHandler(Handler<Buffer> handler) {
    context.runOnContext(v -> {
      if (capture.stdout().length() > 0) handler.handle(capture.stdout().copy());
      stdoutHandler = handler;
    });
    return this;
  }

  @Override
  public SandboxProcess stderrHandler(Handler<Buffer> handler) {
    context.runOnContext(v -> {
      if (capture.stderr().length() > 0) handler.handle(capture.stderr().copy());
      stderrHandler = handler;
    });
    return this;
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

  /**
   * Through the context's queue: a handler set before this call has had its replay handed out
   * before a listener of the answer hears of the end, even when the process already ended.
   */
  @Override
  public Future<ExecResult> result() {
    Promise<ExecResult> ordered = Promise.promise();
    context.runOnContext(v -> result.future().onComplete(ordered));
    return ordered.future();
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

  private void deliver(boolean stderr, Buffer chunk) {
    if (stopReason != null) return;
    if (!capture.append(stderr, chunk)) {
      stop(new OutputLimitExceeded("the command printed more than the sandbox's output limit of "
          + capture.limit() + " bytes; it was killed with all its children", capture.limit(), "output"));
      return;
    }
    Handler<Buffer> handler = stderr ? stderrHandler : stdoutHandler;
    if (handler != null) handler.handle(chunk);
  }

  private void stop(ToolError reason) {
    if (stopReason != null || ended) return;
    stopReason = reason;
    kill();
  }

  private void onExited() {
    exited = true;
    maybeEnd();
    if (!ended) context.owner().setTimer(LEFTOVER_GRACE_MS, t -> {
      if (!ended) kill();
    });
  }

  private void maybeEnd() {
    if (ended || !exited || openStreams > 0) return;
    ended = true;
    if (deadline >= 0) context.owner().cancelTimer(deadline);
    int exitCode = process.exitValue();
    events.accept(new SandboxEvent.ProcessExit(process.pid(), exitCode));
    onEnd.accept(this);
    if (stopReason != null) {
      result.fail(new ToolException(stopReason));
    } else {
      result.complete(new ExecResult(exitCode, capture.stdout().toString(), capture.stderr().toString(),
          Math.round((System.nanoTime() - startNanos) / 1e4) / 100.0));
    }
  }

  /** The output so far (for a dev server's log tail). */
  OutputCapture capture() {
    return capture;
  }

  private static Future<Void> notInteractive() {
    return Future.failedFuture(new ToolException(new InvalidRequest(
        "stdin is closed: start the command with interactive options to write to it", "field: interactive")));
  }
}
