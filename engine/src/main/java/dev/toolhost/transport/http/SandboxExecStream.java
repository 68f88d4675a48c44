package dev.toolhost.transport.http;

import dev.toolhost.api.Json;
import dev.toolhost.api.ToolException;
import dev.toolhost.sandbox.SandboxProcess;
import io.vertx.core.Context;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/sandboxes/{id}/exec?stream=true}: {@code event: stdout} and {@code event:
 * stderr} with {@code {"data": "..."}} as the command prints, then {@code event: exit} with
 * {@code {exitCode, stdout, stderr, durationMs}} or {@code event: error} with the error JSON. A
 * character split between two chunks goes out whole with the second. A client that goes away
 * kills the command.
 */
final class SandboxExecStream {
  private SandboxExecStream() {}

  /** @param loop the request's event loop: every event is written there, in order */
  static void send(RoutingContext ctx, Context loop, SandboxProcess process) {
    loop.runOnContext(start -> stream(ctx, loop, process));
  }

  private static void stream(RoutingContext ctx, Context loop, SandboxProcess process) {
    ServerSentEvents events = ServerSentEvents.open(ctx.response());
    ctx.response().closeHandler(v -> {
      if (!ctx.response().ended()) process.kill();
    });
    // chunks come on the sandbox's context: each is queued on the request's loop, in order, before the end
    Utf8Chunks stdout = new Utf8Chunks();
    Utf8Chunks stderr = new Utf8Chunks();
    process.stdoutHandler(b -> loop.runOnContext(v -> events.send("stdout", Json.MAPPER.createObjectNode().put("data", stdout.next(b)))));
    process.stderrHandler(b -> loop.runOnContext(v -> events.send("stderr", Json.MAPPER.createObjectNode().put("data", stderr.next(b)))));
    // the end is queued on the loop after the chunks: result() is asked after the handlers were set
    process.result().onComplete(ar -> loop.runOnContext(v -> {
      if (ar.succeeded()) {
        events.end("exit", ar.result().toJson());
      } else if (ar.cause() instanceof ToolException e) {
        events.end("error", e.toJson());
      } else {
        events.end("error", ErrorResponses.body(ErrorResponses.INTERNAL_ERROR, "unexpected failure: " + ar.cause()));
      }
    }));
  }
}
