package dev.toolhost.cli;

import dev.toolhost.config.ConfigLoader;
import dev.toolhost.config.EngineConfig;
import dev.toolhost.engine.ToolEngine;
import dev.toolhost.sandbox.SandboxManager;
import dev.toolhost.sandbox.docker.DockerSandboxStrategy;
import dev.toolhost.sandbox.local.LocalSandboxStrategy;
import dev.toolhost.transport.mcp.McpSession;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** A Vert.x instance and an engine started from the command line, stopped on close or on exit. */
final class CliSession implements AutoCloseable {
  /** Flags every command takes, and the configuration key each sets. */
  static final Map<String, String> CONFIG_FLAGS = Map.ofEntries(
      Map.entry("tools", "tools"),
      Map.entry("runtime", "runtime"),
      Map.entry("timeout", "timeout"),
      Map.entry("isolation", "isolation"),
      Map.entry("pool-size", "poolSize"),
      Map.entry("queue-capacity", "queue.capacity"),
      Map.entry("output-limit", "outputLimit"),
      Map.entry("log-limit", "logLimit"),
      Map.entry("worker-sandbox", "workerSandbox"),
      Map.entry("enforcement", "permissions.enforcement"),
      Map.entry("mcp-sandbox-tools", "mcp.sandboxTools"));
  static final Set<String> COMMON_FLAGS = Set.of("config", "tools", "runtime", "timeout", "isolation",
      "pool-size", "queue-capacity", "output-limit", "log-limit", "worker-sandbox", "enforcement");

  final Vertx vertx;
  final ToolEngine engine;
  private final Thread hook;
  private final List<Supplier<Future<Void>>> transports = new CopyOnWriteArrayList<>();

  private CliSession(Vertx vertx, ToolEngine engine) {
    this.vertx = vertx;
    this.engine = engine;
    // Ctrl-C or SIGTERM must not leave workers behind
    this.hook = new Thread(this::stop, "toolhost-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  static EngineConfig config(CliArgs args) {
    return config(args, Map.of());
  }

  /** The configuration of the flags, with {@code overrides} (dotted keys) above them. */
  static EngineConfig config(CliArgs args, Map<String, String> overrides) {
    Map<String, String> flags = new LinkedHashMap<>();
    CONFIG_FLAGS.forEach((flag, key) -> {
      String value = args.get(flag);
      if (value != null) flags.put(key, value);
    });
    flags.putAll(overrides);
    String file = args.get("config");
    return ConfigLoader.load(file == null ? null : Path.of(file), System.getenv(), flags);
  }

  static CliSession start(EngineConfig config) {
    Vertx vertx = Vertx.vertx();
    try {
      return new CliSession(vertx, await(ToolEngine.start(vertx, config)));
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * A sandbox manager with the strategies available here, its sandboxes torn down when the session
   * stops; what the local strategy can do is told on {@code out}.
   */
  SandboxManager sandboxes(PrintStream out) {
    LocalSandboxStrategy local = new LocalSandboxStrategy(vertx, engine.config().sandbox());
    out.println("toolhost: local sandboxes: " + local.availability().detail());
    DockerSandboxStrategy docker = new DockerSandboxStrategy(vertx, engine.config().sandbox(), engine.config().dockerHost());
    out.println("toolhost: docker sandboxes: " + (docker.availability().usable() ? "" : "unavailable: ")
        + docker.availability().detail());
    SandboxManager sandboxes = new SandboxManager(vertx, engine.config().sandbox(), List.of(local, docker));
    stopAccepting(sandboxes::close);
    return sandboxes;
  }

  /** How each MCP session is made: with the sandbox tools of {@code sandboxes} unless {@code mcp.sandboxTools} is false. */
  Supplier<McpSession> mcpSessions(Supplier<SandboxManager> sandboxes) {
    if (!engine.config().mcpSandboxTools()) return () -> new McpSession(engine);
    SandboxManager manager = sandboxes.get();
    return () -> new McpSession(engine, manager);
  }

  /** One line on the MCP sandbox tools: off, on, or which of them a catalog tool of the same name hides. */
  String mcpSandboxTools() {
    if (!engine.config().mcpSandboxTools()) return "MCP sandbox tools off (mcp.sandboxTools: false)";
    List<String> hidden = McpSession.SANDBOX_TOOLS.stream().filter(t -> engine.catalog().find(t).isPresent()).toList();
    return "MCP sandbox tools " + String.join(", ", McpSession.SANDBOX_TOOLS) + " (one sandbox per MCP session)"
        + (hidden.isEmpty() ? "" : "; the catalog's own " + String.join(", ", hidden) + " take precedence over MCP");
  }

  /** A transport to stop accepting when the session stops, while the engine drains its calls in flight. */
  void stopAccepting(Supplier<Future<Void>> transport) {
    transports.add(transport);
  }

  private void stop() {
    List<Future<Void>> stopping = new ArrayList<>();
    transports.forEach(t -> stopping.add(t.get()));
    stopping.add(engine.close());
    try {
      Future.join(stopping).eventually(() -> vertx.close()).toCompletionStage().toCompletableFuture()
          .get(engine.config().drainTimeout().toSeconds() + 10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException ignored) {
      // exiting anyway
    }
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException alreadyExiting) {
      return;  // the hook is running and stops the engine
    }
    stop();
  }
}
