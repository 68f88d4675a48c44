package dev.toolhost.runtime.process;

import dev.toolhost.api.RuntimeUnavailable;
import dev.toolhost.api.ToolError;
import dev.toolhost.api.ToolException;
import dev.toolhost.config.EngineConfig;
import dev.toolhost.config.Isolation;
import dev.toolhost.config.PermissionPolicy;
import dev.toolhost.runtime.Availability;
import dev.toolhost.runtime.RunningCall;
import dev.toolhost.runtime.RuntimeCall;
import dev.toolhost.runtime.ToolRuntime;
import dev.toolhost.runtime.ToolSet;
import dev.toolhost.runtime.graal.FetchBridge;
import dev.toolhost.runtime.pool.WarmPool;
import dev.toolhost.runtime.pool.WarmPools;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.util.Optional;
import java.util.UUID;

/**
 * A runtime of warm workers speaking the worker protocol; the launcher says how to start one
 * (a local process from a recipe: node, bun, confined as this machine allows; or a container:
 * docker) and which policies it refuses. One pool per launcher (a tool may have its own
 * container image), isolation and permission policy, since all are fixed when a worker starts.
 */
public final class ProcessRuntime implements ToolRuntime {
  private record PoolKey(WorkerLauncher launcher, Isolation isolation, PermissionPolicy policy) {}

  private final Vertx vertx;
  private final WorkerLauncher launcher;
  private final ChannelServer channel;
  private final ProbedAvailability availability;
  private final int poolSize;
  private final Isolation defaultIsolation;
  private final PermissionPolicy defaultPolicy;
  private final WarmPools<PoolKey, Worker> pools = new WarmPools<>();
  private final WebClient web;

  private ProcessRuntime(Vertx vertx, WorkerLauncher launcher, ChannelServer channel,
      ProbedAvailability availability, EngineConfig config) {
    this.vertx = vertx;
    this.launcher = launcher;
    this.channel = channel;
    this.availability = availability;
    this.poolSize = config.poolSize();
    this.defaultIsolation = config.isolation();
    this.defaultPolicy = config.defaultPolicy();
    this.web = WebClient.create(vertx);
  }

  /** A Node.js runtime: probes the binary and opens the worker channel; starts no worker yet. */
  public static Future<ToolRuntime> node(Vertx vertx, EngineConfig config, WorkerHome home) {
    return create(vertx, new NodeRecipe(config.nodePath(), config.nodeOptions()), config, home);
  }

  /** A Bun runtime: finds and probes the binary and opens the worker channel; starts no worker yet. */
  public static Future<ToolRuntime> bun(Vertx vertx, EngineConfig config, WorkerHome home) {
    return create(vertx, new BunRecipe(config.bunPath()), config, home);
  }

  private static Future<ToolRuntime> create(Vertx vertx, LaunchRecipe recipe, EngineConfig config, WorkerHome home) {
    return create(vertx, new ProcessLauncher(recipe, config.workerSandbox(), home), config, home);
  }

  /** A runtime whose workers the launcher starts; its channel is the home's socket for the launcher's runtime. */
  public static Future<ToolRuntime> create(Vertx vertx, WorkerLauncher launcher, EngineConfig config, WorkerHome home) {
    long maxFrame = Math.max(config.outputLimitBytes(), config.logLimitBytes()) + 65_536;
    return ProbedAvailability.probe(vertx, launcher, config.backoff()).compose(availability ->
        ChannelServer.listen(vertx, home.socket(launcher.runtime()), maxFrame)
            .map(channel -> new ProcessRuntime(vertx, launcher, channel, availability, config)));
  }

  @Override
  public String name() {
    return launcher.runtime();
  }

  @Override
  public Future<Availability> availability() {
    return availability.current();
  }

  @Override
  public Future<ToolSet> describe() {
    // loading the catalog runs no tool: it must work wherever the runtime does, so it is never
    // refused; its worker then serves the calls of tools with the default policy
    return usable().compose(v -> pool(launcher, defaultIsolation, defaultPolicy).anyReady().map(Worker::toolSet));
  }

  @Override
  public RunningCall start(RuntimeCall call) {
    Isolation isolation = call.isolation() != null ? call.isolation() : defaultIsolation;
    return RunningCall.after(usable(), () -> {
      WorkerLauncher toolLauncher = launcher.forTool(call.tool());
      Optional<ToolError> refused = toolLauncher.refusal(call.tool(), call.permissions());
      if (refused.isPresent()) return RunningCall.failed(new ToolException(refused.get()));
      return pool(toolLauncher, isolation, call.permissions()).start(call);
    });
  }

  /** Succeeds when the runtime is usable (probing again if it was not); else fails RUNTIME_UNAVAILABLE. */
  private Future<Void> usable() {
    return availability.current().compose(a -> a.usable() ? Future.succeededFuture() : Future.failedFuture(unavailable(a)));
  }

  /** Workers alive in all pools (for metrics and tests). */
  @Override
  public int liveMembers() {
    return pools.liveMembers();
  }

  @Override
  public Future<Void> close() {
    return pools.close().compose(v -> channel.close()).compose(v -> vertx.executeBlocking(() -> {
      web.close();
      launcher.close();
      return null;
    }, false));
  }

  private WarmPool<Worker> pool(WorkerLauncher toolLauncher, Isolation isolation, PermissionPolicy policy) {
    return pools.get(new PoolKey(toolLauncher, isolation, policy), key -> new WarmPool<>(
        onDeath -> {
          Worker worker = new Worker(UUID.randomUUID().toString(), vertx, toolLauncher, policy,
              new FetchBridge(web, policy.net()), onDeath);
          worker.spawn(channel);
          return worker;
        },
        isolation, poolSize,
        // a call may not leave processes behind in a worker the next call reuses
        worker -> policy.subprocess()
            ? vertx.executeBlocking(() -> !worker.hasLeftovers(), false)
            : Future.succeededFuture(true)));
  }

  private ToolException unavailable(Availability availability) {
    return new ToolException(new RuntimeUnavailable(
        "the " + launcher.runtime() + " runtime is not usable here: " + availability.detail(),
        launcher.runtime(), availability.hint()));
  }
}
