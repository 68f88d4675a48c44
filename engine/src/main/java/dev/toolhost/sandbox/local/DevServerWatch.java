package dev.toolhost.sandbox.local;

import dev.toolhost.api.ProcessError;
import dev.toolhost.api.Timeout;
import dev.toolhost.api.ToolException;
import dev.toolhost.sandbox.DevServer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.time.Duration;

/**
 * Waits for a dev server's port to accept connections on 127.0.0.1, trying every
 * {@value #POLL_MS} ms. Fails with PROCESS_ERROR when the server exits first, or TIMEOUT (the
 * server killed) when the port stays closed; both carry the tail of its log.
 */
final class DevServerWatch {
  private static final long POLL_MS = 50;

  private final Vertx vertx;
  private final LocalProcess process;
  private final int port;
  private final int tailChars;
  private final NetClient client;
  private final Promise<DevServer> ready = Promise.promise();

  private DevServerWatch(Vertx vertx, LocalProcess process, int port, int tailChars) {
    this.vertx = vertx;
    this.process = process;
    this.port = port;
    this.tailChars = tailChars;
    this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout((int) POLL_MS * 4));
  }

  static Future<DevServer> await(Vertx vertx, LocalProcess process, int port, Duration wait, int tailChars) {
    DevServerWatch watch = new DevServerWatch(vertx, process, port, tailChars);
    long timer = vertx.setTimer(wait.toMillis(), t -> watch.giveUp(wait));
    process.result().onComplete(ar -> watch.ready.tryFail(new ToolException(new ProcessError(
        "the dev server exited before port " + port + " opened" + watch.logTail(),
        ar.succeeded() ? ar.result().exitCode() : null, null, process.capture().tailText(tailChars)))));
    watch.poll();
    return watch.ready.future().onComplete(ar -> {
      vertx.cancelTimer(timer);
      watch.client.close();
    });
  }

  private void poll() {
    if (ready.future().isComplete()) return;
    client.connect(port, "127.0.0.1").onComplete(ar -> {
      if (ar.succeeded()) {
        ar.result().close();
        ready.tryComplete(new DevServer("http://127.0.0.1:" + port, port, process));
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
    String tail = process.capture().tailText(tailChars).strip();
    return tail.isEmpty() ? " (it printed nothing)" : "; its log ends with: " + tail;
  }
}
