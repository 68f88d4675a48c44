package dev.toolhost.transport.http;

import static dev.toolhost.testing.TestEngines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: the metrics took the tool label's values from the catalog the transport started
 * with, so calls of a tool a reload added were counted under {@code tool=""}.
 */
class ReloadedToolMetricsTest {
  @TempDir Path root;

  @Test
  void aToolAddedByAReloadIsCountedUnderItsName() throws Exception {
    Files.writeString(root.resolve("first.js"), "export function first() { return 1; }\n");
    try (HttpTestServer server = HttpTestServer.start(root, null, Map.of())) {
      Files.writeString(root.resolve("added.js"), "export function added() { return 2; }\n");
      await(server.engine.reload());
      assertEquals(200, server.invoke("added", new JsonObject()).statusCode());
      String text = server.get("/metrics").bodyAsString();
      assertTrue(text.contains("toolhost_invocations_total{tool=\"added\",runtime=\"graaljs\",outcome=\"success\"} 1\n"), text);
      assertTrue(!text.contains("{tool=\"\","), "no call was of an unknown tool: " + text);
    }
  }
}
