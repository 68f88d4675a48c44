package dev.toolhost.transport.http;

import static dev.toolhost.testing.TestEngines.await;
import static dev.toolhost.transport.http.HttpTestServer.error;
import static dev.toolhost.transport.http.HttpTestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.testing.TestEngines;
import dev.toolhost.transport.eventbus.EventBusTransport;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** POST /v1/tools/{id}/invoke and /v1/executions/{id}/cancel: the event bus's answers, with DESIGN.md's statuses. */
class HttpInvokeTest {
  private static HttpTestServer server;

  @BeforeAll
  static void start() {
    server = HttpTestServer.sampleTools();
    await(EventBusTransport.register(server.vertx, server.engine));
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  private static JsonObject greetAda() {
    return new JsonObject().put("input", new JsonObject().put("name", "Ada"));
  }

  @Test
  void aSuccessIs200WithTheAnswerJson() {
    HttpResponse<Buffer> response = server.invoke("greet", greetAda().put("executionId", "http-ok"));
    assertEquals(200, response.statusCode());
    assertEquals("application/json", response.getHeader("content-type"));
    JsonObject answer = json(response);
    assertEquals("Hello, Ada!", answer.getJsonObject("output").getString("message"));
    assertEquals("http-ok", answer.getString("executionId"));
    assertEquals("greet", answer.getString("tool"));
    assertEquals("graaljs", answer.getString("runtime"));
    assertEquals(1, answer.getInteger("attempts"));
  }

  @Test
  void theAnswerHasTheSameFieldsAsTheEventBusAnswer() {
    JsonObject overHttp = json(server.invoke("greet", greetAda().put("executionId", "same-http")));
    JsonObject onTheBus = await(server.vertx.eventBus().<JsonObject>request(EventBusTransport.INVOKE,
        greetAda().put("tool", "greet").put("executionId", "same-bus"))).body();
    assertEquals(onTheBus.fieldNames(), overHttp.fieldNames());
    for (String field : List.of("tool", "runtime", "output", "attempts", "logs")) {
      assertEquals(onTheBus.getValue(field), overHttp.getValue(field), field);
    }
  }

  @Test
  void envTimeoutAndRuntimeFieldsReachTheEngine() {
    TestEngines.assumeNode();
    HttpResponse<Buffer> response = server.invoke("greet", greetAda().put("runtime", "node").put("timeoutMs", 1000));
    assertEquals(200, response.statusCode());
    assertEquals("node", json(response).getString("runtime"), "the server's default runtime is graaljs");
  }

  @Test
  void inputThatFailsTheSchemaIs400WithViolations() {
    HttpResponse<Buffer> response = server.invoke("greet", new JsonObject().put("input", new JsonObject()));
    assertEquals(400, response.statusCode());
    JsonObject error = error(response);
    assertEquals("INVALID_INPUT", error.getString("type"));
    assertEquals("/name", error.getJsonArray("violations").getJsonObject(0).getString("pointer"));
  }

  @Test
  void aToolErrorIs422WithItsCode() {
    HttpResponse<Buffer> response = server.invoke("lookup_user", new JsonObject().put("input", new JsonObject().put("id", "nobody")));
    assertEquals(422, response.statusCode());
    JsonObject error = error(response);
    assertEquals("TOOL_ERROR", error.getString("type"));
    assertEquals("NOT_FOUND", error.getString("code"));
    assertEquals("lookup_user", error.getString("tool"));
  }

  @Test
  void aDeadlinePassedIs504() {
    HttpResponse<Buffer> response = server.invoke("slow",
        new JsonObject().put("input", new JsonObject().put("ms", 10_000)).put("timeoutMs", 200));
    assertEquals(504, response.statusCode());
    JsonObject error = error(response);
    assertEquals("TIMEOUT", error.getString("type"));
    assertEquals(200, error.getInteger("timeoutMs"));
  }

  @Test
  void anUnknownToolIs404() {
    HttpResponse<Buffer> response = server.invoke("gret", greetAda());
    assertEquals(404, response.statusCode());
    assertEquals("TOOL_NOT_FOUND", error(response).getString("type"));
    assertTrue(error(response).getJsonArray("known").contains("greet"));
  }

  @Test
  void aBodyNamingAnotherToolIs400() {
    HttpResponse<Buffer> response = server.invoke("greet", greetAda().put("tool", "shout"));
    assertEquals(400, response.statusCode());
    JsonObject error = error(response);
    assertEquals("INVALID_REQUEST", error.getString("type"));
    assertEquals("greet", error.getString("tool"));
  }

  @Test
  void aBadFieldIs400NamingIt() {
    HttpResponse<Buffer> response = server.invoke("greet", greetAda().put("timeoutMs", "soon"));
    assertEquals(400, response.statusCode());
    assertEquals("INVALID_REQUEST", error(response).getString("type"));
    assertEquals("field: timeoutMs", error(response).getString("details"));
  }

  @Test
  void anEmptyBodyIsAnEmptyRequest() {
    HttpResponse<Buffer> response = await(server.client.post("/v1/tools/shout/invoke").send());
    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals("UNDEFINED", json(response).getJsonObject("output").getString("text"));
  }

  @Test
  void cancelStopsACallInFlightWhichAnswers499() {
    Future<HttpResponse<Buffer>> call = server.client.post("/v1/tools/slow/invoke")
        .sendJsonObject(new JsonObject().put("executionId", "http-cancel").put("input", new JsonObject().put("ms", 60_000)));
    long deadline = System.nanoTime() + 20_000_000_000L;
    boolean cancelled = false;
    while (!cancelled && System.nanoTime() < deadline) {
      HttpResponse<Buffer> reply = server.post("/v1/executions/http-cancel/cancel", "");
      assertEquals(200, reply.statusCode());
      cancelled = json(reply).getBoolean("cancelled");
    }
    assertTrue(cancelled, "the call was cancelled once it was running");
    HttpResponse<Buffer> response = await(call);
    assertEquals(499, response.statusCode());
    assertEquals("CANCELLED", error(response).getString("type"));
    assertEquals("http-cancel", error(response).getString("executionId"));
  }

  @Test
  void cancellingNothingRunningAnswersFalse() {
    HttpResponse<Buffer> reply = server.post("/v1/executions/no-such-call/cancel", "");
    assertEquals(200, reply.statusCode());
    assertFalse(json(reply).getBoolean("cancelled"));
  }
}
