package dev.toolhost.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolhost.api.Json;
import dev.toolhost.api.ToolDescriptor;
import dev.toolhost.config.EngineConfig;
import dev.toolhost.runtime.Toolchain;
import dev.toolhost.runtime.docker.ContainerLauncher;
import dev.toolhost.runtime.graal.ContextPerCallBaseline;
import dev.toolhost.runtime.process.WorkerHome;
import dev.toolhost.transport.eventbus.EventBusTransport;
import dev.toolhost.api.Invocation;
import dev.toolhost.config.Quantities;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * {@code bench}: N invocations of one tool with C in flight, sent on the event bus exactly as an
 * agent would send them (or, with {@code --path direct}, to the engine itself), after a warm-up. Beside it, the same tool run the way most tool
 * runners do — a fresh process (or, for docker, a {@code docker run --rm}) per call — a bare
 * {@code node -e 0} or {@code bun -e 0} start, and (node, bun) a fresh worker's time from spawn
 * to first answer. With {@code --catalog-tools N}, the catalog load time instead ({@link CatalogBench});
 * with {@code --sandbox local}, sandbox create, exec and execute times ({@link SandboxBench}).
 * With {@code --pause}, each lane waits that long after an answer before it sends again, as an
 * agent thinks between tool calls; without it, calls follow each other at once (for {@code fresh}
 * isolation that measures how fast new contexts or workers are made, not what one call costs).
 * {@code --worker-sandbox none} measures subprocess workers without bubblewrap (the tool then runs
 * best-effort), for comparison.
 */
final class BenchCommand implements Command {
  /** Imports one tool module, runs the named tool once, prints its output: a one-process-per-call runner. */
  private static final String SPAWN_PER_CALL = """
      const [file, name, input] = process.argv.slice(1);
      const m = await import(file);
      const values = [m.default, ...Object.values(m), ...(m.default && typeof m.default === "object" ? Object.values(m.default) : [])];
      const tool = values.find(v => v && typeof v === "object" && v.name === name && typeof v.run === "function");
      const fn = tool ? (i, c) => tool.run(i, c) : (m[name] ?? m.default?.[name]);
      process.stdout.write(JSON.stringify(await fn(JSON.parse(input), { env: {}, config: {} })));
      """;

  private final PrintStream out;

  BenchCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public int run(List<String> argv) throws Exception {
    Set<String> valued = new HashSet<>(CliSession.COMMON_FLAGS);
    valued.addAll(Set.of("tool", "input", "calls", "concurrency", "warmup", "baseline-calls", "path", "pause",
        "catalog-tools", "sandbox"));
    CliArgs args = CliArgs.parse(argv, valued, Set.of("json"));
    if (args.get("catalog-tools") != null) {
      Vertx vertx = Vertx.vertx();
      try {
        print(CatalogBench.measure(vertx, args, args.integer("catalog-tools", 50)), args.has("json"));
        return ExitCodes.OK;
      } finally {
        vertx.close();
      }
    }
    if (args.get("sandbox") != null) {
      Vertx vertx = Vertx.vertx();
      try {
        print(SandboxBench.measure(vertx, CliSession.config(args), args.get("sandbox"), args.integer("calls", 200)),
            args.has("json"));
        return ExitCodes.OK;
      } finally {
        vertx.close();
      }
    }
    String toolName = args.get("tool", "greet");
    int calls = args.integer("calls", 20_000);
    int concurrency = args.integer("concurrency", 8);
    // the JIT needs a few thousand calls before the figures settle
    int warmup = args.integer("warmup", Math.min(20_000, Math.max(5_000, calls / 2)));
    int baselineCalls = args.integer("baseline-calls", 30);
    long pauseMs = args.get("pause") == null ? 0 : Quantities.duration("--pause", args.get("pause")).toMillis();
    EngineConfig config = CliSession.config(args, unsandboxedOverrides(args, toolName));

    long t0 = System.nanoTime();
    try (CliSession session = CliSession.start(config)) {
      CliSession.await(EventBusTransport.register(session.vertx, session.engine));
      ToolDescriptor tool = session.engine.catalog().find(toolName)
          .orElseThrow(() -> new UsageException("no tool '" + toolName + "' in " + config.tools()));
      JsonNode input = args.get("input") != null ? Json.MAPPER.readTree(args.get("input")) : sampleInput(tool.inputSchema());
      JsonObject request = new JsonObject().put("tool", toolName)
          .put("input", new JsonObject(Json.MAPPER.writeValueAsString(input)));
      EventBus bus = session.vertx.eventBus();

      String path = args.get("path", "eventbus");
      Invocation invocation = Invocation.of(toolName, input);
      Supplier<Future<?>> call = switch (path) {
        case "eventbus" -> () -> bus.request(EventBusTransport.INVOKE, request);
        case "direct" -> () -> session.engine.invoke(invocation);
        default -> throw new UsageException("--path is eventbus or direct, not '" + path + "'");
      };
      Vertx vertx = session.vertx;
      Run first = drive(vertx, call, 1, 1, 0);
      double coldStartMs = (System.nanoTime() - t0) / 1e6;
      if (first.failure != null) throw new UsageException("the tool fails: " + first.failure);
      drive(vertx, call, warmup, concurrency, pauseMs);
      long start = System.nanoTime();
      Run run = drive(vertx, call, calls, concurrency, pauseMs);
      double seconds = (System.nanoTime() - start) / 1e9;
      long[] sorted = run.latencies.clone();
      Arrays.sort(sorted);

      ObjectNode report = Json.MAPPER.createObjectNode();
      report.put("runtime", config.runtime());
      report.put("tool", toolName);
      report.put("path", path);
      report.put("isolation", config.isolation().toString());
      report.put("poolSize", config.poolSize());
      report.put("workerSandbox", config.workerSandbox().toString());
      report.put("calls", calls);
      report.put("concurrency", concurrency);
      report.put("pauseMs", pauseMs);
      report.put("errors", run.errors.get());
      report.put("p50Ms", round(percentile(sorted, 0.50) / 1e6));
      report.put("p99Ms", round(percentile(sorted, 0.99) / 1e6));
      report.put("throughputPerSec", Math.round(calls / seconds));
      report.put("coldStartMs", round(coldStartMs));
      report.put("firstCallMs", round(first.latencies[0] / 1e6));  // the pool's first member started within it
      report.put("rssMb", round(rssKb(ProcessHandle.current().pid()) / 1024.0));
      report.put("workersRssMb", round(ProcessHandle.current().descendants()
          .mapToLong(p -> rssKb(p.pid())).sum() / 1024.0));
      if (config.runtime().equals("node")) {
        processBaselines(report, "nodeBareStartP50Ms", config.nodePath(), List.of("--preserve-symlinks", "--input-type=module"),
            session, args, tool, input, baselineCalls);
      } else if (config.runtime().equals("bun")) {
        String bun = Toolchain.find("bun", config.bunPath()).map(Path::toString).orElseThrow(() -> new UsageException(
            "no bun in " + Toolchain.searched("bun", config.bunPath())));
        processBaselines(report, "bunBareStartP50Ms", bun, List.of("--no-install", "--preserve-symlinks"),
            session, args, tool, input, baselineCalls);
      } else if (config.runtime().equals("graaljs")) {
        report.put("java", System.getProperty("java.version"));
        report.put("graaljsJit", CliSession.await(session.engine.doctor()).stream()
            .anyMatch(a -> a.runtime().equals("graaljs") && !a.detail().contains("interpreter only")));
        report.put("contextPerCallP50Ms", round(contextPerCall(config, tool, input, baselineCalls)));
      } else if (config.runtime().equals("docker")) {
        report.put("image", config.dockerImage());
        report.put("dockerRunPerCallP50Ms", round(dockerRunPerCall(config, tool, input, baselineCalls)));
      }
      print(report, args.has("json"));
      return run.errors.get() == 0 ? ExitCodes.OK : 1;
    }
  }

  private record Run(long[] latencies, AtomicInteger errors, String failure) {}

  /**
   * Sends {@code calls} requests on {@code concurrency} lanes, each lane sending its next request
   * {@code pauseMs} after its previous answer; records each latency.
   */
  private static Run drive(Vertx vertx, Supplier<Future<?>> call, int calls, int concurrency, long pauseMs)
      throws InterruptedException {
    long[] latencies = new long[calls];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    AtomicReference<String> failure = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(calls);
    Runnable[] lane = new Runnable[1];
    lane[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= calls) return;
      long sent = System.nanoTime();
      call.get().onComplete(ar -> {
        latencies[i] = System.nanoTime() - sent;
        if (ar.failed()) {
          errors.incrementAndGet();
          failure.compareAndSet(null, ar.cause().getMessage());
        }
        done.countDown();
        if (pauseMs > 0) vertx.setTimer(pauseMs, t -> lane[0].run()); else lane[0].run();
      });
    };
    for (int c = 0; c < Math.min(concurrency, calls); c++) lane[0].run();
    done.await();
    return new Run(latencies, errors, failure.get());
  }

  /** Without a sandbox the default policy cannot be enforced: the comparison runs the tool best-effort. */
  private static Map<String, String> unsandboxedOverrides(CliArgs args, String toolName) {
    return "none".equals(args.get("worker-sandbox"))
        ? Map.of("toolOverrides." + toolName + ".permissions.enforcement", "best-effort") : Map.of();
  }

  /**
   * The figures a process runtime is compared with: a bare start of its binary, the tool run by
   * one process per call, and a fresh worker's spawn-to-first-answer (with a pool of one, so that
   * no second worker shares the cores).
   *
   * @param moduleFlags what the binary needs to run {@link #SPAWN_PER_CALL} as an ES module
   */
  private static void processBaselines(ObjectNode report, String bareStartKey, String binary, List<String> moduleFlags,
      CliSession session, CliArgs args, ToolDescriptor tool, JsonNode input, int n) throws IOException {
    Map<String, String> overrides = new HashMap<>(unsandboxedOverrides(args, tool.name()));
    overrides.put("poolSize", "1");
    EngineConfig config = CliSession.config(args, overrides);
    report.put(bareStartKey, round(spawnP50(n, List.of(binary, "-e", "0"))));
    Path base = Files.createTempDirectory("toolhost-bench");
    try (WorkerHome home = WorkerHome.create(base, config.tools())) {
      Path module = home.stagedTools().resolve(home.entry() != null ? home.entry() : tool.module());
      List<String> command = new ArrayList<>(List.of(binary));
      command.addAll(moduleFlags);
      command.addAll(List.of("-e", SPAWN_PER_CALL, module.toUri().toString(), tool.name(), input.toString()));
      report.put("spawnPerCallP50Ms", round(spawnP50(n, command)));
    } finally {
      Files.deleteIfExists(base);
    }
    long[] coldStarts = WorkerColdStart.measure(session.vertx, config, tool, input, n);
    Arrays.sort(coldStarts);
    report.put("workerColdStartP50Ms", round(percentile(coldStarts, 0.5) / 1e6));
  }

  /** The tool run by one {@code docker run --rm} per call (the Docker CLI, the same image and mounts), as naive Docker tool runners do. */
  private double dockerRunPerCall(EngineConfig config, ToolDescriptor tool, JsonNode input, int n) throws IOException {
    Path base = Files.createTempDirectory("toolhost-bench");
    try (WorkerHome home = WorkerHome.create(base, config.tools())) {
      String module = home.entry() != null ? home.entry() : tool.module();
      return spawnP50(n, List.of("docker", "run", "--rm", "--network", "none", "--entrypoint", "node",
          "-v", home.sdk() + ":" + ContainerLauncher.SDK_MOUNT + ":ro",
          "-v", home.toolsRoot() + ":" + ContainerLauncher.TOOLS_MOUNT + ":ro",
          config.dockerImage(), "--input-type=module", "-e", SPAWN_PER_CALL,
          "file://" + ContainerLauncher.TOOLS_MOUNT + "/" + module, tool.name(), input.toString()));
    } finally {
      Files.deleteIfExists(base);
    }
  }

  /** The tool run with a new GraalJS Context (and engine) per call, as most Java agent frameworks do. */
  private double contextPerCall(EngineConfig config, ToolDescriptor tool, JsonNode input, int n) throws IOException {
    Path base = Files.createTempDirectory("toolhost-bench");
    try (WorkerHome home = WorkerHome.create(base, config.tools())) {
      ContextPerCallBaseline baseline = new ContextPerCallBaseline(home);
      String module = home.entry() != null ? home.entry() : tool.module();
      long[] times = new long[n];
      for (int i = 0; i < n; i++) {
        long start = System.nanoTime();
        baseline.callOnce(module, tool.name(), input.toString());
        times[i] = System.nanoTime() - start;
      }
      Arrays.sort(times);
      return percentile(times, 0.5) / 1e6;
    } finally {
      Files.deleteIfExists(base);
    }
  }

  private static double spawnP50(int n, List<String> command) throws IOException {
    long[] times = new long[n];
    for (int i = 0; i < n; i++) {
      long start = System.nanoTime();
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      try {
        if (p.waitFor() != 0) throw new IOException("'" + command.get(0) + "' failed with exit " + p.exitValue());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      times[i] = System.nanoTime() - start;
    }
    Arrays.sort(times);
    return percentile(times, 0.5) / 1e6;
  }

  /** A minimal input that satisfies the schema's required properties, for tools benched without --input. */
  private static JsonNode sampleInput(JsonNode schema) {
    ObjectNode input = Json.MAPPER.createObjectNode();
    if (schema == null) return input;
    JsonNode properties = schema.path("properties");
    for (JsonNode required : schema.path("required")) {
      String name = required.asText();
      JsonNode p = properties.path(name);
      JsonNode value = p.has("default") ? p.get("default")
          : p.path("enum").isArray() && p.path("enum").size() > 0 ? p.path("enum").get(0)
          : switch (p.path("type").asText("string")) {
            case "integer", "number" -> Json.MAPPER.getNodeFactory().numberNode(1);
            case "boolean" -> Json.MAPPER.getNodeFactory().booleanNode(true);
            case "array" -> Json.MAPPER.createArrayNode();
            case "object" -> Json.MAPPER.createObjectNode();
            default -> Json.MAPPER.getNodeFactory().textNode("bench");
          };
      input.set(name, value);
    }
    return input;
  }

  private void print(ObjectNode report, boolean json) {
    if (json) {
      out.println(report.toString());
      return;
    }
    List<String[]> rows = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = report.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      rows.add(new String[] {e.getKey(), e.getValue().asText()});
    }
    int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(10);
    for (String[] row : rows) out.printf("%-" + width + "s  %s%n", row[0], row[1]);
  }

  private static long percentile(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static long rssKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
      }
    } catch (IOException | RuntimeException e) {
      return 0;  // the process went away, or this is not Linux
    }
    return 0;
  }
}
