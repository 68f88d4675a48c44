package dev.toolhost.runtime.process;

import dev.toolhost.api.RuntimeUnavailable;
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
import java.util.UUID;

/**
 * A runtime of warm worker processes speaking the worker protocol; the recipe says how to
 * launch one (node now, bun later), and its {@link Confinement} how to hold a tool's policy
 * (bubblewrap, cgroups). One pool per isolation and permission policy, since both are fixed
 * when a worker starts.
 */
public final class ProcessRuntime implements ToolRuntime {
  private record PoolKey(Isolation isolation, PermissionPolicy policy) {}

  private final Vertx vertx;
  private final LaunchRecipe recipe;
  private final Confinement confinement;
  private final WorkerHome home;
  private final ChannelServer channel;
  private final Availability availability;
  private final int poolSize;
  private final Isolation defaultIsolation;
  private final WarmPools<PoolKey, Worker> pools = new WarmPools<>();
  private final WebClient web;

  private ProcessRuntime(Vertx vertx, LaunchRecipe recipe, Confinement confinement, WorkerHome home,
      ChannelServer channel, Availability availability, EngineConfig config) {
    this.vertx = vertx;
    this.recipe = recipe;
    this.confinement = confinement;
    this.home = home;
    this.channel = channel;
    this.availability = availability;
    this.poolSize = config.poolSize();
    this.defaultIsolation = config.isolation();
    this.web = WebClient.create(vertx);
  }

  /** A Node.js runtime: probes the binary and opens the worker channel; starts no worker yet. */
  public static Future<ToolRuntime> node(Vertx vertx, EngineConfig config, WorkerHome home) {
    return create(vertx, new NodeRecipe(config.nodePath(), config.nodeOptions()), config, home);
  }

  private static Future<ToolRuntime> create(Vertx vertx, LaunchRecipe recipe, EngineConfig config, WorkerHome home) {
    long maxFrame = Math.max(config.outputLimitBytes(), config.logLimitBytes()) + 65_536;
    return vertx.executeBlocking(() -> {
      Availability probed = recipe.probe();
      Confinement confinement = new Confinement(recipe, BubblewrapSandbox.probe("bwrap"),
          CgroupLimits.probe(recipe.runtime()), config.workerSandbox(), home);
      Availability availability = probed.usable()
          ? Availability.usable(probed.runtime(), probed.version(), probed.detail() + "; " + confinement.status())
          : probed;
      return new Probed(availability, confinement);
    }, false).compose(probed -> ChannelServer.listen(vertx, home.socket(recipe.runtime()), maxFrame)
        .map(channel -> new ProcessRuntime(vertx, recipe, probed.confinement(), home, channel, probed.availability(),
            config)));
  }

  private record Probed(Availability availability, Confinement confinement) {}

  @Override
  public String name() {
    return recipe.runtime();
  }

  @Override
  public Future<Availability> availability() {
    return Future.succeededFuture(availability);
  }

  @Override
  public Future<ToolSet> describe() {
    if (!availability.usable()) return Future.failedFuture(unavailable());
    // loading the catalog runs no tool: it must work wherever the runtime does
    return pool(defaultIsolation, PermissionPolicy.DEFAULT, confinement.bestEffort()).anyReady().map(Worker::toolSet);
  }

  @Override
  public RunningCall start(RuntimeCall call) {
    if (!availability.usable()) {
      return RunningCall.failed(unavailable());
    }
    Isolation isolation = call.isolation() != null ? call.isolation() : defaultIsolation;
    LaunchRecipe confined;
    try {
      confined = confinement.recipeFor(call.tool(), call.permissions());
    } catch (ToolException refused) {
      return RunningCall.failed(refused);
    }
    return pool(isolation, call.permissions(), confined).start(call);
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
      confinement.close();
      return null;
    }, false));
  }

  private WarmPool<Worker> pool(Isolation isolation, PermissionPolicy policy, LaunchRecipe confined) {
    return pools.get(new PoolKey(isolation, policy), key -> new WarmPool<>(
        onDeath -> {
          Worker worker = new Worker(UUID.randomUUID().toString(), vertx, confined, home,
              new FetchBridge(web, policy.net()), onDeath);
          worker.spawn(channel, new WorkerLaunch(home, worker.id(), policy));
          return worker;
        },
        isolation, poolSize,
        // a call may not leave processes behind in a worker the next call reuses
        worker -> policy.subprocess()
            ? vertx.executeBlocking(() -> !worker.hasLeftovers(), false)
            : Future.succeededFuture(true)));
  }

  private ToolException unavailable() {
    return new ToolException(new RuntimeUnavailable(
        "the " + recipe.runtime() + " runtime is not usable here: " + availability.detail(),
        recipe.runtime(), availability.hint()));
  }
}
