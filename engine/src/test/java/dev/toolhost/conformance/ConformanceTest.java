package dev.toolhost.conformance;

import static dev.toolhost.testing.TestEngines.await;
import static dev.toolhost.testing.TestEngines.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolhost.api.Invocation;
import dev.toolhost.api.Json;
import dev.toolhost.api.ToolException;
import dev.toolhost.api.ToolResult;
import dev.toolhost.engine.ToolEngine;
import dev.toolhost.runtime.docker.DockerAssumptions;
import dev.toolhost.testing.TestEngines;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One table of tools and expected answers (conformance.json), run on every runtime: the same
 * tool file must give the same answer everywhere. An expected error lists only the fields that
 * do not depend on the engine (type, message, name, code...), never stacks or ids.
 */
class ConformanceTest {
  static final List<String> RUNTIMES = List.of("graaljs", "node", "bun", "docker");
  private static final Vertx VERTX = Vertx.vertx();
  private static final Map<String, ToolEngine> ENGINES = new ConcurrentHashMap<>();

  static Stream<Arguments> cases() throws IOException {
    JsonNode table;
    try (InputStream in = ConformanceTest.class.getResourceAsStream("/conformance.json")) {
      table = Json.MAPPER.readTree(in);
    }
    List<Arguments> all = new ArrayList<>();
    for (String runtime : RUNTIMES) {
      for (JsonNode c : table) {
        all.add(Arguments.of(runtime, c.path("tool").asText() + " " + c.path("input"), c));
      }
    }
    return all.stream();
  }

  @AfterAll
  static void stop() {
    ENGINES.values().forEach(e -> await(e.close()));
    await(VERTX.close());
  }

  private static ToolEngine engine(String runtime, String root) {
    return ENGINES.computeIfAbsent(runtime + "/" + root, key -> {
      Path tools = root.equals("sample") ? TestEngines.sampleTools() : TestEngines.testTools();
      Map<String, String> flags = new HashMap<>(
          Map.of("runtime", runtime, "outputLimit", "1MiB", "poolSize", "2", "docker.image", DockerAssumptions.IMAGE));
      if (runtime.equals("bun")) flags.putAll(TestEngines.BUN_BEST_EFFORT);  // see there: bun cannot hold subprocess: false
      return TestEngines.start(VERTX, TestEngines.config(tools, null, flags));
    });
  }

  @ParameterizedTest(name = "[{0}] {1}")
  @MethodSource("cases")
  void sameAnswerOnEveryRuntime(String runtime, String label, JsonNode c) {
    if (runtime.equals("node")) TestEngines.assumeNode();
    if (runtime.equals("bun")) TestEngines.assumeBun();
    if (runtime.equals("docker")) DockerAssumptions.assumeDocker();
    Invocation inv = Invocation.of(c.path("tool").asText(), c.get("input"));
    if (c.has("timeoutMs")) inv = inv.withTimeout(Duration.ofMillis(c.path("timeoutMs").asLong()));
    ToolEngine engine = engine(runtime, c.path("root").asText());
    if (c.has("output")) {
      ToolResult result = await(engine.invoke(inv));
      assertEquals(c.get("output"), result.output());
      assertEquals(runtime, result.runtime());
    } else {
      ToolException e = failure(engine.invoke(inv));
      JsonNode actual = e.toJson().get("error");
      ObjectNode picked = Json.MAPPER.createObjectNode();
      for (Iterator<String> it = c.get("error").fieldNames(); it.hasNext(); ) {
        String field = it.next();
        picked.set(field, actual.get(field));
      }
      // compared as text: the table's 1048576 is an int node, the engine's a long node
      assertEquals(c.get("error").toString(), picked.toString(), "full error: " + actual);
    }
  }
}
