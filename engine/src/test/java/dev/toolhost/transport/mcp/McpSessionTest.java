package dev.toolhost.transport.mcp;

import static dev.toolhost.testing.TestEngines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolhost.api.Json;
import dev.toolhost.engine.ToolEngine;
import dev.toolhost.testing.TestEngines;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The MCP protocol, transport aside: one JSON-RPC message in, its answer (or none) out, on the sample tools. */
class McpSessionTest {
  private static Vertx vertx;
  private static ToolEngine engine;
  private McpSession session;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    engine = TestEngines.start(vertx, TestEngines.config(TestEngines.sampleTools(), null, Map.of("runtime", "graaljs")));
  }

  @AfterAll
  static void stop() {
    if (engine != null) await(engine.close());
    if (vertx != null) await(vertx.close());
  }

  @BeforeEach
  void open() {
    session = new McpSession(engine);
  }

  @AfterEach
  void sessionStillServes() {
    JsonNode pong = send("{\"jsonrpc\":\"2.0\",\"id\":\"after\",\"method\":\"ping\"}");
    assertEquals("after", pong.path("id").asText());
    assertTrue(pong.path("result").isObject(), pong.toString());
  }

  private JsonNode send(String message) {
    return await(session.handle(message.getBytes(StandardCharsets.UTF_8)));
  }

  private JsonNode call(Object id, String tool, String arguments) {
    return send("{\"jsonrpc\":\"2.0\",\"id\":" + Json.MAPPER.valueToTree(id) + ",\"method\":\"tools/call\",\"params\":{\"name\":\""
        + tool + "\",\"arguments\":" + arguments + "}}");
  }

  private static void assertError(int code, JsonNode answer) {
    assertEquals("2.0", answer.path("jsonrpc").asText());
    assertEquals(code, answer.path("error").path("code").asInt(), answer.toString());
    assertFalse(answer.has("result"), answer.toString());
  }

  @Test
  void initializeAnswersTheClientsVersionWhenSupportedWithToolsCapabilityAndServerInfo() {
    JsonNode answer = send("""
        {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-03-26",
         "capabilities":{},"clientInfo":{"name":"test","version":"1"}}}""");
    assertEquals(1, answer.path("id").asInt());
    JsonNode result = answer.path("result");
    assertEquals("2025-03-26", result.path("protocolVersion").asText());
    assertFalse(result.path("capabilities").path("tools").path("listChanged").asBoolean(true));
    assertEquals("toolhost", result.path("serverInfo").path("name").asText());
    assertFalse(result.path("serverInfo").path("version").asText().isEmpty());
    assertEquals("2025-03-26", session.protocolVersion());
  }

  @ParameterizedTest
  @ValueSource(strings = {"2025-11-25", "1999-01-01", "latest"})
  void initializeAnswersTheNewestVersionWhenTheClientsIsUnknown(String version) {
    JsonNode answer = send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\""
        + version + "\",\"capabilities\":{}}}");
    assertEquals("2025-06-18", answer.path("result").path("protocolVersion").asText());
  }

  @Test
  void initializeWithoutAProtocolVersionIsInvalidParams() {
    assertError(-32602, send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}"));
  }

  @Test
  void pingAnswersAnEmptyResult() {
    JsonNode answer = send("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}");
    assertEquals(7, answer.path("id").asInt());
    assertTrue(answer.path("result").isEmpty());
  }

  @Test
  void notificationsAndResponsesGetNoAnswer() {
    assertNull(send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"));
    assertNull(send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/some_future_thing\",\"params\":{}}"));
    assertNull(send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":404}}"));
    assertNull(send("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}"));
    assertNull(send("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32601,\"message\":\"no\"}}"));
  }

  @Test
  void toolsListGivesEveryToolWithAnObjectInputSchemaAndOutputSchemas() {
    send("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\"}}");
    JsonNode tools = send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}").path("result").path("tools");
    assertEquals(engine.catalog().tools().size(), tools.size());
    JsonNode greet = find(tools, "greet");
    assertEquals("Greets someone by name.", greet.path("description").asText());
    assertEquals("object", greet.path("inputSchema").path("type").asText());
    assertEquals("name", greet.path("inputSchema").path("required").path(0).asText());
    assertEquals("string", greet.path("outputSchema").path("properties").path("message").path("type").asText());
    JsonNode shout = find(tools, "shout");  // a plain function: no schema of its own
    assertEquals(Json.MAPPER.createObjectNode().put("type", "object"), shout.path("inputSchema"));
    assertFalse(shout.has("outputSchema"));
    for (JsonNode tool : tools) assertEquals("object", tool.path("inputSchema").path("type").asText(), tool.toString());
  }

  @Test
  void beforeStructuredContentExistedToolsHaveNoOutputSchema() {
    send("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-03-26\"}}");
    JsonNode greet = find(send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}").path("result").path("tools"), "greet");
    assertFalse(greet.has("outputSchema"));
    JsonNode result = call(2, "greet", "{\"name\":\"Ada\"}").path("result");
    assertFalse(result.has("structuredContent"));
    assertEquals("{\"message\":\"Hello, Ada!\"}", result.path("content").path(0).path("text").asText());
  }

  private static JsonNode find(JsonNode tools, String name) {
    for (JsonNode tool : tools) if (tool.path("name").asText().equals(name)) return tool;
    throw new AssertionError("no tool " + name + " in " + tools);
  }

  @Test
  void aSuccessfulCallAnswersTheOutputAsTextAndAsStructuredContent() throws Exception {
    JsonNode answer = call("call-1", "greet", "{\"name\":\"Ada\"}");
    assertEquals("call-1", answer.path("id").asText());
    JsonNode result = answer.path("result");
    assertFalse(result.path("isError").asBoolean(false));
    JsonNode text = result.path("content").path(0);
    assertEquals("text", text.path("type").asText());
    assertEquals(Json.MAPPER.readTree("{\"message\":\"Hello, Ada!\"}"), Json.MAPPER.readTree(text.path("text").asText()));
    assertEquals("Hello, Ada!", result.path("structuredContent").path("message").asText());
    assertEquals("graaljs", result.path("_meta").path("dev.toolhost/runtime").asText());
    assertFalse(result.path("_meta").path("dev.toolhost/executionId").asText().isEmpty());
  }

  @Test
  void aCallWithoutArgumentsGetsAnEmptyObject() {
    JsonNode result = send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo_env\"}}")
        .path("result");
    assertFalse(result.path("isError").asBoolean(false), result.toString());
    assertTrue(result.path("structuredContent").path("env").isEmpty(), result.toString());
  }

  @Test
  void aToolErrorIsAResultWithIsErrorAndTheErrorJsonAsText() throws Exception {
    JsonNode result = call(2, "lookup_user", "{\"id\":\"nobody\"}").path("result");
    assertTrue(result.path("isError").asBoolean(), result.toString());
    assertFalse(result.has("structuredContent"));
    JsonNode error = Json.MAPPER.readTree(result.path("content").path(0).path("text").asText()).path("error");
    assertEquals("TOOL_ERROR", error.path("type").asText());
    assertEquals("NOT_FOUND", error.path("code").asText());
    assertEquals("lookup_user", error.path("tool").asText());
  }

  @Test
  void inputFailingTheSchemaIsAnIsErrorResultNamingTheViolation() throws Exception {
    JsonNode result = call(3, "greet", "{}").path("result");
    assertTrue(result.path("isError").asBoolean(), result.toString());
    JsonNode error = Json.MAPPER.readTree(result.path("content").path(0).path("text").asText()).path("error");
    assertEquals("INVALID_INPUT", error.path("type").asText());
    assertEquals("/name", error.path("violations").path(0).path("pointer").asText());
  }

  @Test
  void anUnknownToolIsInvalidParamsNamingItAndTheNearestNames() {
    JsonNode answer = call(4, "gret", "{}");
    assertError(-32602, answer);
    assertEquals(4, answer.path("id").asInt());
    assertTrue(answer.path("error").path("message").asText().contains("'gret'"), answer.toString());
    assertEquals("greet", answer.path("error").path("data").path("known").path(0).asText());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\"}",
      "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":7}}",
      "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"greet\",\"arguments\":[1]}}",
      "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":[\"greet\"]}",
      "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/list\",\"params\":[]}",
  })
  void badParamsAreInvalidParams(String message) {
    JsonNode answer = send(message);
    assertError(-32602, answer);
    assertEquals(5, answer.path("id").asInt());
  }

  @Test
  void anUnknownMethodIsMethodNotFound() {
    JsonNode answer = send("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"resources/list\"}");
    assertError(-32601, answer);
    assertEquals(6, answer.path("id").asInt());
    assertTrue(answer.path("error").path("message").asText().contains("resources/list"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // the envelope | the id the error answers (empty: null)
      "\"tools/list\"|",
      "42|",
      "[]|",
      "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]|",
      "{\"id\":1,\"method\":\"ping\"}|1",
      "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}|1",
      "{\"jsonrpc\":2.0,\"id\":\"a\",\"method\":\"ping\"}|a",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}|1",
      "{\"jsonrpc\":\"2.0\",\"id\":1}|1",
      "{\"jsonrpc\":\"2.0\",\"id\":{\"x\":1},\"method\":\"ping\"}|",
      "{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"ping\"}|",
      "{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"ping\"}|",
      "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}|",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":\"x\"}|1",
      "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\",\"params\":3}|",
  })
  void aBadEnvelopeIsInvalidRequest(String message, String id) {
    JsonNode answer = send(message);
    assertError(-32600, answer);
    if (id == null) {
      assertTrue(answer.path("id").isNull(), answer.toString());
    } else {
      assertEquals(id, answer.path("id").asText());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"jsonrpc\":\"2.0\",", "not json", "", "{} {}"})
  void textThatIsNotOneJsonValueIsAParseError(String message) {
    JsonNode answer = send(message);
    assertError(-32700, answer);
    assertTrue(answer.path("id").isNull());
  }

  @Test
  void cancellingACallStopsItAndItGetsNoAnswer() {
    long start = System.nanoTime();
    Future<JsonNode> slow = session.handle(Json.MAPPER.createObjectNode().put("jsonrpc", "2.0").put("id", 9)
        .put("method", "tools/call").set("params", Json.MAPPER.createObjectNode().put("name", "slow")
            .set("arguments", Json.MAPPER.createObjectNode().put("ms", 60_000))));
    assertTrue(session.busy());
    assertNull(send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":9,\"reason\":\"test\"}}"));
    assertNull(await(slow));
    assertTrue((System.nanoTime() - start) / 1e9 < 30, "the call was not stopped");
    assertFalse(session.busy());
  }

  @Test
  void closingTheSessionCancelsItsCalls() {
    List<Future<JsonNode>> calls = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      calls.add(session.handle(Json.MAPPER.createObjectNode().put("jsonrpc", "2.0").put("id", i)
          .put("method", "tools/call").set("params", Json.MAPPER.createObjectNode().put("name", "slow")
              .set("arguments", Json.MAPPER.createObjectNode().put("ms", 60_000)))));
    }
    session.close();
    for (Future<JsonNode> call : calls) assertNull(await(call));
  }

  @Test
  void aRequestIdAlreadyInFlightIsRefusedAndTheFirstCallGoesOn() {
    Future<JsonNode> first = session.handle(Json.MAPPER.createObjectNode().put("jsonrpc", "2.0").put("id", "dup")
        .put("method", "tools/call").set("params", Json.MAPPER.createObjectNode().put("name", "slow")
            .set("arguments", Json.MAPPER.createObjectNode().put("ms", 300))));
    assertError(-32600, call("dup", "greet", "{\"name\":\"x\"}"));
    assertEquals(300, await(first).path("result").path("structuredContent").path("sleptMs").asInt());
  }
}
