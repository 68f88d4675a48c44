package dev.toolhost.runtime.graal;

import dev.toolhost.api.ToolNotFound;
import dev.toolhost.api.ToolException;
import dev.toolhost.config.EngineConfig;
import dev.toolhost.config.Isolation;
import dev.toolhost.config.PermissionPolicy;
import dev.toolhost.runtime.Availability;
import dev.toolhost.runtime.RunningCall;
import dev.toolhost.runtime.RuntimeCall;
import dev.toolhost.runtime.ToolRuntime;
import dev.toolhost.runtime.ToolSet;
import dev.toolhost.runtime.bundle.BundleManifest;
import dev.toolhost.runtime.pool.WarmPool;
import dev.toolhost.runtime.pool.WarmPools;
import dev.toolhost.runtime.process.WorkerHome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;

/**
 * Tools run in-process in GraalJS: nothing to install, and the tightest sandbox short of a
 * container. One polyglot engine is shared (code is parsed once for all contexts); each tool
 * has a pool of prepared contexts per isolation and policy. Guest code runs on platform threads
 * of its own (Truffle does not support virtual threads), with a large stack so deep recursion
 * ends in a RangeError rather than a crash.
 */
public final class GraalRuntime implements ToolRuntime {
  private static final long GUEST_STACK_BYTES = 64L << 20;

  private record PoolKey(String tool, Isolation isolation, PermissionPolicy policy) {}

  private final ContextTemplate template;
  private final GuestThreads guestThreads;
  private final WorkerHome home;
  private final int poolSize;
  private final Isolation defaultIsolation;
  private final WarmPools<PoolKey, ToolContext> pools = new WarmPools<>();
  private Future<ToolSet> catalog;
  private final Map<String, ToolContext.Module> moduleOfTool = new ConcurrentHashMap<>();

  private GraalRuntime(ContextTemplate template, GuestThreads guestThreads, WorkerHome home, EngineConfig config) {
    this.template = template;
    this.guestThreads = guestThreads;
    this.home = home;
    this.poolSize = config.poolSize();
    this.defaultIsolation = config.isolation();
  }

  /** Builds the shared engine (on a worker thread); no context is made until first needed. */
  public static Future<ToolRuntime> create(Vertx vertx, EngineConfig config, WorkerHome home) {
    return vertx.executeBlocking(() -> {
      Engine engine = sharedEngine();
      GuestThreads threads = GuestThreads.forThisMachine(GUEST_STACK_BYTES, config.graalIdleSpin());
      List<Source> bootstrap = new ArrayList<>();
      for (String file : List.of("index.js", "core.js", "graal-host.mjs")) bootstrap.add(ContextTemplate.module(home.sdk().resolve(file)));
      // 0 turns the statement limit off: counting statements instruments every one of them
      ResourceLimits limits = config.graalStatementLimit() > 0
          ? ResourceLimits.newBuilder().statementLimit(config.graalStatementLimit(), null).build() : null;
      ContextTemplate template = new ContextTemplate(vertx, engine, threads, bootstrap, limits, home.sdk(),
          home.toolsRoot(), home.bundles(), WebClient.create(vertx));
      return (ToolRuntime) new GraalRuntime(template, threads, home, config);
    }, false);
  }

  /**
   * The optimizing runtime's latency mode compiles sooner, with fewer passes: code in contexts
   * made for one call (isolation fresh) gets compiled before they are gone, and calls into
   * reused ones do not get slower (README, Performance). The interpreter has no such option.
   */
  private static Engine sharedEngine() {
    try {
      return engineBuilder().option("engine.Mode", "latency").build();
    } catch (IllegalArgumentException interpreterOnly) {
      return engineBuilder().build();
    }
  }

  private static Engine.Builder engineBuilder() {
    return Engine.newBuilder("js")
        .sandbox(SandboxPolicy.CONSTRAINED)
        .out(OutputStream.nullOutputStream())
        .err(OutputStream.nullOutputStream())
        .option("engine.WarnInterpreterOnly", "false");  // doctor says which mode runs
  }

  @Override
  public String name() {
    return "graaljs";
  }

  @Override
  public Future<Availability> availability() {
    Engine engine = template.engine();
    boolean interpreted = engine.getImplementationName().toLowerCase().contains("interpret");
    return Future.succeededFuture(Availability.usable("graaljs", "GraalJS " + engine.getLanguages().get("js").getVersion(),
        "in-process, SandboxPolicy.CONSTRAINED; " + (interpreted
            ? "interpreter only (run on JDK 25 with the Graal compiler for the optimizing JIT; ./toolhost does this when it can)"
            : "optimizing JIT (" + engine.getImplementationName()
                + (engine.getOptions().get("engine.Mode") != null ? ", latency mode)" : ")"))
            + "; no heap cap in the community edition: use the node or docker runtime for tools that need one"));
  }

  @Override
  public synchronized Future<ToolSet> describe() {
    if (catalog == null) {
      catalog = template.vertx().executeBlocking(this::allModules, false).compose(modules -> {
        ToolContext all = ToolContext.describing(template, modules, dead -> { }).boot();
        return all.ready().andThen(ar -> all.kill()).map(set -> {
          Map<String, ToolContext.Module> byPath = new HashMap<>();
          modules.forEach(m -> byPath.put(m.relative(), m));
          set.tools().forEach(t -> moduleOfTool.put(t.name(), byPath.get(t.module())));
          return set;
        });
      });
    }
    return catalog;
  }

  /** What the manifest says to load: bundles, sources (no esbuild), or errors to list. */
  private List<ToolContext.Module> allModules() throws IOException {
    List<ToolContext.Module> modules = new ArrayList<>();
    for (BundleManifest.Entry e : BundleManifest.read(home.manifest()).entries()) {
      if (e instanceof BundleManifest.Bundled b) {
        modules.add(new ToolContext.Module(b.bundle(), e.module(), null, ContextTemplate.module(b.bundle())));
      }
      if (e instanceof BundleManifest.Source) {
        modules.add(new ToolContext.Module(home.toolsRoot().resolve(e.module()), e.module(), null, null));
      }
      if (e instanceof BundleManifest.Failed f) modules.add(new ToolContext.Module(null, e.module(), f.message(), null));
    }
    return modules;
  }

  @Override
  public RunningCall start(RuntimeCall call) {
    return RunningCall.after(describe(), () -> {
      ToolContext.Module module = moduleOfTool.get(call.tool());
      if (module == null) {
        return RunningCall.failed(new ToolException(new ToolNotFound(
            "the graaljs runtime found no tool '" + call.tool() + "' in the tools root", List.of())));
      }
      Isolation isolation = call.isolation() != null ? call.isolation() : defaultIsolation;
      return pools.get(new PoolKey(call.tool(), isolation, call.permissions()), key -> new WarmPool<>(
          onDeath -> ToolContext.serving(template, module, key.policy(), onDeath).boot(),
          isolation, poolSize, context -> Future.succeededFuture(true))).start(call);
    });
  }

  /** Contexts alive in all pools (for metrics and tests). */
  @Override
  public int liveMembers() {
    return pools.liveMembers();
  }

  @Override
  public Future<Void> close() {
    return pools.close().transform(ar -> template.vertx().executeBlocking(() -> {
      template.web().close();
      template.engine().close(true);
      guestThreads.shutdown();
      return null;
    }, false));
  }
}
