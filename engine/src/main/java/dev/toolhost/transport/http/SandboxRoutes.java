package dev.toolhost.transport.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolhost.api.Json;
import dev.toolhost.api.ToolException;
import dev.toolhost.sandbox.ExecOptions;
import dev.toolhost.sandbox.FileEntry;
import dev.toolhost.sandbox.Sandbox;
import dev.toolhost.sandbox.SandboxManager;
import dev.toolhost.sandbox.SandboxRequest;
import dev.toolhost.sandbox.SandboxSpec;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * Sandboxes over HTTP (DESIGN.md "Sandboxes over HTTP"), behind the same token check and error
 * answers as the tool routes. Files are raw bytes up to {@code sandbox.fileLimit} (a larger PUT is
 * 413); a GET of a path ending in {@code /} (or of {@code files/}) lists that directory as JSON.
 * A sandbox id that is not live, and a file or directory that does not exist, are 404 NOT_FOUND.
 * The events stream ends (with {@code event: teardown}) when the sandbox is torn down; an exec
 * stream ends when its process does.
 */
public final class SandboxRoutes {
  private static final String ONE = "/v1/sandboxes/:id";
  private static final String FILES = ONE + "/files/*";

  private final SandboxManager manager;

  private SandboxRoutes(SandboxManager manager) {
    this.manager = manager;
  }

  /** Adds the routes; pass it to {@link HttpTransport#start} as (part of) {@code moreRoutes}. */
  public static void mount(Router router, SandboxManager manager, long bodyLimit) {
    SandboxRoutes routes = new SandboxRoutes(manager);
    RequestBody json = new RequestBody(bodyLimit);
    router.post("/v1/sandboxes").handler(json).handler(routes::create);
    router.get("/v1/sandboxes").handler(routes::list);
    router.delete(ONE).handler(routes::delete);
    router.put(FILES).handler(new RequestBody(manager.settings().fileLimitBytes())).handler(routes::writeFile);
    router.get(FILES).handler(routes::readFile);
    router.delete(FILES).handler(routes::deleteFile);
    router.post(ONE + "/exec").handler(json).handler(routes::exec);
    router.post(ONE + "/execute").handler(json).handler(routes::execute);
    router.post(ONE + "/dev-server").handler(json).handler(routes::devServer);
    router.get(ONE + "/events").handler(routes::events);
  }

  private void create(RoutingContext ctx) {
    SandboxSpec spec;
    try {
      spec = body(ctx).spec();
    } catch (ToolException e) {
      ErrorResponses.send(ctx, e);
      return;
    }
    manager.create(spec).onComplete(ar -> {
      if (ar.failed()) {
        ErrorResponses.send(ctx, ar.cause());
      } else {
        ctx.response().putHeader(HttpHeaders.LOCATION, "/v1/sandboxes/" + ar.result().id());
        JsonResponses.send(ctx, 201, ar.result().toJson());
      }
    });
  }

  private void list(RoutingContext ctx) {
    ArrayNode all = Json.MAPPER.createArrayNode();
    manager.list().forEach(s -> all.add(s.toJson()));
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.set("sandboxes", all);
    JsonResponses.send(ctx, 200, body);
  }

  private void delete(RoutingContext ctx) {
    // a delete racing another one of the same sandbox is 204 too: either way it is gone
    withSandbox(ctx, sandbox -> manager.teardown(sandbox.id()).onComplete(ar -> {
      if (ar.failed()) ErrorResponses.send(ctx, ar.cause());
      else ctx.response().setStatusCode(204).end();
    }));
  }

  private void writeFile(RoutingContext ctx) {
    withSandbox(ctx, sandbox -> sandbox.writeFile(filePath(ctx), RequestBody.of(ctx)).onComplete(ar -> {
      if (ar.failed()) ErrorResponses.send(ctx, ar.cause());
      else ctx.response().setStatusCode(204).end();
    }));
  }

  private void readFile(RoutingContext ctx) {
    withSandbox(ctx, sandbox -> {
      String path = filePath(ctx);
      if (path == null || path.isEmpty() || path.endsWith("/")) {
        sandbox.list(path).onComplete(ar -> {
          if (ar.failed()) ErrorResponses.send(ctx, ar.cause());
          else JsonResponses.send(ctx, 200, FileEntry.toJson(ar.result()));
        });
      } else {
        sandbox.readFile(path).onComplete(ar -> {
          if (ar.failed()) ErrorResponses.send(ctx, ar.cause());
          else ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/octet-stream").end(ar.result());
        });
      }
    });
  }

  private void deleteFile(RoutingContext ctx) {
    withSandbox(ctx, sandbox -> sandbox.deleteFile(filePath(ctx)).onComplete(ar -> {
      if (ar.failed()) ErrorResponses.send(ctx, ar.cause());
      else ctx.response().setStatusCode(204).end();
    }));
  }

  private void exec(RoutingContext ctx) {
    withSandbox(ctx, sandbox -> {
      SandboxRequest body = body(ctx);
      String command = body.requiredText("command");
      List<String> args = body.strings("args");
      ExecOptions options = body.execOptions();
      boolean stream = "true".equals(ctx.request().getParam("stream"));
      Context loop = Vertx.currentContext();
      sandbox.exec(command, args, options).onComplete(ar -> {
        if (ar.failed()) ErrorResponses.send(ctx, ar.cause());
        else if (stream) SandboxExecStream.send(ctx, loop, ar.result());
        else ar.result().result().onComplete(done -> {
          if (done.failed()) ErrorResponses.send(ctx, done.cause());
          else JsonResponses.send(ctx, 200, done.result().toJson());
        });
      });
    });
  }

  private void execute(RoutingContext ctx) {
    withSandbox(ctx, sandbox -> {
      SandboxRequest body = body(ctx);
      sandbox.execute(body.requiredText("code"), body.language(), body.execOptions()).onComplete(ar -> {
        if (ar.failed()) ErrorResponses.send(ctx, ar.cause());
        else JsonResponses.send(ctx, 200, ar.result().toJson());
      });
    });
  }

  private void devServer(RoutingContext ctx) {
    withSandbox(ctx, sandbox -> {
      sandbox.startDevServer(body(ctx).devServer()).onComplete(ar -> {
        if (ar.failed()) ErrorResponses.send(ctx, ar.cause());
        else JsonResponses.send(ctx, 200, ar.result().toJson());
      });
    });
  }

  /** The sandbox's events as they come; the stream ends with {@code event: teardown} once the sandbox is torn down. */
  private void events(RoutingContext ctx) {
    withSandbox(ctx, sandbox -> {
      ServerSentEvents events = ServerSentEvents.open(ctx.response());
      Context loop = Vertx.currentContext();
      Sandbox.Registration registration = sandbox.onEvent(event ->
          loop.runOnContext(v -> events.send(event.name(), event.toJson())));
      ctx.response().closeHandler(v -> registration.cancel());
      // the end is queued on the loop behind the events already there
      manager.tornDown(sandbox.id()).onComplete(ar -> loop.runOnContext(v -> {
        registration.cancel();
        events.end("teardown", Json.MAPPER.createObjectNode().put("id", sandbox.id()));
      }));
    });
  }

  /** Runs {@code action} with the live sandbox of the path, or answers 404; a ToolException it throws is its answer. */
  private void withSandbox(RoutingContext ctx, Consumer<Sandbox> action) {
    try {
      action.accept(manager.require(ctx.pathParam("id")));
    } catch (ToolException e) {
      ErrorResponses.send(ctx, e);
    }
  }

  /**
   * The file path after {@code files/}, percent-decoded: Vert.x Web leaves reserved escapes such
   * as {@code %2F} and {@code %20} in the path, and a name is the decoded one. ({@code +} is a
   * plus in a path, not a space.)
   */
  private static String filePath(RoutingContext ctx) {
    String raw = ctx.pathParam("*");
    if (raw == null) return "";
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw SandboxRequest.invalid("the file path is not validly percent-encoded", "path");
    }
  }

  /** The request's body as a sandbox request; an empty body is {@code {}}. */
  private static SandboxRequest body(RoutingContext ctx) {
    return SandboxRequest.of(RequestBody.of(ctx).getBytes());
  }
}
