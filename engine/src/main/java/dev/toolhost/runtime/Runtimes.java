package dev.toolhost.runtime;

import dev.toolhost.api.RuntimeUnavailable;
import dev.toolhost.api.ToolException;
import dev.toolhost.config.ConfigException;
import dev.toolhost.config.EngineConfig;
import dev.toolhost.runtime.process.ProcessRuntime;
import dev.toolhost.runtime.process.WorkerHome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The runtimes of one engine, by name, and what they share (the workers' home directory). */
public final class Runtimes {
  private final Map<String, ToolRuntime> byName;
  private final WorkerHome home;
  private final Vertx vertx;

  private Runtimes(Vertx vertx, Map<String, ToolRuntime> byName, WorkerHome home) {
    this.vertx = vertx;
    this.byName = byName;
    this.home = home;
  }

  /** Prepares every runtime; none starts a worker until it is first used. */
  public static Future<Runtimes> start(Vertx vertx, EngineConfig config) {
    Path tools = config.tools();
    if (!Files.exists(tools)) {
      return Future.failedFuture(new ConfigException("tools", "no such file or directory: " + tools.toAbsolutePath()));
    }
    Path base = Path.of(System.getProperty("java.io.tmpdir"));
    return vertx.executeBlocking(() -> WorkerHome.create(base, tools), false).compose(home ->
        ProcessRuntime.node(vertx, config, home).map(node -> {
          Map<String, ToolRuntime> map = new LinkedHashMap<>();
          map.put(node.name(), node);
          for (String name : List.of("graaljs", "bun", "docker")) map.put(name, new Missing(name));
          return new Runtimes(vertx, map, home);
        }));
  }

  public ToolRuntime get(String name) {
    return byName.get(name);
  }

  public List<ToolRuntime> all() {
    return List.copyOf(byName.values());
  }

  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    byName.values().forEach(r -> closing.add(r.close()));
    return Future.join(closing).transform(ar -> vertx.executeBlocking(() -> {
      home.close();
      return null;
    }, false));
  }

  /** A runtime this version of the engine does not have yet; says so instead of pretending. */
  private record Missing(String name) implements ToolRuntime {
    @Override
    public Future<Availability> availability() {
      return Future.succeededFuture(Availability.unusable(name, "not available in this engine version",
          "use --runtime node"));
    }

    @Override
    public Future<ToolSet> describe() {
      return Future.failedFuture(error());
    }

    @Override
    public RunningCall start(RuntimeCall call) {
      return RunningCall.failed(error());
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }

    private ToolException error() {
      return new ToolException(new RuntimeUnavailable("the " + name + " runtime is not available in this engine version",
          name, "use --runtime node"));
    }
  }
}
