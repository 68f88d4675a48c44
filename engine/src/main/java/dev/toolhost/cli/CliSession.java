package dev.toolhost.cli;

import dev.toolhost.config.ConfigLoader;
import dev.toolhost.config.EngineConfig;
import dev.toolhost.engine.ToolEngine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
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
  static final Map<String, String> CONFIG_FLAGS = Map.of(
      "tools", "tools",
      "runtime", "runtime",
      "timeout", "timeout",
      "isolation", "isolation",
      "pool-size", "poolSize",
      "queue-capacity", "queue.capacity",
      "output-limit", "outputLimit",
      "log-limit", "logLimit",
      "worker-sandbox", "workerSandbox",
      "enforcement", "permissions.enforcement");
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
