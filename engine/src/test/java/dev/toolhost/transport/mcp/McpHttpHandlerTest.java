package dev.toolhost.transport.mcp;

import static dev.toolhost.testing.TestEngines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolhost.api.Json;
import dev.toolhost.engine.ToolEngine;
import dev.toolhost.testing.TestEngines;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Streamable HTTP at /mcp on a loopback server: sessions, status codes, origin and version checks, and the protocol through it. */
class McpHttpHandlerTest {
  private static final String INITIALIZE =
      "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{}}}";
  private static Vertx vertx;
  private static ToolEngine engine;
  private static HttpServer server;
  private static McpHttpHandler handler;
  private static WebClient client;
  /** Execution ids of the calls of {@code slow} the engine has started. */
  private static final BlockingQueue<String> started = new LinkedBlockingQueue<>();
  private String session;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    engine = TestEngines.start(vertx, TestEngines.config(TestEngines.sampleTools(), null, Map.of("runtime", "graaljs")));
    engine.addListener(event -> {
      if (event.kind().equals("started") && event.tool().equals("slow")) started.add(event.executionId());
    });
    Router router = Router.router(vertx);
    handler = McpHttpHandler.mount(router, engine);
    server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    client = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() {
    if (client != null) client.close();
    if (server != null) await(server.close());
    if (handler != null) handler.close();
    if (engine != null) await(engine.close());
    if (vertx != null) await(vertx.close());
  }

  @BeforeEach
  void initialize() {
    HttpResponse<Buffer> response = post(null, INITIALIZE);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    session = response.getHeader("Mcp-Session-Id");
    assertNotNull(session, "initialize answers the session id");
    assertTrue(session.chars().allMatch(c -> c >= 0x21 && c <= 0x7E), session);
    assertEquals(202, post(session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").statusCode());
  }

  @AfterEach
  void serverStillServes() {
    HttpResponse<Buffer> response = post(null, INITIALIZE);
    assertEquals(200, response.statusCode());
    assertEquals(200, post(response.getHeader("Mcp-Session-Id"), "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}").statusCode());
  }

  private static HttpResponse<Buffer> send(HttpMethod method, MultiMap headers, String body) {
    var request = client.request(method, server.actualPort(), "127.0.0.1", McpHttpHandler.PATH).putHeaders(headers);
    return await(body == null ? request.send() : request.sendBuffer(Buffer.buffer(body)));
  }

  private static MultiMap headers(String session) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add("Content-Type", "application/json")
        .add("Accept", "application/json, text/event-stream");
    if (session != null) headers.add("Mcp-Session-Id", session).add("MCP-Protocol-Version", "2025-06-18");
    return headers;
  }

  private static HttpResponse<Buffer> post(String session, String body) {
    return send(HttpMethod.POST, headers(session), body);
  }

  private static JsonNode json(HttpResponse<Buffer> response) throws Exception {
    assertEquals("application/json", response.getHeader("Content-Type"));
    return Json.MAPPER.readTree(response.bodyAsString());
  }

  @Test
  void initializeNegotiatesAndToolsListAndCallWorkInTheSession() throws Exception {
    assertTrue(handler.sessionCount() >= 1);
    JsonNode tools = json(post(session, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}")).path("result").path("tools");
    assertTrue(tools.size() > 5, tools.toString());
    HttpResponse<Buffer> call = post(session,
        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"greet\",\"arguments\":{\"name\":\"Ada\"}}}");
    assertEquals(200, call.statusCode());
    JsonNode answer = json(call);
    assertEquals(2, answer.path("id").asInt());
    assertEquals("Hello, Ada!", answer.path("result").path("structuredContent").path("message").asText());
  }

  @Test
  void aToolErrorIsA200WithAnIsErrorResult() throws Exception {
    JsonNode result = json(post(session,
        "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"lookup_user\",\"arguments\":{\"id\":\"zz\"}}}"))
        .path("result");
    assertTrue(result.path("isError").asBoolean());
    assertTrue(result.path("content").path(0).path("text").asText().contains("\"TOOL_ERROR\""));
  }

  @Test
  void anUnknownToolIsAJsonRpcErrorInA200AndTheSessionGoesOn() throws Exception {
    HttpResponse<Buffer> response = post(session,
        "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"gret\",\"arguments\":{}}}");
    assertEquals(200, response.statusCode());
    JsonNode answer = json(response);
    assertEquals(-32602, answer.path("error").path("code").asInt());
    assertEquals(4, answer.path("id").asInt());
    assertEquals(200, post(session, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}").statusCode());
  }

  @Test
  void aBadEnvelopeIs400WithInvalidRequestAndTheSessionGoesOn() throws Exception {
    HttpResponse<Buffer> response = post(session, "{\"jsonrpc\":\"1.0\",\"id\":6,\"method\":\"ping\"}");
    assertEquals(400, response.statusCode());
    JsonNode answer = json(response);
    assertEquals(-32600, answer.path("error").path("code").asInt());
    assertEquals(6, answer.path("id").asInt());
    HttpResponse<Buffer> batch = post(session, "[{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}]");
    assertEquals(400, batch.statusCode());
    assertEquals(-32600, json(batch).path("error").path("code").asInt());
    assertEquals(200, post(session, "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"ping\"}").statusCode());
  }

  @ParameterizedTest
  @ValueSource(strings = {"{not json", ""})
  void aBodyThatIsNotJsonIs400WithParseError(String body) throws Exception {
    HttpResponse<Buffer> response = post(session, body);
    assertEquals(400, response.statusCode());
    JsonNode answer = json(response);
    assertEquals(-32700, answer.path("error").path("code").asInt());
    assertTrue(answer.path("id").isNull());
  }

  @Test
  void anUnknownMethodIsMethodNotFound() throws Exception {
    assertEquals(-32601, json(post(session, "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"prompts/list\"}"))
        .path("error").path("code").asInt());
  }

  @Test
  void withoutTheSessionHeader400WithAnUnknownOne404() throws Exception {
    HttpResponse<Buffer> missing = post(null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
    assertEquals(400, missing.statusCode());
    assertTrue(json(missing).path("error").path("message").asText().contains("Mcp-Session-Id"));
    HttpResponse<Buffer> unknown = post("no-such-session", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
    assertEquals(404, unknown.statusCode());
    assertEquals(1, json(unknown).path("id").asInt());
  }

  @Test
  void deleteEndsTheSessionAndItIs404Afterwards() {
    assertEquals(204, send(HttpMethod.DELETE, headers(session), null).statusCode());
    assertEquals(404, post(session, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}").statusCode());
    assertEquals(404, send(HttpMethod.DELETE, headers(session), null).statusCode());
    assertEquals(400, send(HttpMethod.DELETE, headers(null), null).statusCode());
  }

  @Test
  void getAndOtherMethodsAre405() {
    MultiMap sse = headers(session).set("Accept", "text/event-stream");
    HttpResponse<Buffer> get = send(HttpMethod.GET, sse, null);
    assertEquals(405, get.statusCode());
    assertEquals("POST, DELETE", get.getHeader("Allow"));
    assertEquals(405, send(HttpMethod.PUT, headers(session), "{}").statusCode());
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://evil.example", "http://localhost.evil.example:8080", "null", "http://127.0.0.2:1"})
  void aForeignOriginIs403(String origin) {
    HttpResponse<Buffer> response = send(HttpMethod.POST, headers(session).add("Origin", origin),
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}");
    assertEquals(403, response.statusCode(), origin);
    assertEquals(403, send(HttpMethod.POST, headers(null).add("Origin", origin), INITIALIZE).statusCode());
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://localhost:6274", "http://127.0.0.1", "https://[::1]:8443"})
  void aLoopbackOriginIsServed(String origin) {
    assertEquals(200, send(HttpMethod.POST, headers(session).add("Origin", origin),
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}").statusCode());
  }

  @Test
  void anAllowedOriginIsServedByAHandlerConfiguredForIt() {
    Router router = Router.router(vertx);
    McpHttpHandler.mount(router, "/mcp", new McpHttpHandler(engine, Set.of("https://app.example.com")));
    HttpServer other = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    try {
      var response = await(client.post(other.actualPort(), "127.0.0.1", "/mcp")
          .putHeaders(headers(null).add("Origin", "https://app.example.com")).sendBuffer(Buffer.buffer(INITIALIZE)));
      assertEquals(200, response.statusCode());
    } finally {
      await(other.close());
    }
  }

  @Test
  void anUnsupportedProtocolVersionHeaderIs400() throws Exception {
    HttpResponse<Buffer> response = send(HttpMethod.POST, headers(session).set("MCP-Protocol-Version", "1900-01-01"),
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}");
    assertEquals(400, response.statusCode());
    assertTrue(json(response).path("error").path("message").asText().contains("1900-01-01"));
    HttpResponse<Buffer> initialize = send(HttpMethod.POST, headers(null).add("MCP-Protocol-Version", "2025-11-25"),
        INITIALIZE.replace("2025-06-18", "2025-11-25"));
    assertEquals(200, initialize.statusCode(), "initialize negotiates in its body, whatever the header says");
    assertEquals("2025-06-18", json(initialize).path("result").path("protocolVersion").asText());
    MultiMap noVersion = headers(session);
    noVersion.remove("MCP-Protocol-Version");
    assertEquals(200, send(HttpMethod.POST, noVersion, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}").statusCode());
  }

  @Test
  void aNonJsonContentTypeIs415AndAnAcceptWithoutJson406() {
    assertEquals(415, send(HttpMethod.POST, headers(session).set("Content-Type", "text/plain"),
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}").statusCode());
    assertEquals(406, send(HttpMethod.POST, headers(session).set("Accept", "text/html"),
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}").statusCode());
    assertEquals(200, send(HttpMethod.POST, headers(session).set("Content-Type", "application/json; charset=utf-8"),
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}").statusCode());
  }

  @Test
  void aBodyOverTheLimitIs413() throws Exception {
    String big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\""
        + "x".repeat((int) McpHttpHandler.MAX_BODY_BYTES) + "\"}}";
    HttpResponse<Buffer> response = post(session, big);
    assertEquals(413, response.statusCode());
    assertEquals(-32600, json(response).path("error").path("code").asInt());
  }

  /** Posts a 60 s call of {@code slow} and returns once the engine has started it. */
  private Future<HttpResponse<Buffer>> slowCallInFlight(String id) throws InterruptedException {
    started.clear();
    Future<HttpResponse<Buffer>> slow = client.post(server.actualPort(), "127.0.0.1", McpHttpHandler.PATH)
        .putHeaders(headers(session)).sendBuffer(Buffer.buffer("{\"jsonrpc\":\"2.0\",\"id\":\"" + id
            + "\",\"method\":\"tools/call\",\"params\":{\"name\":\"slow\",\"arguments\":{\"ms\":60000}}}"));
    assertNotNull(started.poll(30, TimeUnit.SECONDS), "the call did not start");
    return slow;
  }

  @Test
  void aCancelledCallEndsWith202AndNoAnswer() throws Exception {
    Future<HttpResponse<Buffer>> slow = slowCallInFlight("s");
    long start = System.nanoTime();
    assertEquals(202, post(session,
        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":\"s\"}}").statusCode());
    HttpResponse<Buffer> response = await(slow);
    assertEquals(202, response.statusCode());
    assertNull(response.body());
    assertTrue((System.nanoTime() - start) / 1e9 < 30, "the call was not stopped");
  }

  @Test
  void deletingASessionCancelsItsCalls() throws Exception {
    Future<HttpResponse<Buffer>> slow = slowCallInFlight("d");
    long start = System.nanoTime();
    assertEquals(204, send(HttpMethod.DELETE, headers(session), null).statusCode());
    assertEquals(202, await(slow).statusCode());
    assertTrue((System.nanoTime() - start) / 1e9 < 30, "the call was not stopped");
  }
}
