package dev.toolhost.sandbox.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.toolhost.sandbox.SandboxEvent;
import dev.toolhost.sandbox.spi.CapturedProcess;
import dev.toolhost.sandbox.spi.OutputCapture;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A {@code docker exec} in a sandbox's container. Its environment carries a token of its own
 * ({@code TOOLHOST_EXEC}), which every child inherits: a kill ends all processes holding it
 * ({@link ContainerScripts#kill}), wherever they moved in the process tree. Output frames come on
 * docker-java's thread and are handed to the sandbox's context, where all state lives; the end
 * of the attached stream, then the exec's exit code from the daemon, end it.
 */
final class DockerProcess extends CapturedProcess {
  private static final long EXIT_WAIT_MS = 2000;
  private static final long KILL_RETRY_MS = 100;
  private static final int KILL_RETRIES = 50;
  /** 128 + SIGKILL, as the daemon reports a killed exec. */
  private static final int KILLED = 137;

  private final DockerSandbox sandbox;
  private final String token = UUID.randomUUID().toString();
  private final StdinPipe stdin;
  private final boolean interactive;
  private volatile String execId;
  private volatile long pid;

  /** @param stdin what the exec reads (null: nothing); written framed by {@link #write} ({@link ContainerScripts#interactive}) */
  DockerProcess(DockerSandbox sandbox, Context context, OutputCapture capture, StdinPipe stdin, boolean interactive) {
    super(context, capture);
    this.sandbox = sandbox;
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
    startDeadline(timeout);
    return this;
  }

  /** The exec's process as the host numbers it (the daemon's view); 0 until the daemon told, at the latest when it ended. */
  @Override
  public long pid() {
    return pid;
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
  public Future<Void> kill() {
    if (stdin != null) stdin.end();
    return sandbox.killAll(token).onSuccess(v -> killAgainWhileRunning(KILL_RETRIES));
  }

  /**
   * The daemon starts an exec a moment after it was asked to: a kill that came sooner found no
   * process holding the token. Until the exec ends, it is killed again.
   */
  private void killAgainWhileRunning(int left) {
    context.runOnContext(v -> {
      if (left == 0 || ended()) return;
      context.owner().setTimer(KILL_RETRY_MS, t -> {
        if (!ended()) sandbox.killAll(token).onSuccess(done -> killAgainWhileRunning(left - 1));
      });
    });
  }

  /** On docker-java's thread: the attached stream closed, so the process ended (or the container went). */
  private void streamEnded() {
    if (stdin != null) stdin.end();
    context.executeBlocking(this::finalExitCode, false).onComplete(ar -> {
      if (ar.succeeded()) {
        end(pid, ar.result());
      } else if (sandbox.isTornDown()) {
        end(pid, KILLED);  // its container removed by the teardown, as a local sandbox's processes are killed
      } else {
        // a container gone from under the exec has no exit code left to tell
        failWith(sandbox.lost(ar.cause()));
        end(pid, -1);
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

  @Override
  protected void onEnded(SandboxEvent.ProcessExit exit) {
    sandbox.ended(this, exit);
  }
}
