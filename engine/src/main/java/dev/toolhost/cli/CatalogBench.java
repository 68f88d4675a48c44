package dev.toolhost.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolhost.api.Json;
import dev.toolhost.config.EngineConfig;
import dev.toolhost.engine.ToolEngine;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code bench --catalog-tools N}: the time to load the catalog of a generated root of N
 * TypeScript tools (each importing the SDK, a shared module and an npm package from the root's
 * node_modules), first with an empty bundle cache (esbuild bundles every tool), then again with
 * the cache filled (no esbuild runs). The engine start is what is timed: bundling, the runtimes,
 * and loading every module in the default runtime.
 */
final class CatalogBench {
  private CatalogBench() {}

  static ObjectNode measure(Vertx vertx, CliArgs args, int tools) throws IOException {
    Path dir = Files.createTempDirectory("toolhost-catalog-bench");
    try {
      Path root = generate(dir.resolve("tools"), tools);
      EngineConfig benched = CliSession.config(args, Map.of("tools", root.toString(), "bundle.cacheDir", dir.resolve("cache").toString()));
      ObjectNode report = Json.MAPPER.createObjectNode();
      report.put("runtime", benched.runtime());
      report.put("tools", tools);
      report.put("emptyCacheCatalogMs", catalogLoadMs(vertx, benched, tools));
      report.put("cacheHitCatalogMs", catalogLoadMs(vertx, benched, tools));
      return report;
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static double catalogLoadMs(Vertx vertx, EngineConfig config, int tools) {
    long start = System.nanoTime();
    ToolEngine engine = CliSession.await(ToolEngine.start(vertx, config));
    double ms = (System.nanoTime() - start) / 1e6;
    try {
      int loaded = engine.catalog().tools().size();
      if (loaded != tools) {
        throw new UsageException("the generated catalog has " + loaded + " tools, not " + tools + ": " + engine.catalog().errors());
      }
      return Math.round(ms * 10) / 10.0;
    } finally {
      CliSession.await(engine.close());
    }
  }

  private static Path generate(Path root, int tools) throws IOException {
    Path pkg = Files.createDirectories(root.resolve("node_modules/bench-pad"));
    Files.writeString(pkg.resolve("package.json"), "{\"name\": \"bench-pad\", \"version\": \"1.0.0\", \"main\": \"index.js\"}\n");
    Files.writeString(pkg.resolve("index.js"), "module.exports = (s, n) => String(s).padStart(n, '0');\n");
    Files.createDirectories(root.resolve("lib"));
    // not a function: an exported function would be a tool of its own
    Files.writeString(root.resolve("lib/shared.ts"), "export const PREFIX: string = \"tool \";\n");
    for (int i = 0; i < tools; i++) {
      Files.writeString(root.resolve("tool" + i + ".ts"), """
          import { defineTool } from "@toolhost/sdk";
          import pad from "bench-pad";
          import { PREFIX } from "./lib/shared.ts";
          interface Input { n: number }
          export default defineTool({
            name: "tool%d",
            description: PREFIX + %d,
            inputSchema: { type: "object", properties: { n: { type: "integer" } }, required: ["n"] },
            run: (input: Input) => ({ padded: pad(input.n, 8) }),
          });
          """.formatted(i, i));
    }
    return root;
  }
}
