package dev.toolhost.cli;

import dev.toolhost.engine.ToolsRootWatcher;
import dev.toolhost.sandbox.SandboxManager;
import dev.toolhost.sandbox.docker.DockerSandboxStrategy;
import dev.toolhost.sandbox.local.LocalSandboxStrategy;
import dev.toolhost.transport.eventbus.EventBusTransport;
import dev.toolhost.transport.eventbus.SandboxEventBus;
import dev.toolhost.transport.http.HttpTransport;
import dev.toolhost.transport.http.SandboxRoutes;
import dev.toolhost.transport.mcp.McpHttpHandler;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code serve}: the engine on the event bus and over HTTP until the process is stopped,
 * reloading the tools when their files change. SIGTERM closes the listening socket and the
 * event bus consumers at once, lets calls in flight finish up to the drain timeout, then stops
 * the workers.
 */
final class ServeCommand implements Command {
  /** How long the tools root must be quiet before a reload: one save is several file events. */
  private static final Duration RELOAD_DEBOUNCE = Duration.ofMillis(300);

  private final PrintStream out;

  ServeCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public int run(List<String> argv) throws InterruptedException, IOException {
    CliArgs args = CliArgs.parse(argv, CliSession.COMMON_FLAGS, Set.of());
    CliSession session = CliSession.start(CliSession.config(args));
    EventBusTransport bus = CliSession.await(EventBusTransport.register(session.vertx, session.engine));
    session.stopAccepting(bus::close);
    out.println("toolhost: " + session.engine.catalog().tools().size() + " tools on the event bus at '"
        + EventBusTransport.INVOKE + "' (catalog at '" + EventBusTransport.TOOLS + "')");
    LocalSandboxStrategy local = new LocalSandboxStrategy(session.vertx, session.engine.config().sandbox());
    out.println("toolhost: local sandboxes: " + local.availability().detail());
    DockerSandboxStrategy docker = new DockerSandboxStrategy(session.vertx, session.engine.config().sandbox(),
        session.engine.config().dockerHost());
    out.println("toolhost: docker sandboxes: " + (docker.availability().usable() ? "" : "unavailable: ")
        + docker.availability().detail());
    SandboxManager sandboxes = new SandboxManager(session.vertx, session.engine.config().sandbox(), List.of(local, docker));
    session.stopAccepting(sandboxes::close);
    SandboxEventBus sandboxBus = CliSession.await(SandboxEventBus.register(session.vertx, sandboxes));
    session.stopAccepting(sandboxBus::close);
    HttpTransport http = CliSession.await(HttpTransport.start(session.vertx, session.engine, router -> {
      McpHttpHandler.mount(router, session.engine);
      SandboxRoutes.mount(router, sandboxes, session.engine.config().httpBodyLimitBytes());
    }));
    session.stopAccepting(() -> http.shutdown(session.engine.config().drainTimeout()));
    out.println("toolhost: HTTP at " + http.url() + " (GET /v1/tools, POST /v1/tools/{id}/invoke, GET /health, GET /metrics, MCP at /mcp, sandboxes at /v1/sandboxes)"
        + (session.engine.config().httpToken() == null ? "" : "; bearer token required"));
    ToolsRootWatcher.start(session.vertx, session.engine.config().tools(), RELOAD_DEBOUNCE, () ->
        session.engine.reload().onComplete(ar -> out.println(ar.succeeded()
            ? "toolhost: tools root changed: reloaded " + ar.result().tools().size() + " tools ("
                + ar.result().errors().size() + " load errors); calls in flight finish on the previous workers"
            : "toolhost: tools root changed, but reloading failed (the previous tools stay): " + ar.cause().getMessage())));
    out.println("toolhost: watching " + session.engine.config().tools().toAbsolutePath().normalize()
        + " (a change reloads the tools); stop with Ctrl-C or SIGTERM");
    new CountDownLatch(1).await();  // the shutdown hook stops the engine
    return ExitCodes.OK;
  }
}
