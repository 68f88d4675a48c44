package dev.toolhost.runtime.process;

import static dev.toolhost.testing.TestEngines.await;
import static dev.toolhost.testing.TestEngines.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolhost.api.InvalidInput;
import dev.toolhost.api.InvalidOutput;
import dev.toolhost.api.InvalidRequest;
import dev.toolhost.api.Invocation;
import dev.toolhost.api.Json;
import dev.toolhost.api.LogEntry;
import dev.toolhost.api.ToolException;
import dev.toolhost.api.ToolNotFound;
import dev.toolhost.api.ToolResult;
import dev.toolhost.engine.ToolEngine;
import dev.toolhost.testing.TestEngines;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Well-behaved tools on the Node runtime: answers, ctx, env isolation, logs and the JSON of outputs. */
class NodeInvocationTest {
  private static Vertx vertx;
  private static ToolEngine engine;

  @BeforeAll
  static void start() {
    TestEngines.assumeNode();
    vertx = Vertx.vertx();
    engine = TestEngines.start(vertx, TestEngines.config(TestEngines.testTools(), """
        toolOverrides:
          ctx_probe:
            config: { units: metric }
        """, Map.of("runtime", "node", "poolSize", "2")));
  }

  @AfterAll
  static void stop() {
    if (engine != null) await(engine.close());
    if (vertx != null) await(vertx.close());
  }

  private static ToolResult call(String tool, String input) throws Exception {
    return await(engine.invoke(Invocation.of(tool, Json.MAPPER.readTree(input))));
  }

  @Test
  void answersWithTheToolOutputAndHowItWasObtained() throws Exception {
    ToolResult result = call("add", "{\"a\": 2, \"b\": 3}");
    assertEquals(5, result.output().path("sum").asInt());
    assertEquals("node", result.runtime());
    assertEquals(1, result.attempts());
    assertNotNull(result.executionId());
    assertTrue(result.durationMs() > 0);
  }

  @Test
  void ctxCarriesEnvConfigIdsAndSignal() throws Exception {
    Invocation inv = new Invocation("ctx_probe", "exec-1", Json.MAPPER.createObjectNode(),
        Map.of("API_KEY", "secret"), null, null);
    JsonNode out = await(engine.invoke(inv)).output();
    assertEquals(Map.of("API_KEY", "secret"), Json.MAPPER.convertValue(out.get("env"), Map.class));
    assertEquals("metric", out.path("config").path("units").asText());
    assertEquals("ctx_probe", out.path("toolId").asText());
    assertEquals("exec-1", out.path("executionId").asText());
    assertTrue(out.path("hasSignal").asBoolean());
  }

  @Test
  void processEnvHoldsOnlyTheInvocationEnvAndIsResetPerCall() throws Exception {
    for (int i = 0; i < 4; i++) {  // more calls than workers: every worker is reused at least once
      Map<String, String> env = Map.of("ONLY_" + i, "v" + i);
      JsonNode out = await(engine.invoke(new Invocation("ctx_probe", null, null, env, null, null))).output();
      assertEquals(env, Json.MAPPER.convertValue(out.get("processEnv"), Map.class),
          "the engine's own environment (PATH, HOME...) and earlier calls' env must not leak");
    }
  }

  @Test
  void everyWayOfPrintingBecomesALogOfTheCall() throws Exception {
    ToolResult result = call("logger", "{}");
    assertTrue(result.output().path("ok").asBoolean());
    List<String> messages = result.logs().stream().map(LogEntry::message).map(String::strip).toList();
    assertEquals(List.of("one", "two", "three", "four"), messages);
    assertEquals("error", result.logs().get(2).level(), "console.error logs at error level");
  }

  @Test
  void junkOnStdoutNeverCorruptsAFrame() throws Exception {
    ToolResult result = call("junk_stdout", "{}");
    assertTrue(result.output().path("ok").asBoolean());
    assertTrue(result.logs().stream().anyMatch(l -> l.message().contains("\"type\":\"result\"")),
        "the fake frame the tool printed comes back as a log line");
    assertEquals(3, call("add", "{\"a\":1,\"b\":2}").output().path("sum").asInt());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "returns_undefined | null",
      "returns_null      | null",
      "returns_number    | 42",
      "returns_string    | \"hi\"",
      "returns_array     | [1,\"a\",null]"})
  void anyJsonValueIsAnOutput(String tool, String expected) throws Exception {
    assertEquals(Json.MAPPER.readTree(expected), call(tool, "{}").output());
  }

  @ParameterizedTest
  @CsvSource({"returns_bigint", "returns_cyclic", "returns_function"})
  void valuesThatAreNotJsonAreInvalidOutput(String tool) {
    ToolException e = failure(engine.invoke(Invocation.of(tool, null)));
    InvalidOutput error = assertInstanceOf(InvalidOutput.class, e.error());
    assertNotNull(error.details());
    assertEquals(1, e.attempts());
  }

  @Test
  void commonJsModulesAndDefaultExportMapsContributeTools() throws Exception {
    assertTrue(call("legacy_cjs", "{\"x\":1}").output().path("cjs").asBoolean());
    assertTrue(call("mapped_b", "{}").output().path("b").asBoolean());
    assertTrue(engine.catalog().find("mapped_a").isPresent());
  }

  @Test
  void inputFailingTheSchemaNamesEachViolationByJsonPointer() {
    ToolException e = failure(engine.invoke(Invocation.of("add", Json.MAPPER.createObjectNode().put("a", "x"))));
    InvalidInput error = assertInstanceOf(InvalidInput.class, e.error());
    List<String> pointers = error.violations().stream().map(InvalidInput.Violation::pointer).toList();
    assertEquals(List.of("/a", "/b"), pointers);
    assertEquals(0, e.attempts(), "nothing ran");
  }

  @Test
  void unknownToolListsTheNearestNames() {
    ToolException e = failure(engine.invoke(Invocation.of("ad", null)));
    ToolNotFound error = assertInstanceOf(ToolNotFound.class, e.error());
    assertTrue(error.known().contains("add"), "known: " + error.known());
  }

  @Test
  void forbiddenEnvKeysNeverReachAWorker() {
    ToolException e = failure(engine.invoke(new Invocation("echo", null, null,
        Map.of("LD_PRELOAD", "/tmp/evil.so"), null, null)));
    InvalidRequest error = assertInstanceOf(InvalidRequest.class, e.error());
    assertTrue(error.details().contains("LD_PRELOAD"));
    assertFalse(e.retryable());
  }
}
