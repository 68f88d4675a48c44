package dev.toolhost.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolhost.api.Json;
import dev.toolhost.config.EngineConfig;
import dev.toolhost.config.SandboxSettings;
import dev.toolhost.sandbox.ExecOptions;
import dev.toolhost.sandbox.ExecResult;
import dev.toolhost.sandbox.ExecutionResult;
import dev.toolhost.sandbox.Language;
import dev.toolhost.sandbox.Sandbox;
import dev.toolhost.sandbox.SandboxManager;
import dev.toolhost.sandbox.SandboxSpec;
import dev.toolhost.sandbox.SandboxStrategy;
import dev.toolhost.sandbox.docker.DockerSandboxStrategy;
import dev.toolhost.sandbox.local.LocalSandboxStrategy;
import io.vertx.core.Vertx;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code bench --sandbox local|docker}: one call at a time, after a warm-up, through the
 * {@link SandboxManager} as the HTTP routes use it: create-to-ready (a sandbox created and
 * booted; its teardown is not timed), the exec round trip of {@code true} (started to exit code
 * and output read), and {@code execute} of {@code print(1)} in Python.
 */
final class SandboxBench {
  private SandboxBench() {}

  static ObjectNode measure(Vertx vertx, EngineConfig config, String type, int calls) {
    SandboxSettings settings = config.sandbox();
    SandboxStrategy strategy = switch (type) {
      case "local" -> new LocalSandboxStrategy(vertx, settings);
      case "docker" -> new DockerSandboxStrategy(vertx, settings, config.dockerHost());
      default -> throw new UsageException("--sandbox is local or docker, not '" + type + "'");
    };
    if (!strategy.availability().usable()) {
      throw new UsageException("--sandbox " + type + ": " + strategy.availability().detail());
    }
    SandboxManager manager = new SandboxManager(vertx, settings, List.of(strategy));
    SandboxSpec spec = new SandboxSpec(type, null, null, null, null, null);
    try {
      ObjectNode report = Json.MAPPER.createObjectNode();
      report.put("sandbox", type);
      report.put("isolation", strategy.availability().detail());
      report.put("cores", Runtime.getRuntime().availableProcessors());
      report.put("calls", calls);
      long[] create = time(calls, () -> {
        Sandbox sandbox = CliSession.await(manager.create(spec));
        return () -> CliSession.await(manager.teardown(sandbox.id()));
      });
      put(report, "createToReady", create);
      Sandbox sandbox = CliSession.await(manager.create(spec));
      put(report, "execTrue", time(calls, () -> {
        ExecResult r = CliSession.await(CliSession.await(sandbox.exec("true", List.of(), ExecOptions.DEFAULT)).result());
        if (r.exitCode() != 0) throw new IllegalStateException("'true' exited with " + r.exitCode() + ": " + r.stderr());
        return () -> { };
      }));
      put(report, "executePythonPrint", time(calls, () -> {
        ExecutionResult r = CliSession.await(sandbox.execute("print(1)", Language.PYTHON, ExecOptions.DEFAULT));
        if (!r.success()) throw new IllegalStateException("print(1) failed: " + r.error());
        return () -> { };
      }));
      return report;
    } finally {
      CliSession.await(manager.close());
    }
  }

  /**
   * Runs {@code call} a fifth of {@code calls} times unmeasured, then {@code calls} times, each
   * timed alone; the cleanup it returns runs outside the time.
   */
  private static long[] time(int calls, Supplier<Runnable> call) {
    for (int i = 0; i < Math.max(1, calls / 5); i++) call.get().run();
    long[] times = new long[calls];
    for (int i = 0; i < calls; i++) {
      long start = System.nanoTime();
      Runnable cleanup = call.get();
      times[i] = System.nanoTime() - start;
      cleanup.run();
    }
    Arrays.sort(times);
    return times;
  }

  private static void put(ObjectNode report, String name, long[] sorted) {
    report.put(name + "P50Ms", ms(sorted[sorted.length / 2]));
    report.put(name + "P99Ms", ms(sorted[Math.min(sorted.length - 1, (int) Math.floor(0.99 * sorted.length))]));
  }

  private static double ms(long nanos) {
    return Math.round(nanos / 1e3) / 1000.0;
  }
}
