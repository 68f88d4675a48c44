package dev.toolhost.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** What a container printed, as the daemon's log keeps it. Blocking. */
final class ContainerOutput {
  private static final int TAIL_LINES = 40;
  private static final int TAIL_BYTES = 4096;

  private ContainerOutput() {}

  /** The last lines of its stdout and stderr (at most 4 KiB), or null when the daemon cannot say. */
  static String tail(DockerClient client, String containerId) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ResultCallback.Adapter<Frame> logs = client.logContainerCmd(containerId)
        .withStdOut(true).withStdErr(true).withTail(TAIL_LINES)
        .exec(new ResultCallback.Adapter<>() {
          @Override
          public void onNext(Frame frame) {
            synchronized (out) {
              out.writeBytes(frame.getPayload());
            }
          }
        })) {
      logs.awaitCompletion(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      return null;
    }
    String text;
    synchronized (out) {
      text = out.toString(StandardCharsets.UTF_8);
    }
    return text.length() > TAIL_BYTES ? text.substring(text.length() - TAIL_BYTES) : text;
  }
}
