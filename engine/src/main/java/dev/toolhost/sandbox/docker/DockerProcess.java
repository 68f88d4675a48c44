package dev.toolhost.sandbox.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.toolhost.api.InvalidRequest;
import dev.toolhost.api.OutputLimitExceeded;
import dev.toolhost.api.Timeout;
import dev.toolhost.api.ToolError;
import dev.toolhost.api.ToolException;
import dev.toolhost.sandbox.ExecResult;
import dev.toolhost.sandbox.SandboxEvent;
import dev.toolhost.sandbox.SandboxProcess;
import dev.toolhost.sandbox.spi.OutputCapture;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A {@code docker exec} in a sandbox's container. Its environment carries a token of its own
 * ({@code TOOLHOST_EXEC}), which every child inherits: a kill ends all processes holding it
 * ({@link ContainerScripts#kill}), wherever they moved in the process tree. Output frames come on
 * docker-java's thread and are handed to the sandbox's context, where all state lives; the end
 * of the attached stream, then the exec's exit code from the daemon, end it.
 */
final class DockerProcess implements SandboxProcess {
  private static final long EXIT_WAIT_MS = 2000;
  /** 128 + SIGKILL, as the daemon reports a killed exec. */
  private static final int KILLED = 137;

  private final DockerSandbox sandbox;
  private final Context context;
  private final OutputCapture capture;
  private final String token = UUID.randomUUID().toString();
  private final StdinPipe stdin;
  private final boolean interactive;
  private final long startNanos = System.nanoTime();
  private final Promise<ExecResult> result = Promise.promise();
  private volatile String execId;
  private volatile long pid;

  // on the context only
  private Handler<Buffer> stdoutHandler;
  private Handler<Buffer> stderrHandler;
  private ToolError stopReason;
  private boolean ended;
  private long deadline = -1;

  /** @param stdin what the exec reads (null: nothing); written framed by {@link #write} ({@link ContainerScripts#interactive}) */
  DockerProcess(DockerSandbox sandbox, Context context, OutputCapture capture, StdinPipe stdin, boolean interactive) {
    this.sandbox = sandbox;
    this.context = context;
    this.capture = capture;
    this.stdin = stdin;
    this.interactive = interactive;
  }

  /** Blocking: creates and starts the exec; {@code timeout} null: no deadline. */
  DockerProcess start(List<String> command, String workingDir, Map<String, String> env, Duration timeout) {
    var client = sandbox.client();
    List<String> envList = new java.util.ArrayList<>();
    env.forEach((k, v) -> envList.add(k + "=" + v));
    envList.add("TOOLHOST_EXEC=" + token);
    execId = client.execCreateCmd(sandbox.containerId()).withCmd(command.toArray(String[]::new))
        .withEnv(envList).withWorkingDir(workingDir)
        .withAttachStdout(true).withAttachStderr(true).withAttachStdin(stdin != null)
        .exec().getId();
    var start = client.execStartCmd(execId);
    if (stdin != null) start.withStdIn(stdin);
    start.exec(new ResultCallback.Adapter<Frame>() {
      @Override
      public void onNext(Frame frame) {
        Buffer chunk = Buffer.buffer(frame.getPayload());
        boolean stderr = frame.getStreamType() == StreamType.STDERR;
        context.runOnContext(v -> deliver(stderr, chunk));
      }

      @Override
      public void onError(Throwable throwable) {
        super.onError(throwable);
        streamEnded();
      }

      @Override
      public void onComplete() {
        super.onComplete();
        streamEnded();
      }
    });
    // not waited for: the handle is returned a daemon round trip sooner; the exit's inspection sets it too
    context.executeBlocking(() -> notePid(client.inspectExecCmd(execId).exec()), false);
    if (timeout != null) {
      context.runOnContext(v -> {
        if (!ended) {
          deadline = context.owner().setTimer(timeout.toMillis(), t -> stop(new Timeout("the command did not finish within "
              + timeout.toMillis() + " ms; it was killed with all its children", timeout.toMillis())));
        }
      });
    }
    return this;
  }

  /** The exec's process as the host numbers it (the daemon's view); 0 until the daemon told, at the latest when it ended. */
  @Override
  public long pid() {
    return pid;
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
    if (data.length() > 0) {
      stdin.write((data.length() + "\n").getBytes(StandardCharsets.US_ASCII));
      stdin.write(data.getBytes());
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> endInput() {
    if (interactive) stdin.write("0\n".getBytes(StandardCharsets.US_ASCII));
    return Future.succeededFuture();
  }

  @Override
  public Future<ExecResult> result() {
    Promise<ExecResult> ordered = Promise.promise();
    context.runOnContext(v -> result.future().onComplete(ordered));
    return ordered.future();
  }

  @Override
  public Future<Void> kill() {
    if (stdin != null) stdin.end();
    return sandbox.killAll(token);
  }

  /** The output so far (for a dev server's log tail). */
  OutputCapture capture() {
    return capture;
  }

  private void deliver(boolean stderr, Buffer chunk) {
    if (stopReason != null || ended) return;
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

  /** On docker-java's thread: the attached stream closed, so the process ended (or the container went). */
  private void streamEnded() {
    if (stdin != null) stdin.end();
    context.executeBlocking(this::finalExitCode, false).onComplete(ar -> {
      if (ar.succeeded()) {
        end(ar.result());
      } else if (sandbox.isTornDown()) {
        end(KILLED);  // its container removed by the teardown, as a local sandbox's processes are killed
      } else {
        // a container gone from under the exec has no exit code left to tell
        if (stopReason == null) stopReason = sandbox.lost(ar.cause());
        end(-1);
      }
    });
  }

  /** Blocking: the daemon may mark the exec finished a moment after its stream closed. */
  private int finalExitCode() throws InterruptedException {
    long until = System.nanoTime() + EXIT_WAIT_MS * 1_000_000;
    while (true) {
      InspectExecResponse exec = sandbox.client().inspectExecCmd(execId).exec();
      notePid(exec);
      if (!Boolean.TRUE.equals(exec.isRunning()) && exec.getExitCodeLong() != null) return exec.getExitCodeLong().intValue();
      if (System.nanoTime() > until) return -1;
      Thread.sleep(5);
    }
  }

  private Void notePid(InspectExecResponse exec) {
    Long started = exec.getPidLong();
    if (started != null && started > 0) pid = started;
    return null;
  }

  private void end(int exitCode) {
    if (ended) return;
    ended = true;
    if (deadline >= 0) context.owner().cancelTimer(deadline);
    sandbox.ended(this, new SandboxEvent.ProcessExit(pid, exitCode));
    if (stopReason != null) {
      result.fail(new ToolException(stopReason));
    } else {
      result.complete(new ExecResult(exitCode, capture.stdout().toString(), capture.stderr().toString(),
          Math.round((System.nanoTime() - startNanos) / 1e4) / 100.0));
    }
  }

  private static Future<Void> notInteractive() {
    return Future.failedFuture(new ToolException(new InvalidRequest(
        "stdin is closed: start the command with interactive options to write to it", "field: interactive")));
  }
}
