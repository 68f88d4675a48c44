package dev.toolhost.engine.internal;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.toolhost.api.Cancelled;
import dev.toolhost.api.InvalidInput;
import dev.toolhost.api.InvalidRequest;
import dev.toolhost.api.InvalidOutput;
import dev.toolhost.api.Invocation;
import dev.toolhost.api.InvocationEvent;
import dev.toolhost.api.LogEntry;
import dev.toolhost.api.Overloaded;
import dev.toolhost.api.PermissionDenied;
import dev.toolhost.api.ProcessError;
import dev.toolhost.api.RuntimeUnavailable;
import dev.toolhost.api.Timeout;
import dev.toolhost.api.ToolError;
import dev.toolhost.api.ToolException;
import dev.toolhost.api.ToolFailure;
import dev.toolhost.api.ToolNotFound;
import dev.toolhost.api.ToolResult;
import dev.toolhost.catalog.Catalog;
import dev.toolhost.config.EngineConfig;
import dev.toolhost.config.ToolSettings;
import dev.toolhost.engine.ToolEngine;
import dev.toolhost.runtime.Availability;
import dev.toolhost.runtime.CallOutcome;
import dev.toolhost.runtime.RunningCall;
import dev.toolhost.runtime.RuntimeCall;
import dev.toolhost.runtime.Runtimes;
import dev.toolhost.runtime.ToolRuntime;
import dev.toolhost.runtime.ToolSet;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The engine: checks, then Failsafe (retry) around runtime calls, each attempt with its own
 * deadline. Calls run on the current {@link Generation}; a reload replaces it without disturbing
 * calls in flight on the old one.
 */
public final class DefaultToolEngine implements ToolEngine {
  private final Vertx vertx;
  private final EngineConfig config;
  private volatile Generation current;
  /** Generations retired by reloads: each closes when its last call leaves, or at the engine's close. */
  private final List<Generation> retired = new CopyOnWriteArrayList<>();
  private Future<Catalog> reloading = Future.succeededFuture();
  private final AtomicInteger admitted = new AtomicInteger();
  /** Invocations in flight by execution id, so a caller can cancel one. */
  private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();

  /** An invocation's Failsafe future, which may be cancelled before it is even assigned. */
  private static final class InFlight {
    private CompletableFuture<CallOutcome> future;
    private boolean cancelled;

    synchronized void start(CompletableFuture<CallOutcome> started) {
      future = started;
      if (cancelled) future.cancel(true);
    }

    /** True when the invocation was still running (Failsafe's cancel answers false even when it stops it). */
    synchronized boolean cancel() {
      cancelled = true;
      if (future == null) return true;
      boolean running = !future.isDone();
      future.cancel(true);
      return running;
    }
  }
  private final Set<String> runtimeNames;
  private volatile boolean closing;
  private final List<Consumer<InvocationEvent>> listeners = new CopyOnWriteArrayList<>();
  private final FailsafeExecutor<CallOutcome> failsafe;

  private DefaultToolEngine(Vertx vertx, EngineConfig config, Generation first) {
    this.vertx = vertx;
    this.config = config;
    this.current = first;
    this.runtimeNames = first.runtimes.all().stream().map(ToolRuntime::name).collect(Collectors.toUnmodifiableSet());
    this.failsafe = Failsafe.with(retryPolicy()).with(new VertxScheduler(vertx));
  }

  public static Future<ToolEngine> start(Vertx vertx, EngineConfig config) {
    return load(vertx, config).map(first -> {
      DefaultToolEngine engine = new DefaultToolEngine(vertx, config, first);
      engine.awaitDefaultRuntime(first);
      return engine;
    });
  }

  /** Bundles the tools root into new runtimes and describes it. */
  private static Future<Generation> load(Vertx vertx, EngineConfig config) {
    return Runtimes.start(vertx, config).compose(runtimes ->
        describe(runtimes, config)
            .map(described -> new Generation(runtimes, new Catalog(described.set()), described.runtime()))
            .recover(e -> runtimes.close().transform(v -> Future.failedFuture(e))));
  }

  /**
   * When another runtime described the tools because the default was not usable (a Docker
   * daemon not started yet), the catalog may lack what only the default can load (a tool
   * importing node:fs is no GraalJS tool): once the default is usable, the engine reloads.
   */
  private void awaitDefaultRuntime(Generation generation) {
    if (config.runtime().equals(generation.describedBy)) return;
    vertx.setTimer(config.backoff().maxInterval().toMillis(), t -> {
      if (closing || current != generation) return;
      generation.runtimes.get(config.runtime()).availability().onComplete(ar -> {
        if (closing || current != generation) return;
        if (ar.succeeded() && ar.result().usable()) {
          reload();
        } else {
          awaitDefaultRuntime(generation);
        }
      });
    });
  }

  /** Reloads run one after another; each swaps the generation, then retires the old one. */
  @Override
  public synchronized Future<Catalog> reload() {
    reloading = reloading.transform(previous -> {
      if (closing) {
        return Future.failedFuture(new ToolException(new RuntimeUnavailable("the engine is shutting down", null, null)));
      }
      return load(vertx, config).map(next -> {
        Generation old = current;
        current = next;
        retired.add(old);
        old.retire().onComplete(ar -> retired.remove(old));
        awaitDefaultRuntime(next);
        return next.catalog;
      });
    });
    return reloading;
  }

  /** The current generation, with this call counted in it. */
  private Generation enter() {
    while (true) {
      Generation g = current;
      if (g.enter()) return g;  // else a reload retired it just now: take the new one
    }
  }

  /** A description of the tools, and the runtime that gave it (null when none could). */
  private record Described(ToolSet set, String runtime) {}

  /** Asks the default runtime for the catalog, or the first usable one when it is not usable. */
  private static Future<Described> describe(Runtimes runtimes, EngineConfig config) {
    List<ToolRuntime> order = new ArrayList<>();
    order.add(runtimes.get(config.runtime()));
    runtimes.all().stream().filter(r -> !r.name().equals(config.runtime())).forEach(order::add);
    return describeFirstUsable(order, 0, new ArrayList<>());
  }

  private static Future<Described> describeFirstUsable(List<ToolRuntime> order, int i, List<String> reasons) {
    if (i == order.size()) {
      return Future.succeededFuture(new Described(new ToolSet(List.of(),
          List.of(new ToolSet.LoadError(null, "no runtime could load the tools: " + String.join("; ", reasons)))), null));
    }
    ToolRuntime runtime = order.get(i);
    return runtime.availability().compose(a -> {
      if (!a.usable()) {
        reasons.add(runtime.name() + ": " + a.detail());
        return describeFirstUsable(order, i + 1, reasons);
      }
      return runtime.describe().map(set -> new Described(set, runtime.name()));
    });
  }

  @Override
  public Catalog catalog() {
    return current.catalog;
  }

  @Override
  public EngineConfig config() {
    return config;
  }

  @Override
  public Future<List<Availability>> doctor() {
    List<Future<Availability>> all = current.runtimes.all().stream().map(ToolRuntime::availability).toList();
    return Future.all(all).map(c -> all.stream().map(Future::result).toList());
  }

  @Override
  public Availability bundling() {
    return current.runtimes.bundling();
  }

  @Override
  public Map<String, Integer> liveMembers() {
    Map<String, Integer> live = new LinkedHashMap<>();
    for (ToolRuntime runtime : current.runtimes.all()) live.put(runtime.name(), runtime.liveMembers());
    return live;
  }

  @Override
  public Future<Boolean> cancel(String executionId) {
    InFlight entry = inFlight.get(executionId);
    return Future.succeededFuture(entry != null && entry.cancel());
  }

  /** Stops accepting, lets calls in flight finish up to the drain timeout, then stops every runtime. */
  @Override
  public Future<Void> close() {
    closing = true;
    Promise<Void> drained = Promise.promise();
    waitForDrain(drained, System.nanoTime() + config.drainTimeout().toNanos());
    Future<Catalog> lastReload;
    synchronized (this) {
      lastReload = reloading;
    }
    return drained.future().compose(v -> lastReload.transform(ar -> {
      List<Future<Void>> closed = new ArrayList<>(List.of(current.close()));
      retired.forEach(g -> closed.add(g.close()));
      return Future.join(closed).<Void>mapEmpty();
    }));
  }

  private void waitForDrain(Promise<Void> drained, long deadline) {
    if (admitted.get() == 0 || System.nanoTime() >= deadline) {
      drained.tryComplete();
    } else {
      vertx.setTimer(20, t -> waitForDrain(drained, deadline));
    }
  }

  @Override
  public void addListener(Consumer<InvocationEvent> listener) {
    listeners.add(listener);
  }

  private void emit(InvocationEvent event) {
    for (Consumer<InvocationEvent> listener : listeners) listener.accept(event);
  }

  @Override
  public Future<ToolResult> invoke(Invocation request, Consumer<LogEntry> onLog) {
    long start = System.nanoTime();
    Invocation inv = request.executionId() != null ? request : request.withExecutionId(UUID.randomUUID().toString());
    String[] runtime = new String[1];  // set once the runtime is chosen
    Generation generation = enter();
    return checkAndRun(generation, inv, onLog, runtime).andThen(ar -> {
      generation.exit();
      double ms = (System.nanoTime() - start) / 1e6;
      if (ar.succeeded()) {
        ToolResult r = ar.result();
        emit(new InvocationEvent("finished", r.tool(), r.executionId(), r.runtime(), ms, r.attempts(), null));
      } else if (ar.cause() instanceof ToolException e) {
        emit(new InvocationEvent("failed", inv.tool(), inv.executionId(), runtime[0], ms, e.attempts(), e.error().type()));
      }
    });
  }

  private Future<ToolResult> checkAndRun(Generation generation, Invocation inv, Consumer<LogEntry> onLog,
      String[] chosenRuntime) {
    Catalog catalog = generation.catalog;
    Context context = vertx.getOrCreateContext();
    if (closing) {
      return failed(new RuntimeUnavailable("the engine is shutting down", null,
          "retry the call on another engine instance"), inv, 0);
    }
    try {
      InvocationRules.check(inv, runtimeNames);
    } catch (ToolException e) {
      return failed(e.error(), inv, 0);
    }
    if (catalog.find(inv.tool()).isEmpty()) {
      String loadErrors = catalog.errors().isEmpty() ? ""
          : " (" + catalog.errors().size() + " load errors in the tools root; see 'toolhost list')";
      return failed(new ToolNotFound("no tool named '" + inv.tool() + "'" + loadErrors, catalog.nearest(inv.tool())),
          inv, 0);
    }
    ToolSettings settings = config.settingsFor(inv.tool());
    List<String> allowedEnv = settings.permissions().env();
    if (allowedEnv != null) {
      for (String key : inv.env().keySet()) {
        if (!allowedEnv.contains(key)) {
          return failed(new PermissionDenied("the tool may not receive env '" + key + "'", "env", key), inv, 0);
        }
      }
    }
    List<InvalidInput.Violation> violations = catalog.validateInput(inv.tool(), inv.input());
    if (!violations.isEmpty()) {
      return failed(new InvalidInput("the input does not match the tool's inputSchema", violations), inv, 0);
    }
    if (admitted.incrementAndGet() > config.queueCapacity()) {
      admitted.decrementAndGet();
      return failed(new Overloaded("the engine queue is full (" + config.queueCapacity() + " invocations)",
          config.backoff().initialInterval().toMillis()), inv, 0);
    }
    String runtimeName = inv.runtime() != null ? inv.runtime()
        : settings.runtime() != null ? settings.runtime() : config.runtime();
    chosenRuntime[0] = runtimeName;
    Duration timeout = inv.timeout() != null ? inv.timeout()
        : settings.timeout() != null ? settings.timeout() : config.timeout();
    RuntimeCall call = new RuntimeCall(inv.tool(), inv.executionId(), inv.input(), inv.env(), settings.config(),
        settings.isolation(), settings.permissions(), config.outputLimitBytes(), config.logLimitBytes(),
        timeout.toMillis(), onLog);
    return run(generation.runtimes.get(runtimeName), catalog, call, timeout, context, inv)
        .andThen(ar -> admitted.decrementAndGet());
  }

  private Future<ToolResult> run(ToolRuntime runtime, Catalog catalog, RuntimeCall call, Duration timeout,
      Context context, Invocation inv) {
    long started = System.nanoTime();
    AtomicInteger attempts = new AtomicInteger();
    InFlight entry = new InFlight();
    if (inFlight.putIfAbsent(inv.executionId(), entry) != null) {
      return failed(new InvalidRequest("an invocation with executionId '" + inv.executionId() + "' is already running",
          "field: executionId"), inv, 0);
    }
    emit(new InvocationEvent("started", inv.tool(), inv.executionId(), runtime.name(), 0, 0, null));
    CompletableFuture<CallOutcome> outcome = failsafe.getStageAsync(execution -> {
      attempts.incrementAndGet();
      RunningCall running = runtime.start(call);
      execution.onCancel(running::cancel);
      return withDeadline(running, timeout);
    });
    entry.start(outcome);
    outcome.whenComplete((result, failure) -> inFlight.remove(inv.executionId(), entry));
    return Future.fromCompletionStage(outcome, context).transform(ar -> {
      if (ar.succeeded()) {
        List<InvalidInput.Violation> bad = catalog.validateOutput(call.tool(), ar.result().output());
        if (!bad.isEmpty()) {
          return failed(new InvalidOutput("the output does not match the tool's outputSchema",
              bad.stream().map(v -> v.pointer() + ": " + v.message()).collect(Collectors.joining("; "))),
              inv, attempts.get());
        }
        double ms = (System.nanoTime() - started) / 1e6;
        return Future.succeededFuture(new ToolResult(inv.executionId(), inv.tool(), runtime.name(),
            ar.result().output(), ms, attempts.get(), ar.result().logs()));
      }
      return failed(errorOf(ar.cause()), inv, attempts.get());
    });
  }

  /**
   * The attempt's outcome, or TIMEOUT once {@code timeout} has passed, which also stops the
   * attempt. A Vert.x timer, not Failsafe's Timeout policy: that one schedules every attempt on a
   * thread of its own, waking it per call.
   */
  private CompletableFuture<CallOutcome> withDeadline(RunningCall running, Duration timeout) {
    CompletableFuture<CallOutcome> attempt = new CompletableFuture<>();
    long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), t -> {
      boolean expired = attempt.completeExceptionally(new ToolException(new Timeout(
          "the tool did not finish within " + timeout.toMillis() + " ms and was stopped", timeout.toMillis())));
      if (expired) running.cancel();
    });
    running.result().onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) attempt.complete(ar.result()); else attempt.completeExceptionally(ar.cause());
    });
    return attempt;
  }

  private RetryPolicy<CallOutcome> retryPolicy() {
    return RetryPolicy.<CallOutcome>builder()
        .handleIf((result, failure) -> failure != null && retryable(errorOf(failure)))
        .withBackoff(config.backoff().initialInterval(), config.backoff().maxInterval())
        .withJitter(0.2)
        .withMaxDuration(config.backoff().maxElapsedTime())
        .withMaxAttempts(config.retryMaxAttempts())
        .build();
  }

  private boolean retryable(ToolError error) {
    if (error instanceof RuntimeUnavailable r && r.permanent()) return false;
    return config.retryOn().contains(error.type()) || (error instanceof ToolFailure f && f.retryable());
  }

  private static ToolError errorOf(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof ToolException te) return te.error();
    if (cause instanceof CancellationException) return new Cancelled("the caller cancelled the invocation");
    return new ProcessError("unexpected engine failure: " + cause, null, null, null);
  }

  private <T> Future<T> failed(ToolError error, Invocation inv, int attempts) {
    return Future.failedFuture(new ToolException(error, inv.tool(), inv.executionId(), attempts, retryable(error)));
  }
}
