package dev.toolhost.sandbox;

import dev.toolhost.api.InvalidRequest;
import dev.toolhost.api.NotFound;
import dev.toolhost.api.Overloaded;
import dev.toolhost.api.RuntimeUnavailable;
import dev.toolhost.api.ToolException;
import dev.toolhost.config.SandboxSettings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Owns every live sandbox: creates one with the strategy its spec names, keeps at most
 * {@code sandbox.maxLive} (beyond: OVERLOADED, nothing created), tears one down after its idle
 * timeout without a call through {@link #get}, and tears all down on {@link #close()}.
 */
public final class SandboxManager {
  /** Types a sandbox may name; one without a strategy here answers RUNTIME_UNAVAILABLE. */
  public static final List<String> TYPES = List.of("local", "docker");
  private static final long RETRY_AFTER_MS = 1000;

  private final Vertx vertx;
  private final SandboxSettings settings;
  private final Map<String, SandboxStrategy> strategies = new LinkedHashMap<>();
  private final Map<String, Live> live = new ConcurrentHashMap<>();
  private final AtomicInteger slots = new AtomicInteger();
  private final List<BiConsumer<Sandbox, SandboxEvent>> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  /** A sandbox with when it was last used, in nanoTime, and a promise completed once it is torn down. */
  private static final class Live {
    final Sandbox sandbox;
    final Duration idleTimeout;
    final Promise<Void> ended = Promise.promise();
    volatile long lastUsed = System.nanoTime();

    Live(Sandbox sandbox, Duration idleTimeout) {
      this.sandbox = sandbox;
      this.idleTimeout = idleTimeout;
    }
  }

  public SandboxManager(Vertx vertx, SandboxSettings settings, List<SandboxStrategy> strategies) {
    this.vertx = vertx;
    this.settings = settings;
    strategies.forEach(s -> this.strategies.put(s.type(), s));
  }

  public SandboxSettings settings() {
    return settings;
  }

  /** The strategies of this manager, by type. */
  public Collection<SandboxStrategy> strategies() {
    return strategies.values();
  }

  /**
   * Creates and boots a sandbox. Null fields of {@code spec} take the configured defaults.
   * Fails with INVALID_REQUEST (unknown type, bad env), RUNTIME_UNAVAILABLE (a type without a
   * working strategy here) or OVERLOADED (as many live as allowed).
   */
  public Future<Sandbox> create(SandboxSpec spec) {
    SandboxSpec full;
    SandboxStrategy strategy;
    try {
      full = withDefaults(spec);
      strategy = strategy(full.type());
    } catch (ToolException e) {
      return Future.failedFuture(e);
    }
    if (closed) return Future.failedFuture(new ToolException(new RuntimeUnavailable(
        "the sandbox manager is shutting down", full.type(), "retry on another engine")));
    if (slots.incrementAndGet() > settings.maxLive()) {
      slots.decrementAndGet();
      return Future.failedFuture(new ToolException(new Overloaded("already " + settings.maxLive()
          + " live sandboxes (sandbox.maxLive); tear one down or retry later", RETRY_AFTER_MS)));
    }
    Sandbox sandbox = strategy.create(UUID.randomUUID().toString(), full);
    return sandbox.boot().compose(v -> {
      sandbox.onEvent(event -> listeners.forEach(l -> l.accept(sandbox, event)));
      Live entry = new Live(sandbox, full.idleTimeout());
      live.put(sandbox.id(), entry);
      scheduleIdleCheck(entry, full.idleTimeout().toMillis());
      return Future.succeededFuture(sandbox);
    }, failure -> {
      slots.decrementAndGet();
      return sandbox.teardown().transform(ar -> Future.failedFuture(failure));
    });
  }

  /** Tells {@code listener} of every event of every sandbox made from now on (for transports that publish them). */
  public void addListener(BiConsumer<Sandbox, SandboxEvent> listener) {
    listeners.add(listener);
  }

  /**
   * The live sandbox of this id, marked as used now (its idle timeout starts again). One that
   * stopped being ready by itself (its container removed from outside) is dropped and torn down.
   */
  public Optional<Sandbox> get(String id) {
    Live entry = live.get(id);
    if (entry == null) return Optional.empty();
    if (!entry.sandbox.isReady()) {
      teardown(id);
      return Optional.empty();
    }
    entry.lastUsed = System.nanoTime();
    return Optional.of(entry.sandbox);
  }

  /** The live sandbox of this id as {@link #get} finds it; NOT_FOUND when there is none. */
  public Sandbox require(String id) {
    return get(id).orElseThrow(() -> new ToolException(new NotFound("no live sandbox '" + id
        + "' (never made, torn down, or idle past its timeout)", "sandbox", id)));
  }

  /**
   * Completes once the sandbox of this id has been torn down, by whichever way (a delete, its idle
   * timeout, shutdown), so streams about it can end; at once when no sandbox of this id is live.
   */
  public Future<Void> tornDown(String id) {
    Live entry = live.get(id);
    return entry == null ? Future.succeededFuture() : entry.ended.future();
  }

  /** Every live sandbox. */
  public List<Sandbox> list() {
    return live.values().stream().map(l -> l.sandbox).toList();
  }

  /** Tears down the sandbox of this id; false when there is none. */
  public Future<Boolean> teardown(String id) {
    Live entry = live.remove(id);
    if (entry == null) return Future.succeededFuture(false);
    slots.decrementAndGet();
    return entry.sandbox.teardown().onComplete(ar -> entry.ended.tryComplete()).map(true);
  }

  /** Refuses new sandboxes, tears down every live one, then closes the strategies. */
  public Future<Void> close() {
    closed = true;
    List<Future<Boolean>> teardowns = new ArrayList<>();
    for (String id : List.copyOf(live.keySet())) teardowns.add(teardown(id));
    return Future.join(teardowns).transform(ar ->
        Future.join(strategies.values().stream().map(SandboxStrategy::close).toList())).mapEmpty();
  }

  private void scheduleIdleCheck(Live entry, long delayMs) {
    vertx.setTimer(Math.max(1, delayMs), t -> {
      if (live.get(entry.sandbox.id()) != entry) return;
      long idleMs = (System.nanoTime() - entry.lastUsed) / 1_000_000;
      long left = entry.idleTimeout.toMillis() - idleMs;
      if (left <= 0) {
        teardown(entry.sandbox.id());
      } else {
        scheduleIdleCheck(entry, left);
      }
    });
  }

  private SandboxStrategy strategy(String type) {
    SandboxStrategy strategy = strategies.get(type);
    if (strategy != null) return strategy;
    if (TYPES.contains(type)) {
      throw new ToolException(new RuntimeUnavailable("'" + type + "' sandboxes are not available in this engine",
          type, "use a type of " + strategies.keySet()));
    }
    throw new ToolException(new InvalidRequest("unknown sandbox type '" + type + "'; use one of " + TYPES,
        "field: type"));
  }

  private SandboxSpec withDefaults(SandboxSpec spec) {
    String type = spec.type() == null ? "local" : spec.type();
    SandboxEnv.check(spec.env(), "env");
    SandboxLimits limits = spec.limits() != null ? spec.limits()
        : new SandboxLimits(settings.timeout(), settings.outputLimitBytes(), settings.fileLimitBytes(), settings.network());
    Duration idle = spec.idleTimeout() != null && !spec.idleTimeout().isNegative() && !spec.idleTimeout().isZero()
        ? spec.idleTimeout() : settings.idleTimeout();
    return new SandboxSpec(type, spec.image(), spec.ports(), spec.env(), limits, idle);
  }
}
