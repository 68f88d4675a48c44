package dev.toolhost.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolhost.api.ToolDescriptor;
import dev.toolhost.config.EngineConfig;
import dev.toolhost.config.Isolation;
import dev.toolhost.runtime.RuntimeCall;
import dev.toolhost.runtime.Runtimes;
import dev.toolhost.runtime.ToolRuntime;
import dev.toolhost.runtime.process.ProcessRuntime;
import dev.toolhost.runtime.process.WorkerHome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * How long a process runtime (node, bun) takes from spawning a worker to that worker's first
 * answer, with nothing started ahead. Each sample opens its own runtime and closes it after the
 * answer, so the replacement a pool starts in the background never serves the next sample.
 * Give it a configuration with a pool size of 1: a cold pool starts all its workers at once,
 * and they would share the cores. As in an engine, opening the runtime prepares the enclosure
 * the first worker starts in where there are cgroups (a shell already in the worker's groups: see
 * CgroupEnclosure); the runtime, the sandbox and the tools all start within the measured time.
 */
final class WorkerColdStart {
  private WorkerColdStart() {}

  /** Milliseconds from spawn to first answer, one per sample; blocking (run it off the event loop). */
  static long[] measure(Vertx vertx, EngineConfig config, ToolDescriptor tool, JsonNode input, int samples)
      throws IOException {
    Path base = Files.createTempDirectory("toolhost-bench");
    long[] times = new long[samples];
    try (WorkerHome home = WorkerHome.create(base, config.tools())) {
      Runtimes.bundleInto(config, home);
      for (int i = 0; i < samples; i++) {
        ToolRuntime runtime = CliSession.await(open(vertx, config, home));
        try {
          RuntimeCall call = new RuntimeCall(tool.name(), "cold-start-" + i, input, Map.of(), null,
              Isolation.FRESH, config.settingsFor(tool.name()).permissions(), config.outputLimitBytes(), config.logLimitBytes(),
              config.timeout().toMillis(), null);
          long start = System.nanoTime();
          CliSession.await(runtime.start(call).result());
          times[i] = System.nanoTime() - start;
        } finally {
          CliSession.await(runtime.close());
        }
      }
    } finally {
      Files.deleteIfExists(base);
    }
    return times;
  }

  private static Future<ToolRuntime> open(Vertx vertx, EngineConfig config, WorkerHome home) {
    return switch (config.runtime()) {
      case "node" -> ProcessRuntime.node(vertx, config, home);
      case "bun" -> ProcessRuntime.bun(vertx, config, home);
      default -> throw new UsageException("a worker cold start is measured for node and bun, not " + config.runtime());
    };
  }
}
