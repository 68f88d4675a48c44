package dev.toolhost.transport.http;

import static dev.toolhost.testing.TestEngines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolhost.api.Invocation;
import dev.toolhost.api.Json;
import dev.toolhost.api.ToolException;
import dev.toolhost.transport.eventbus.EventBusTransport;
import dev.toolhost.transport.eventbus.ToolhostClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One table of invocations (the sample-tool cases of conformance.json) through every transport —
 * the engine itself, the event bus (Java client), HTTP and MCP over HTTP — and the same answer
 * from each: the same output, or the same error type and message.
 */
class TransportConformanceTest {
  private static HttpTestServer server;
  private static ToolhostClient bus;
  private static String mcpSession;

  @BeforeAll
  static void start() {
    server = HttpTestServer.sampleTools();
    await(EventBusTransport.register(server.vertx, server.engine));
    bus = new ToolhostClient(server.vertx);
    HttpResponse<Buffer> init = mcp(null, new JsonObject().put("jsonrpc", "2.0").put("id", 0).put("method", "initialize")
        .put("params", new JsonObject().put("protocolVersion", "2025-06-18").put("capabilities", new JsonObject())
            .put("clientInfo", new JsonObject().put("name", "conformance").put("version", "1"))));
    mcpSession = init.getHeader("mcp-session-id");
    mcp(mcpSession, new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/initialized"));
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  static Stream<Arguments> cases() throws IOException {
    JsonNode table;
    try (InputStream in = TransportConformanceTest.class.getResourceAsStream("/conformance.json")) {
      table = Json.MAPPER.readTree(in);
    }
    List<Arguments> all = new ArrayList<>();
    for (JsonNode c : table) {
      if (c.path("root").asText().equals("sample") && !c.has("timeoutMs")) {
        all.add(Arguments.of(c.path("tool").asText() + " " + c.path("input"), c));
      }
    }
    return all.stream();
  }

  /** What an answer comes to, whatever the transport: the output, or the error type and message. */
  private record Answer(JsonNode output, String errorType, String errorMessage) {
    static Answer of(JsonNode answerOrError) {
      JsonNode error = answerOrError.get("error");
      return error != null && error.isObject() && !answerOrError.has("output")
          ? new Answer(null, error.path("type").asText(), error.path("message").asText())
          : new Answer(answerOrError.get("output"), null, null);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyTransportGivesTheSameAnswer(String label, JsonNode c) throws Exception {
    String tool = c.path("tool").asText();
    JsonNode input = c.get("input");
    Answer direct = engine(tool, input);
    assertEquals(c.has("output") ? c.get("output") : null, direct.output(), "the engine itself");
    assertEquals(direct, eventBus(tool, input), "event bus");
    assertEquals(direct, http(tool, input), "HTTP");
    assertEquals(direct, mcpCall(tool, input), "MCP");
  }

  private static Answer engine(String tool, JsonNode input) throws InterruptedException {
    try {
      return Answer.of(server.engine.invoke(Invocation.of(tool, input)).toCompletionStage().toCompletableFuture().get().toJson());
    } catch (ExecutionException e) {
      return Answer.of(((ToolException) e.getCause()).toJson());
    }
  }

  private static Answer eventBus(String tool, JsonNode input) throws InterruptedException {
    try {
      return Answer.of(bus.invoke(Invocation.of(tool, input)).toCompletionStage().toCompletableFuture().get().toJson());
    } catch (ExecutionException e) {
      return Answer.of(((ToolException) e.getCause()).toJson());
    }
  }

  private static Answer http(String tool, JsonNode input) {
    HttpResponse<Buffer> response = server.post("/v1/tools/" + tool + "/invoke", "{\"input\":" + input + "}");
    return Answer.of(Json.parse(response.body().getBytes()));
  }

  private static Answer mcpCall(String tool, JsonNode input) {
    JsonObject call = new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "tools/call")
        .put("params", new JsonObject().put("name", tool).put("arguments", new JsonObject(input.toString())));
    JsonNode result = Json.parse(mcp(mcpSession, call).body().getBytes()).path("result");
    JsonNode text = Json.parse(result.path("content").path(0).path("text").asText().getBytes());
    if (result.path("isError").asBoolean(false)) return Answer.of(text);
    assertTrue(!result.has("structuredContent") || result.get("structuredContent").equals(text),
        "structuredContent and the text agree");
    return new Answer(text, null, null);
  }

  private static HttpResponse<Buffer> mcp(String session, JsonObject message) {
    var request = server.client.post("/mcp").putHeader("accept", "application/json, text/event-stream")
        .putHeader("content-type", "application/json");
    if (session != null) request.putHeader("mcp-session-id", session).putHeader("mcp-protocol-version", "2025-06-18");
    return await(request.sendBuffer(Buffer.buffer(message.encode())));
  }
}
