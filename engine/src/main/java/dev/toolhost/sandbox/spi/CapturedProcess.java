package dev.toolhost.sandbox.spi;

import dev.toolhost.api.InvalidRequest;
import dev.toolhost.api.OutputLimitExceeded;
import dev.toolhost.api.Timeout;
import dev.toolhost.api.ToolError;
import dev.toolhost.api.ToolException;
import dev.toolhost.sandbox.ExecResult;
import dev.toolhost.sandbox.SandboxEvent;
import dev.toolhost.sandbox.SandboxProcess;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;

/**
 * What a sandbox process is on every strategy, apart from how it runs: its output captured up to
 * the limit (over it, the process is killed: OUTPUT_LIMIT_EXCEEDED), handed to the handlers as it
 * comes (a handler set late first gets what came before), a deadline (TIMEOUT, killed), and the
 * answer once the strategy says it ended. All state lives on the sandbox's context.
 */
public abstract class CapturedProcess implements SandboxProcess {
  protected final Context context;
  private final OutputCapture capture;
  private final long startNanos = System.nanoTime();
  private final Promise<ExecResult> result = Promise.promise();

  // on the context only
  private Handler<Buffer> stdoutHandler;
  private Handler<Buffer> stderrHandler;
  private ToolError stopReason;
  private boolean ended;
  private long deadline = -1;

  protected CapturedProcess(Context context, OutputCapture capture) {
    this.context = context;
    this.capture = capture;
  }

  /** Kills the process when {@code timeout} passes before it ended; null: no deadline (dev servers). */
  protected final void startDeadline(Duration timeout) {
    if (timeout == null) return;
    context.runOnContext(v -> {
      if (!ended) {
        deadline = context.owner().setTimer(timeout.toMillis(), t -> stop(new Timeout("the command did not finish within "
            + timeout.toMillis() + " ms; it was killed with all its children", timeout.toMillis())));
      }
    });
  }

  @Override
  public final SandboxProcess stdoutHandler(Handler<Buffer> handler) {
    context.runOnContext(v -> {
      if (capture.stdout().length() > 0) handler.handle(capture.stdout().copy());
      stdoutHandler = handler;
    });
    return this;
  }

  @Override
  public final SandboxProcess stderrHandler(Handler<Buffer> handler) {
    context.runOnContext(v -> {
      if (capture.stderr().length() > 0) handler.handle(capture.stderr().copy());
      stderrHandler = handler;
    });
    return this;
  }

  /**
   * Through the context's queue: a handler set before this call has had its replay handed out
   * before a listener of the answer hears of the end, even when the process already ended.
   */
  @Override
  public final Future<ExecResult> result() {
    Promise<ExecResult> ordered = Promise.promise();
    context.runOnContext(v -> result.future().onComplete(ordered));
    return ordered.future();
  }

  /** The output so far (for a dev server's log tail). */
  public final OutputCapture capture() {
    return capture;
  }

  /** On the context: a chunk the process printed. */
  protected final void deliver(boolean stderr, Buffer chunk) {
    if (stopReason != null || ended) return;
    if (!capture.append(stderr, chunk)) {
      stop(new OutputLimitExceeded("the command printed more than the sandbox's output limit of "
          + capture.limit() + " bytes; it was killed with all its children", capture.limit(), "output"));
      return;
    }
    Handler<Buffer> handler = stderr ? stderrHandler : stdoutHandler;
    if (handler != null) handler.handle(chunk);
  }

  /** On the context: kills the process, whose answer will be {@code reason}. */
  protected final void stop(ToolError reason) {
    if (stopReason != null || ended) return;
    stopReason = reason;
    kill();
  }

  /** On the context: the answer will be {@code reason}, unless it already has one. */
  protected final void failWith(ToolError reason) {
    if (stopReason == null) stopReason = reason;
  }

  protected final boolean ended() {
    return ended;
  }

  /** On the context: the process ended with {@code exitCode}; tells {@link #onEnded} and answers. Once only. */
  protected final void end(long pid, int exitCode) {
    if (ended) return;
    ended = true;
    if (deadline >= 0) context.owner().cancelTimer(deadline);
    onEnded(new SandboxEvent.ProcessExit(pid, exitCode));
    if (stopReason != null) {
      result.fail(new ToolException(stopReason));
    } else {
      result.complete(new ExecResult(exitCode, capture.stdout().toString(), capture.stderr().toString(),
          Math.round((System.nanoTime() - startNanos) / 1e4) / 100.0));
    }
  }

  /** The strategy's part of an end: the process-exit event, forgetting the process. */
  protected abstract void onEnded(SandboxEvent.ProcessExit exit);

  /** What writing to a process started without interactive options answers. */
  protected static Future<Void> notInteractive() {
    return Future.failedFuture(new ToolException(new InvalidRequest(
        "stdin is closed: start the command with interactive options to write to it", "field: interactive")));
  }
}
