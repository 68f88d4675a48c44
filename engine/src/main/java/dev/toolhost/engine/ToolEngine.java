package dev.toolhost.engine;

import dev.toolhost.api.Invocation;
import dev.toolhost.api.InvocationEvent;
import dev.toolhost.api.LogEntry;
import dev.toolhost.api.ToolResult;
import dev.toolhost.catalog.Catalog;
import dev.toolhost.config.EngineConfig;
import dev.toolhost.engine.internal.DefaultToolEngine;
import dev.toolhost.runtime.Availability;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Validates invocations, picks the runtime, and runs them under timeout, retry and a bounded
 * queue. Every method returns at once; nothing blocks the caller's event loop. Failures are
 * {@link dev.toolhost.api.ToolException}s carrying a typed {@link dev.toolhost.api.ToolError}.
 */
public interface ToolEngine {
  /** Starts the runtimes and loads the catalog from the configured tools root. */
  static Future<ToolEngine> start(Vertx vertx, EngineConfig config) {
    return DefaultToolEngine.start(vertx, config);
  }

  default Future<ToolResult> invoke(Invocation invocation) {
    return invoke(invocation, null);
  }

  /** Invokes, handing each line the tool logs to {@code onLog} as it arrives (null: none). */
  Future<ToolResult> invoke(Invocation invocation, Consumer<LogEntry> onLog);

  /** Tells {@code listener} of every invocation's start and end, on the thread that saw it. */
  void addListener(Consumer<InvocationEvent> listener);

  /**
   * Cancels the invocation in flight with this execution id: its worker is stopped and the
   * invocation fails with CANCELLED. Succeeds with false when no such invocation is in flight.
   */
  Future<Boolean> cancel(String executionId);

  /** The catalog of the current generation of the tools root (a reload replaces it). */
  Catalog catalog();

  /**
   * Loads the tools root again (rebundling what changed) into new workers and contexts, and
   * swaps the catalog: new calls go to the new generation, calls in flight finish on the old one,
   * whose workers and contexts are closed after them. Fails, keeping the current catalog, when
   * the root cannot be loaded at all; reloads run one after another.
   */
  Future<Catalog> reload();

  EngineConfig config();

  /** Every runtime this engine knows, usable or not, with the reason. */
  Future<List<Availability>> doctor();

  /** Whether tools are bundled: esbuild's path and version, or what is missing and how to get it. */
  Availability bundling();

  /** Warm workers or contexts alive, by runtime name (for metrics). */
  Map<String, Integer> liveMembers();

  /**
   * Stops accepting calls (new ones answer RUNTIME_UNAVAILABLE), lets calls in flight finish up
   * to the configured drain timeout, then stops every worker and context.
   */
  Future<Void> close();
}
