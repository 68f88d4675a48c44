package dev.toolhost.runtime.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolhost.api.Json;
import dev.toolhost.api.ProcessError;
import dev.toolhost.api.RuntimeUnavailable;
import dev.toolhost.api.ToolError;
import dev.toolhost.api.ToolException;
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
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One worker process: started by a {@link LaunchRecipe}, talking over the {@link ChannelServer},
 * serving one call at a time. It is killed with its whole process tree when a call is cancelled
 * or times out, when it breaks protocol, or when its pool retires it.
 */
final class Worker extends AbstractPoolMember<Worker> {
  private static final long READY_TIMEOUT_MS = 30_000;
  private static final int STDERR_TAIL_BYTES = 4096;
  private static final long EXIT_GRACE_MS = 500;
  private static final Map<Integer, String> SIGNALS =
      Map.of(1, "SIGHUP", 2, "SIGINT", 6, "SIGABRT", 9, "SIGKILL", 11, "SIGSEGV", 15, "SIGTERM");

  private final String id;
  private final Vertx vertx;
  private final LaunchRecipe recipe;
  private final WorkerHome home;
  private final FetchBridge fetch;

  private Process process;
  private NetSocket socket;
  private boolean killRequested;

  /** {@code fetch} serves the worker's fetch frames, checked against its tool's network allowlist. */
  Worker(String id, Vertx vertx, LaunchRecipe recipe, WorkerHome home, FetchBridge fetch, Consumer<Worker> onDeath) {
    super(onDeath);
    this.id = id;
    this.vertx = vertx;
    this.recipe = recipe;
    this.home = home;
    this.fetch = fetch;
  }

  String id() {
    return id;
  }

  /** Completes with the worker's tools once it has loaded them, or fails if it could not start. */
  /** The tools this worker loaded; only once it is ready. */
  ToolSet toolSet() {
    return ready.future().result();
  }

  /** Starts the process (on a worker thread). The worker becomes ready when it says hello and ready. */
  Future<ToolSet> spawn(ChannelServer channel, WorkerLaunch launch) {
    channel.expect(this);
    vertx.<Process>executeBlocking(() -> {
      Files.createDirectories(home.scratch(id));
      ProcessBuilder builder = new ProcessBuilder(recipe.command(launch))
          .directory(home.scratch(id).toFile())
          .redirectErrorStream(true)
          .redirectOutput(home.logFile(id).toFile())
          .redirectInput(ProcessBuilder.Redirect.PIPE);
      builder.environment().clear();  // the engine's environment never reaches a tool
      return builder.start();
    }, false).onComplete(ar -> {
      if (ar.failed()) {
        channel.forget(this);
        ToolError error = new RuntimeUnavailable(
            "cannot start a " + recipe.runtime() + " worker: " + ar.cause().getMessage(),
            recipe.runtime(), "check 'toolhost doctor'");
        die(error);
        return;
      }
      boolean killNow;
      synchronized (this) {
        process = ar.result();
        killNow = killRequested;
      }
      process.onExit().thenAccept(p -> exited(channel));
      if (killNow) kill();
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
    Process p;
    synchronized (this) {
      p = process;
    }
    return p != null && ProcessTree.hasLeftovers(p, recipe.groupLeader(), recipe.launchDescendants());
  }

  /** Kills the worker and its process tree on a worker thread; the death is reported once it exits. */
  @Override
  public Future<Void> kill() {
    Process p;
    synchronized (this) {
      killRequested = true;
      p = process;
    }
    if (p == null) return Future.succeededFuture();  // killed as soon as it has started
    return vertx.executeBlocking(() -> {
      ProcessTree.kill(p, recipe.groupLeader());
      return null;
    }, false);
  }

  void protocolBroken(String reason) {
    MemberCall call = finish(null);
    ProcessError error = new ProcessError("the " + recipe.runtime() + " worker broke protocol: " + reason,
        null, null, null);
    ready.tryFail(new ToolException(error));
    if (call != null) call.fail(new ToolException(error));
    kill();
  }

  void channelClosed() {
    // a worker without its channel is useless. One exiting by itself gets a moment to finish, so
    // that its own exit code is reported (a sandbox's process exits just after the runtime's
    // socket closes); its exit is reported by exited()
    Process p;
    synchronized (this) {
      p = process;
    }
    vertx.setTimer(EXIT_GRACE_MS, t -> {
      if (p == null || p.isAlive()) kill();
    });
  }

  private void exited(ChannelServer channel) {
    channel.forget(this);
    int code = process.exitValue();
    String signal = code > 128 ? SIGNALS.getOrDefault(code - 128, "signal " + (code - 128)) : null;
    boolean wasKilled;
    synchronized (this) {
      wasKilled = killRequested;
    }
    String output = stderrTail();
    // a limit the launch set, when it can tell; asked even when the engine killed the worker,
    // since a worker dying on its own closes its channel first, and that kills it too
    String cause = recipe.exitCause(id, output);
    String tail = wasKilled && cause == null ? null : output;
    String message = cause != null ? cause + " (" + (signal != null ? signal : "exit code " + code) + ")"
        : wasKilled ? "the " + recipe.runtime() + " worker was stopped"
        : "the " + recipe.runtime() + " worker exited"
            + (signal != null ? " on " + signal : " with code " + code)
            + (tail == null || tail.isBlank() ? "" : ": " + lastLine(tail));
    die(new ProcessError(message, signal != null ? null : code, signal, tail));
  }

  @Override
  protected void onDied() {
    vertx.executeBlocking(() -> {
      home.forget(id);
      recipe.release(id);
      return null;
    }, false);
  }


  private MemberCall finish(JsonNode frame, boolean recycle) {
    if (recycle) retire();
    return finish(frame.path("id").asText());
  }


  private String stderrTail() {
    try (RandomAccessFile file = new RandomAccessFile(home.logFile(id).toFile(), "r")) {
      long length = file.length();
      long start = Math.max(0, length - STDERR_TAIL_BYTES);
      byte[] bytes = new byte[(int) (length - start)];
      file.seek(start);
      file.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    }
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      if (!lines[i].isBlank()) return lines[i].strip();
    }
    return "";
  }
}
