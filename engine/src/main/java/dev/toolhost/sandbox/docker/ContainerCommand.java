package dev.toolhost.sandbox.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.ExecCreateCmd;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A short command run in a sandbox's container to its end, its output collected: what the file
 * calls, command lookups, kills and port probes of {@link DockerSandbox} run. Blocking.
 */
final class ContainerCommand {
  private ContainerCommand() {}

  /** How it ended: stdout up to the limit asked for ({@code truncated} past it), stderr in full. */
  record Result(int exitCode, byte[] stdout, String stderr, boolean truncated) {
    String stdoutText() {
      return new String(stdout, StandardCharsets.UTF_8);
    }
  }

  /**
   * Runs {@code command} with {@code stdin} (null: none) and waits up to {@code timeout}.
   *
   * @throws IOException when it did not end in time (it is left to the caller to kill)
   * @throws RuntimeException as docker-java reports the daemon's refusals (a container gone: NotFoundException)
   */
  static Result run(DockerClient client, String container, List<String> command, byte[] stdin, long stdoutLimit,
      Duration timeout) throws IOException {
    ExecCreateCmd create = client.execCreateCmd(container).withCmd(command.toArray(String[]::new))
        .withAttachStdout(true).withAttachStderr(true).withAttachStdin(stdin != null);
    String execId = create.exec().getId();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    boolean[] truncated = {false};
    var start = client.execStartCmd(execId);
    if (stdin != null) start.withStdIn(new ByteArrayInputStream(stdin));
    try (ResultCallback.Adapter<Frame> callback = start.exec(new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Frame frame) {
        synchronized (out) {
          if (frame.getStreamType() == StreamType.STDERR) {
            err.writeBytes(frame.getPayload());
          } else if (out.size() + (long) frame.getPayload().length <= stdoutLimit) {
            out.writeBytes(frame.getPayload());
          } else {
            truncated[0] = true;
          }
        }
      }
    })) {
      if (!callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IOException("'" + command.get(0) + "' did not end within " + timeout.toMillis() + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    Long exit = client.inspectExecCmd(execId).exec().getExitCodeLong();
    synchronized (out) {
      return new Result(exit == null ? -1 : exit.intValue(), out.toByteArray(), err.toString(StandardCharsets.UTF_8),
          truncated[0]);
    }
  }
}
