package dev.toolhost.sandbox.spi;

import dev.toolhost.api.ProcessError;
import dev.toolhost.api.Timeout;
import dev.toolhost.api.ToolException;
import dev.toolhost.sandbox.DevServer;
import dev.toolhost.sandbox.SandboxProcess;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * Waits for a dev server's port to accept connections, asking its {@link PortProbe} every
 * {@value #POLL_MS} ms. Fails with PROCESS_ERROR when the server exits first, or TIMEOUT (the
 * server killed) when the port stays closed; both carry the tail of its log.
 */
public final class DevServerWatch {
  /** How often the port is tried; a connecting probe may take up to four times as long. */
  public static final long POLL_MS = 50;

  private final Vertx vertx;
  private final SandboxProcess process;
  private final OutputCapture log;
  private final int port;
  private final String url;
  private final PortProbe probe;
  private final int tailChars;
  private final Promise<DevServer> ready = Promise.promise();

  private DevServerWatch(Vertx vertx, SandboxProcess process, OutputCapture log, int port, String url, PortProbe probe,
      int tailChars) {
    this.vertx = vertx;
    this.process = process;
    this.log = log;
    this.port = port;
    this.url = url;
    this.probe = probe;
    this.tailChars = tailChars;
  }

  /**
   * @param log what the server printed (read on the context its process delivers output on)
   * @param url where the host reaches the server once {@code probe} says its port is open
   */
  public static Future<DevServer> await(Vertx vertx, SandboxProcess process, OutputCapture log, int port, String url,
      PortProbe probe, Duration wait, int tailChars) {
    DevServerWatch watch = new DevServerWatch(vertx, process, log, port, url, probe, tailChars);
    long timer = vertx.setTimer(wait.toMillis(), t -> watch.giveUp(wait));
    process.result().onComplete(ar -> watch.ready.tryFail(new ToolException(new ProcessError(
        "the dev server exited before port " + port + " opened" + watch.logTail(),
        ar.succeeded() ? ar.result().exitCode() : null, null, log.tailText(tailChars)))));
    watch.poll();
    return watch.ready.future().onComplete(ar -> {
      vertx.cancelTimer(timer);
      probe.close();
    });
  }

  private void poll() {
    if (ready.future().isComplete()) return;
    probe.open().onComplete(ar -> {
      if (ar.succeeded() && ar.result()) {
        ready.tryComplete(new DevServer(url, port, process));
      } else {
        vertx.setTimer(POLL_MS, t -> poll());
      }
    });
  }

  private void giveUp(Duration wait) {
    if (ready.tryFail(new ToolException(new Timeout("the dev server did not open port " + port + " within "
        + wait.toMillis() + " ms; it was killed" + logTail(), wait.toMillis())))) {
      process.kill();
    }
  }

  private String logTail() {
    String tail = log.tailText(tailChars).strip();
    return tail.isEmpty() ? " (it printed nothing)" : "; its log ends with: " + tail;
  }
}
