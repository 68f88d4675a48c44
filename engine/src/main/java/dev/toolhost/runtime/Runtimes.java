package dev.toolhost.runtime;

import dev.toolhost.api.RuntimeUnavailable;
import dev.toolhost.api.ToolException;
import dev.toolhost.config.ConfigException;
import dev.toolhost.config.EngineConfig;
import dev.toolhost.runtime.bundle.Bundler;
import dev.toolhost.runtime.docker.ContainerLauncher;
import dev.toolhost.runtime.graal.GraalRuntime;
import dev.toolhost.runtime.process.ProcessRuntime;
import dev.toolhost.runtime.process.WorkerHome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtimes of one engine, by name, and what they share: the workers' home directory and the
 * bundles of the tools root in it.
 */
public final class Runtimes {
  private final Map<String, ToolRuntime> byName;
  private final WorkerHome home;
  private final Availability bundling;
  private final Vertx vertx;

  private Runtimes(Vertx vertx, Map<String, ToolRuntime> byName, WorkerHome home, Availability bundling) {
    this.vertx = vertx;
    this.byName = byName;
    this.home = home;
    this.bundling = bundling;
  }

  /** Bundles the tools root and prepares every runtime; none starts a worker until it is first used. */
  public static Future<Runtimes> start(Vertx vertx, EngineConfig config) {
    Path tools = config.tools();
    if (!Files.exists(tools)) {
      return Future.failedFuture(new ConfigException("tools", "no such file or directory: " + tools.toAbsolutePath()));
    }
    Path base = Path.of(System.getProperty("java.io.tmpdir"));
    return vertx.executeBlocking(() -> prepare(config, base, tools), false).compose(prepared -> {
      WorkerHome home = prepared.home();
      List<Future<ToolRuntime>> created = List.of(
          orUnavailable("graaljs", GraalRuntime.create(vertx, config, home)),
          orUnavailable("node", ProcessRuntime.node(vertx, config, home)),
          orUnavailable("bun", ProcessRuntime.bun(vertx, config, home)),
          orUnavailable("docker", ProcessRuntime.create(vertx, new ContainerLauncher(config, home), config, home)));
      return Future.all(created).map(all -> {
        Map<String, ToolRuntime> map = new LinkedHashMap<>();
        created.forEach(f -> map.put(f.result().name(), f.result()));
        return new Runtimes(vertx, map, home, prepared.bundling());
      });
    });
  }

  private record Prepared(WorkerHome home, Availability bundling) {}

  /** The home directory, with the tools' bundles and manifest in it. Blocking. */
  private static Prepared prepare(EngineConfig config, Path base, Path tools) throws IOException {
    WorkerHome home = WorkerHome.create(base, tools);
    try {
      return new Prepared(home, bundleInto(config, home));
    } catch (IOException | RuntimeException e) {
      home.close();
      throw e;
    }
  }

  /**
   * Bundles the home's tools root and writes the manifest every runtime loads from; says whether
   * tools are bundled (esbuild's path and version) or what is missing. Blocking.
   */
  public static Availability bundleInto(EngineConfig config, WorkerHome home) throws IOException {
    Bundler bundler = Bundler.prepare(config.esbuildPath(), config.bundleCacheDir(), home.fallbackCache());
    bundler.bundle(home.toolsRoot(), home.entry(), home.sdk(), home.bundles()).write(home.manifest());
    return bundler.availability();
  }

  /** A runtime that cannot even be set up here is reported as unavailable, not fatal to the engine. */
  private static Future<ToolRuntime> orUnavailable(String name, Future<ToolRuntime> creating) {
    return creating.recover(e -> Future.succeededFuture(
        new Unavailable(name, "failed to start: " + e.getMessage(), "see 'toolhost doctor'")));
  }

  public ToolRuntime get(String name) {
    return byName.get(name);
  }

  /** Whether tools are bundled (esbuild's path and version) or what is missing. */
  public Availability bundling() {
    return bundling;
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

  /** A runtime that cannot run here (not in this version, or failed to set up); says so instead of pretending. */
  private record Unavailable(String name, String reason, String hint) implements ToolRuntime {
    @Override
    public Future<Availability> availability() {
      return Future.succeededFuture(Availability.unusable(name, reason, hint));
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
      return new ToolException(new RuntimeUnavailable("the " + name + " runtime is " + reason, name, hint));
    }
  }
}
