package dev.toolhost.runtime.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolhost.api.Json;
import dev.toolhost.api.ProcessError;
import dev.toolhost.api.RuntimeUnavailable;
import dev.toolhost.api.ToolError;
import dev.toolhost.api.ToolException;
import dev.toolhost.config.PermissionPolicy;
import dev.toolhost.runtime.RuntimeCall;
import dev.toolhost.runtime.pool.MemberCall;
import dev.toolhost.runtime.pool.AbstractPoolMember;
import dev.toolhost.runtime.ToolSet;
import dev.toolhost.runtime.graal.FetchBridge;
import dev.toolhost.runtime.protocol.Frames;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * One worker (a process or a container, as its {@link WorkerLauncher} starts it), talking over
 * the {@link ChannelServer}, serving one call at a time. It is killed with everything it started
 * when a call is cancelled or times out, when it breaks protocol, or when its pool retires it.
 */
final class Worker extends AbstractPoolMember<Worker> {
  private static final long READY_TIMEOUT_MS = 30_000;
  private static final long EXIT_GRACE_MS = 500;

  private final String id;
  private final Vertx vertx;
  private final WorkerLauncher launcher;
  private final PermissionPolicy policy;
  private final FetchBridge fetch;

  private Future<LaunchedWorker> launching;
  private LaunchedWorker launched;
  private NetSocket socket;
  private boolean killRequested;

  /** {@code fetch} serves the worker's fetch frames, checked against its tool's network allowlist. */
  Worker(String id, Vertx vertx, WorkerLauncher launcher, PermissionPolicy policy, FetchBridge fetch,
      Consumer<Worker> onDeath) {
    super(onDeath);
    this.id = id;
    this.vertx = vertx;
    this.launcher = launcher;
    this.policy = policy;
    this.fetch = fetch;
  }

  String id() {
    return id;
  }

  /** The tools this worker loaded; only once it is ready. */
  ToolSet toolSet() {
    return ready.future().result();
  }

  /** Launches the worker (on a worker thread). It becomes ready when it says hello and ready. */
  Future<ToolSet> spawn(ChannelServer channel) {
    channel.expect(this);
    Future<LaunchedWorker> launch = vertx.executeBlocking(() -> launcher.launch(id, policy), false);
    synchronized (this) {
      launching = launch;
    }
    launch.onComplete(ar -> {
      if (ar.failed()) {
        channel.forget(this);
        ToolError error = new RuntimeUnavailable(
            "cannot start a " + launcher.runtime() + " worker: " + ar.cause().getMessage(),
            launcher.runtime(), "check 'toolhost doctor'");
        die(error);
        return;
      }
      synchronized (this) {
        launched = ar.result();
      }
      ar.result().exit().thenAccept(exit -> exited(channel, exit));
      vertx.setTimer(READY_TIMEOUT_MS, t -> {
        if (!ready.future().isComplete()) {
          protocolBroken("no ready frame within " + READY_TIMEOUT_MS + " ms");
        }
      });
    });
    return ready.future();
  }

  void attach(NetSocket socket) {
    synchronized (this) {
      this.socket = socket;
    }
  }

  void onFrame(Buffer line) {
    JsonNode frame;
    try {
      frame = Json.MAPPER.readTree(line.getBytes());
    } catch (IOException e) {
      protocolBroken("a frame is not JSON");
      return;
    }
    switch (frame.path("type").asText()) {
      case "ready" -> ready.tryComplete(Frames.toolSet(frame));
      case "log" -> {
        MemberCall call = current(frame.path("id").asText());
        if (call != null) call.log(frame.path("level").asText("info"), frame.path("message").asText(""));
      }
      case "result" -> {
        MemberCall call = finish(frame, false);
        if (call != null) call.succeed(frame.get("output"));
      }
      case "error" -> {
        MemberCall call = finish(frame, frame.path("recycle").asBoolean(false));
        if (call != null) {
          call.fail(new ToolException(Frames.error(frame.path("error"), call.request().tool())));
        }
      }
      case "fetch" -> fetch(frame);
      default -> { }  // frames this engine does not know are ignored, as the protocol says
    }
  }

  /** A fetch of a sandboxed worker (it has no network of its own), answered by a fetched frame. */
  private void fetch(JsonNode frame) {
    ObjectNode reply = Json.MAPPER.createObjectNode().put("type", "fetched");
    reply.set("id", frame.path("id"));
    fetch.fetch(frame.path("request")).onComplete(ar -> {
      if (ar.succeeded()) {
        reply.set("response", ar.result());
      } else if (ar.cause() instanceof FetchBridge.FetchDenied denied) {
        reply.putObject("error").put("denied", true).put("message", denied.getMessage()).put("target", denied.target);
      } else {
        reply.putObject("error").put("denied", false).put("message", String.valueOf(ar.cause().getMessage()));
      }
      NetSocket s;
      synchronized (this) {
        s = socket;
      }
      if (s != null) s.write(Buffer.buffer(reply.toString() + "\n"));
    });
  }

  @Override
  public MemberCall start(RuntimeCall call) {
    MemberCall c = begin(call);
    NetSocket s;
    synchronized (this) {
      s = socket;
    }
    s.write(Frames.invoke(c.id(), call));
    return c;
  }

  /** Whether the worker's last call left processes running. Blocking. */
  boolean hasLeftovers() {
    LaunchedWorker w;
    synchronized (this) {
      w = launched;
    }
    return w != null && w.hasLeftovers();
  }

  /**
   * Kills the worker and what it started on a worker thread; the death is reported once it
   * exits. A worker still launching is killed as soon as it is up, and the future waits for
   * that, so a shutdown leaves nothing behind.
   */
  @Override
  public Future<Void> kill() {
    Future<LaunchedWorker> launch;
    synchronized (this) {
      killRequested = true;
      launch = launching;
    }
    if (launch == null) return Future.succeededFuture();  // never spawned
    return launch.transform(ar -> ar.succeeded() ? killLaunched(ar.result()) : Future.succeededFuture());
  }

  private Future<Void> killLaunched(LaunchedWorker w) {
    return vertx.executeBlocking(() -> {
      w.kill();
      return null;
    }, false);
  }

  void protocolBroken(String reason) {
    MemberCall call = finish(null);
    ProcessError error = new ProcessError("the " + launcher.runtime() + " worker broke protocol: " + reason,
        null, null, null);
    ready.tryFail(new ToolException(error));
    if (call != null) call.fail(new ToolException(error));
    kill();
  }

  void channelClosed() {
    // A worker without its channel is useless. Usually it is exiting by itself (a crash, the OOM
    // killer): it gets a moment to, so exited() reports its own exit and last words rather than
    // our kill (a container reports its exit later than its channel closes). Then it goes, with
    // whatever the tool left running, unless the engine already killed it.
    vertx.setTimer(EXIT_GRACE_MS, t -> {
      Future<LaunchedWorker> launch;
      synchronized (this) {
        if (killRequested) return;
        launch = launching;
      }
      if (launch != null) launch.onSuccess(this::killLaunched);
    });
  }

  private void exited(ChannelServer channel, WorkerExit exit) {
    channel.forget(this);
    boolean wasKilled;
    synchronized (this) {
      wasKilled = killRequested;
    }
    // a limit the launch set is reported even when the engine killed the worker: one dying on its
    // own closes its channel first, and that kills it too
    String tail = wasKilled && exit.cause() == null ? null : exit.outputTail();
    String detail = exit.cause() != null ? exit.cause() : tail == null || tail.isBlank() ? null : lastLine(tail);
    String message = wasKilled && exit.cause() == null ? "the " + launcher.runtime() + " worker was stopped"
        : "the " + launcher.runtime() + " worker exited" + exit.how() + (detail == null ? "" : ": " + detail);
    die(new ProcessError(message, exit.exitCode(), exit.signal(), tail));
  }

  @Override
  protected void onDied() {
    LaunchedWorker w;
    synchronized (this) {
      w = launched;
    }
    if (w == null) return;  // a launcher cleans up after a launch that failed
    vertx.executeBlocking(() -> {
      w.forget();
      return null;
    }, false);
  }


  private MemberCall finish(JsonNode frame, boolean recycle) {
    if (recycle) retire();
    return finish(frame.path("id").asText());
  }


  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      if (!lines[i].isBlank()) return lines[i].strip();
    }
    return "";
  }
}
