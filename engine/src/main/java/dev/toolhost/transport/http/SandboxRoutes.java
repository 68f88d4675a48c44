package dev.toolhost.transport.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolhost.api.Json;
import dev.toolhost.api.ToolException;
import dev.toolhost.sandbox.DevServerRequest;
import dev.toolhost.sandbox.ExecOptions;
import dev.toolhost.sandbox.ExecResult;
import dev.toolhost.sandbox.ExecutionResult;
import dev.toolhost.sandbox.FileEntry;
import dev.toolhost.sandbox.Language;
import dev.toolhost.sandbox.Sandbox;
import dev.toolhost.sandbox.SandboxManager;
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
 * A sandbox id that is not live is 404.
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
      SandboxRequests body = SandboxRequests.of(ctx);
      spec = new SandboxSpec(body.text("type"), body.text("image"), body.ports("ports"), body.env("env"), null,
          body.millis("idleTimeoutMs"));
    } catch (ToolException e) {
      ErrorResponses.send(ctx, e);
      return;
    }
    manager.create(spec).onComplete(ar -> {
      if (ar.failed()) {
        ErrorResponses.send(ctx, ar.cause());
      } else {
        ctx.response().putHeader(HttpHeaders.LOCATION, "/v1/sandboxes/" + ar.result().id());
        JsonResponses.send(ctx, 201, describe(ar.result()));
      }
    });
  }

  private void list(RoutingContext ctx) {
    ArrayNode all = Json.MAPPER.createArrayNode();
    manager.list().forEach(s -> all.add(describe(s)));
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.set("sandboxes", all);
    JsonResponses.send(ctx, 200, body);
  }

  private void delete(RoutingContext ctx) {
    manager.teardown(ctx.pathParam("id")).onComplete(ar -> {
      if (ar.failed()) ErrorResponses.send(ctx, ar.cause());
      else if (!ar.result()) notFound(ctx);
      else ctx.response().setStatusCode(204).end();
    });
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
          else JsonResponses.send(ctx, 200, entries(ar.result()));
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
      SandboxRequests body = SandboxRequests.of(ctx);
      String command = body.requiredText("command");
      List<String> args = body.strings("args");
      ExecOptions options = new ExecOptions(body.text("cwd"), body.env("env"), body.millis("timeoutMs"), false);
      boolean stream = "true".equals(ctx.request().getParam("stream"));
      Context loop = Vertx.currentContext();
      sandbox.exec(command, args, options).onComplete(ar -> {
        if (ar.failed()) ErrorResponses.send(ctx, ar.cause());
        else if (stream) SandboxExecStream.send(ctx, loop, ar.result());
        else ar.result().result().onComplete(done -> {
          if (done.failed()) ErrorResponses.send(ctx, done.cause());
          else JsonResponses.send(ctx, 200, json(done.result()));
        });
      });
    });
  }

  private void execute(RoutingContext ctx) {
    withSandbox(ctx, sandbox -> {
      SandboxRequests body = SandboxRequests.of(ctx);
      String code = body.requiredText("code");
      String name = body.requiredText("language");
      Language language = Language.parse(name).orElseThrow(() -> SandboxRequests.invalid("unknown language '" + name
          + "'; use python, javascript, typescript, bash, sh or ruby", "language"));
      ExecOptions options = new ExecOptions(body.text("cwd"), body.env("env"), body.millis("timeoutMs"), false);
      sandbox.execute(code, language, options).onComplete(ar -> {
        if (ar.failed()) ErrorResponses.send(ctx, ar.cause());
        else JsonResponses.send(ctx, 200, json(ar.result()));
      });
    });
  }

  private void devServer(RoutingContext ctx) {
    withSandbox(ctx, sandbox -> {
      SandboxRequests body = SandboxRequests.of(ctx);
      DevServerRequest request = new DevServerRequest(body.requiredText("command"), body.strings("args"),
          body.port("port"), body.millis("readyTimeoutMs"));
      sandbox.startDevServer(request).onComplete(ar -> {
        if (ar.failed()) ErrorResponses.send(ctx, ar.cause());
        else JsonResponses.send(ctx, 200, Json.MAPPER.createObjectNode().put("url", ar.result().url())
            .put("port", ar.result().port()).put("pid", ar.result().process().pid()));
      });
    });
  }

  private void events(RoutingContext ctx) {
    withSandbox(ctx, sandbox -> {
      ServerSentEvents events = ServerSentEvents.open(ctx.response());
      Context loop = Vertx.currentContext();
      Sandbox.Registration registration = sandbox.onEvent(event ->
          loop.runOnContext(v -> events.send(event.name(), event.toJson())));
      ctx.response().closeHandler(v -> registration.cancel());
    });
  }

  /** Runs {@code action} with the live sandbox of the path, or answers 404; a ToolException it throws is its answer. */
  private void withSandbox(RoutingContext ctx, Consumer<Sandbox> action) {
    Sandbox sandbox = manager.get(ctx.pathParam("id")).orElse(null);
    if (sandbox == null) {
      notFound(ctx);
      return;
    }
    try {
      action.accept(sandbox);
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
      throw SandboxRequests.invalid("the file path is not validly percent-encoded", "path");
    }
  }

  private static void notFound(RoutingContext ctx) {
    ErrorResponses.http(ctx, 404, ErrorResponses.NOT_FOUND, "no live sandbox '" + ctx.pathParam("id")
        + "' (never made, torn down, or idle past its timeout)");
  }

  private static ObjectNode describe(Sandbox sandbox) {
    return Json.MAPPER.createObjectNode().put("id", sandbox.id()).put("type", sandbox.type())
        .put("status", sandbox.isReady() ? "ready" : "stopped");
  }

  private static ObjectNode entries(List<FileEntry> entries) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    ArrayNode list = body.putArray("entries");
    entries.forEach(e -> list.addObject().put("path", e.path()).put("directory", e.directory()).put("size", e.size()));
    return body;
  }

  static ObjectNode json(ExecResult r) {
    return Json.MAPPER.createObjectNode().put("exitCode", r.exitCode()).put("stdout", r.stdout())
        .put("stderr", r.stderr()).put("durationMs", r.durationMs());
  }

  private static ObjectNode json(ExecutionResult r) {
    return Json.MAPPER.createObjectNode().put("success", r.success()).put("stdout", r.stdout()).put("stderr", r.stderr())
        .put("exitCode", r.exitCode()).put("executionTimeMs", r.executionTimeMs()).put("error", r.error());
  }
}
