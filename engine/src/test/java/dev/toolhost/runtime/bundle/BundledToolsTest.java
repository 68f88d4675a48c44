package dev.toolhost.runtime.bundle;

import static dev.toolhost.testing.TestEngines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.api.Invocation;
import dev.toolhost.api.Json;
import dev.toolhost.api.ToolDescriptor;
import dev.toolhost.engine.ToolEngine;
import dev.toolhost.runtime.Toolchain;
import dev.toolhost.runtime.ToolSet;
import dev.toolhost.testing.TestEngines;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bundled tools through the engine, on each runtime: TypeScript and npm imports from the tools
 * root's own node_modules work, bundle errors are catalog errors naming file and line while the
 * other tools keep working, and without esbuild plain JavaScript still runs.
 */
@ExtendWith(VertxExtension.class)
class BundledToolsTest {
  @TempDir Path dir;
  private Path root;

  @BeforeEach
  void toolsRoot() throws IOException {
    root = Files.createDirectories(dir.resolve("tools"));
    Path pkg = Files.createDirectories(root.resolve("node_modules/toolhost-test-reverse"));
    Files.writeString(pkg.resolve("package.json"), "{\"name\": \"toolhost-test-reverse\", \"version\": \"1.0.0\", \"main\": \"index.js\"}\n");
    Files.writeString(pkg.resolve("index.js"), "module.exports = (s) => s.split('').reverse().join('');\n");
    Files.writeString(root.resolve("typed.ts"), """
        import { defineTool } from "@toolhost/sdk";
        import reverse from "toolhost-test-reverse";
        interface Input { text: string }
        export default defineTool({
          name: "reverse",
          inputSchema: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
          run: (input: Input): { text: string } => ({ text: reverse(input.text) }),
        });
        """);
    Files.writeString(root.resolve("plain.js"), "export function plain() { return { plain: true }; }\n");
    Files.writeString(root.resolve("syntax.ts"), "export const broken = (i: number => i;\n");
    Files.writeString(root.resolve("missing.ts"), "import pad from \"toolhost-test-not-installed\";\nexport const m = () => pad;\n");
  }

  private ToolEngine start(Vertx vertx, String runtime, String esbuild) {
    Map<String, String> flags = new HashMap<>(Map.of("runtime", runtime, "bundle.cacheDir", dir.resolve("cache").toString()));
    if (esbuild != null) flags.put("bundle.esbuild", esbuild);
    return TestEngines.start(vertx, TestEngines.config(root, null, flags));
  }

  private static Map<String, String> errors(ToolEngine engine) {
    return engine.catalog().errors().stream().collect(Collectors.toMap(ToolSet.LoadError::module, ToolSet.LoadError::message));
  }

  @ParameterizedTest
  @ValueSource(strings = {"graaljs", "node"})
  void typeScriptAndNpmImportsRunAndBundleErrorsAreCatalogErrors(String runtime, Vertx vertx) {
    Assumptions.assumeTrue(Toolchain.find("esbuild", null).isPresent(), "skipped: esbuild not found");
    if (runtime.equals("node")) TestEngines.assumeNode();
    ToolEngine engine = start(vertx, runtime, null);
    try {
      assertTrue(engine.bundling().usable(), engine.bundling().toString());
      assertEquals(List.of("plain", "reverse"),
          engine.catalog().tools().stream().map(ToolDescriptor::name).sorted().toList());
      assertEquals("typed.ts", engine.catalog().find("reverse").orElseThrow().module(), "catalog entries name the source");
      Map<String, String> errors = errors(engine);
      assertEquals(Set.of("syntax.ts", "missing.ts"), errors.keySet());
      assertTrue(errors.get("syntax.ts").contains("syntax.ts:1:33: Expected \")\" but found \"=>\""), errors.get("syntax.ts"));
      assertTrue(errors.get("missing.ts").contains("missing.ts:1:16: Could not resolve \"toolhost-test-not-installed\""),
          errors.get("missing.ts"));
      assertEquals(Json.MAPPER.createObjectNode().put("text", "olleh"),
          await(engine.invoke(Invocation.of("reverse", Json.MAPPER.createObjectNode().put("text", "hello")))).output());
      assertTrue(await(engine.invoke(Invocation.of("plain", null))).output().path("plain").asBoolean());
    } finally {
      await(engine.close());
    }
  }

  @Test
  void aBundledCommonJsToolRequiresNodeBuiltinsOnNode(Vertx vertx) throws IOException {
    Assumptions.assumeTrue(Toolchain.find("esbuild", null).isPresent(), "skipped: esbuild not found");
    TestEngines.assumeNode();
    Files.writeString(root.resolve("legacy.cjs"), "const os = require('node:os');\nmodule.exports = { eol: () => ({ eol: os.EOL }) };\n");
    ToolEngine engine = start(vertx, "node", null);
    try {
      assertEquals("\n", await(engine.invoke(Invocation.of("eol", null))).output().path("eol").asText());
    } finally {
      await(engine.close());
    }
  }

  @Test
  void withoutEsbuildPlainJavaScriptRunsAndTypeScriptAndNpmImportsSayEsbuildIsNeeded(Vertx vertx) throws IOException {
    Files.writeString(root.resolve("npm.js"), "import reverse from \"toolhost-test-reverse\";\nexport const npm = (i) => reverse(i.text);\n");
    String nowhere = dir.resolve("no/esbuild").toString();
    ToolEngine engine = start(vertx, "graaljs", nowhere);
    try {
      assertFalse(engine.bundling().usable());
      assertTrue(engine.bundling().detail().contains(nowhere), engine.bundling().detail());
      assertEquals(List.of("plain"), engine.catalog().tools().stream().map(ToolDescriptor::name).toList());
      Map<String, String> errors = errors(engine);
      for (String ts : List.of("typed.ts", "syntax.ts", "missing.ts")) {
        assertTrue(errors.get(ts).contains("esbuild was not found") && errors.get(ts).contains("TOOLHOST_ESBUILD_PATH"),
            ts + ": " + errors.get(ts));
      }
      assertTrue(errors.get("npm.js").contains("npm packages need esbuild, which the engine did not find"), errors.get("npm.js"));
      assertTrue(await(engine.invoke(Invocation.of("plain", null))).output().path("plain").asBoolean());
    } finally {
      await(engine.close());
    }
  }
}
