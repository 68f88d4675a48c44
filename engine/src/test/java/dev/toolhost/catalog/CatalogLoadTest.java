package dev.toolhost.catalog;

import static dev.toolhost.testing.TestEngines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.api.Invocation;
import dev.toolhost.api.ToolDescriptor;
import dev.toolhost.engine.ToolEngine;
import dev.toolhost.runtime.ToolSet;
import dev.toolhost.testing.TestEngines;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Loading a tools root through a worker: what loads, what fails and why, single-file roots. */
@ExtendWith(VertxExtension.class)
class CatalogLoadTest {

  @BeforeEach
  void node() {
    TestEngines.assumeNode();
  }

  @Test
  void brokenModulesAreReportedByFileAndTheRestStillLoads(Vertx vertx) {
    ToolEngine engine = TestEngines.start(vertx,
        TestEngines.config(TestEngines.testTools().resolve("broken"), null, Map.of("runtime", "node")));
    assertEquals(List.of("fine"), engine.catalog().tools().stream().map(ToolDescriptor::name).toList());
    List<ToolSet.LoadError> errors = engine.catalog().errors();
    assertEquals(List.of("bad_import.js", "syntax_error.js"), errors.stream().map(ToolSet.LoadError::module).sorted().toList());
    String badImport = errors.stream().filter(e -> e.module().equals("bad_import.js")).findFirst().orElseThrow().message();
    assertTrue(badImport.contains("toolhost-test-package-that-does-not-exist"), badImport);
    assertTrue(await(engine.invoke(Invocation.of("fine", null))).output().path("fine").asBoolean());
    await(engine.close());
  }

  @Test
  void aSingleFileIsATooolsRootAndResolvesTheSdkWithoutInstall(Vertx vertx, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("only.mjs");
    Files.writeString(file, """
        import { defineTool } from "@toolhost/sdk";
        export default defineTool({
          name: "only", description: "the one tool",
          inputSchema: { type: "object", properties: { n: { type: "integer" } }, required: ["n"] },
          run: ({ n }) => ({ doubled: n * 2 }),
        });
        """);
    Files.writeString(dir.resolve("other.js"), "export function other() { return 1 }\n");
    ToolEngine engine = TestEngines.start(vertx, TestEngines.config(file, null, Map.of("runtime", "node")));
    assertEquals(List.of("only"), engine.catalog().tools().stream().map(ToolDescriptor::name).toList());
    ToolDescriptor only = engine.catalog().find("only").orElseThrow();
    assertEquals("the one tool", only.description());
    assertEquals("integer", only.inputSchema().path("properties").path("n").path("type").asText());
    await(engine.close());
  }

  @Test
  void aMissingToolsRootFailsAtStartNamingTheKey(Vertx vertx, @TempDir Path dir) {
    RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () ->
        TestEngines.start(vertx, TestEngines.config(dir.resolve("nope"), null, Map.of("runtime", "node"))));
    assertTrue(e.getMessage().contains("'tools'") && e.getMessage().contains("nope"), e.getMessage());
  }
}
