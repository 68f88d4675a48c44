package dev.toolhost.transport.http;

import static dev.toolhost.transport.http.HttpTestServer.error;
import static dev.toolhost.transport.http.HttpTestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.api.InvocationEvent;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** POST /v1/tools/{id}/invoke?stream=true: log events as the tool logs, then the result or the error. */
class HttpStreamTest {
  private static HttpTestServer server;
  private static HttpClient client;

  @BeforeAll
  static void start() {
    server = HttpTestServer.start(HttpTestServer.sandboxTools(), null, Map.of());
    client = server.vertx.createHttpClient();
  }

  @AfterAll
  static void stop() {
    if (client != null) client.close();
    if (server != null) server.close();
  }

  private static SseClient stream(String tool, JsonObject body) {
    return SseClient.post(client, server.http.port(), "/v1/tools/" + tool + "/invoke?stream=true", body.encode());
  }

  private static JsonObject logLines(JsonArray lines, long waitMs) {
    return new JsonObject().put("input", new JsonObject().put("lines", lines).put("waitMs", waitMs));
  }

  @Test
  void eachLogLineIsAnEventThenTheResultEndsTheStream() throws Exception {
    SseClient sse = stream("log_lines", logLines(new JsonArray().add("one").add("two\nlines"), 0));
    assertEquals(200, sse.response.statusCode());
    assertTrue(sse.response.getHeader("content-type").startsWith("text/event-stream"), sse.response.getHeader("content-type"));

    SseClient.Event first = sse.next();
    assertEquals("log", first.name());
    assertEquals(new JsonObject().put("level", "info").put("message", "one"), first.data());
    SseClient.Event second = sse.next();
    assertEquals("log", second.name());
    assertEquals("two\nlines", second.data().getString("message"));
    SseClient.Event result = sse.next();
    assertEquals("result", result.name());
    assertEquals(2, result.data().getJsonObject("output").getInteger("logged"));
    assertEquals("log_lines", result.data().getString("tool"));
    assertEquals(2, result.data().getJsonArray("logs").size());
    assertEquals(SseClient.Event.END, sse.next());
  }

  @Test
  void aLogLineArrivesWhileTheCallIsStillRunning() throws Exception {
    JsonObject body = logLines(new JsonArray().add("started"), 60_000).put("executionId", "stream-live");
    SseClient sse = stream("log_lines", body);
    SseClient.Event log = sse.next();
    assertEquals("log", log.name());
    assertEquals("started", log.data().getString("message"));
    // the tool now waits a minute: the line came while it ran; cancel it to end the stream
    assertTrue(json(server.post("/v1/executions/stream-live/cancel", "")).getBoolean("cancelled"));
    SseClient.Event end = sse.next();
    assertEquals("error", end.name());
    assertEquals("CANCELLED", end.data().getJsonObject("error").getString("type"));
    assertEquals(SseClient.Event.END, sse.next());
  }

  @Test
  void aFailureEndsTheStreamWithAnErrorEvent() throws Exception {
    SseClient sse = stream("log_lines", new JsonObject().put("input", new JsonObject()));
    assertEquals(200, sse.response.statusCode());
    SseClient.Event end = sse.next();
    assertEquals("error", end.name());
    JsonObject error = end.data().getJsonObject("error");
    assertEquals("INVALID_INPUT", error.getString("type"));
    assertEquals("/lines", error.getJsonArray("violations").getJsonObject(0).getString("pointer"));
    assertEquals(SseClient.Event.END, sse.next());
  }

  @Test
  void aBodyThatIsNotJsonIsAPlain400BeforeAnyStream() {
    var response = server.post("/v1/tools/log_lines/invoke?stream=true", "{not json");
    assertEquals(400, response.statusCode());
    assertEquals("application/json", response.getHeader("content-type"));
    assertEquals("INVALID_REQUEST", error(response).getString("type"));
  }

  @Test
  void aClientThatGoesAwayMidStreamCancelsItsCall() throws Exception {
    List<InvocationEvent> ends = new CopyOnWriteArrayList<>();
    server.engine.addListener(e -> {
      if ("sse-gone".equals(e.executionId()) && !e.kind().equals("started")) ends.add(e);
    });
    String body = logLines(new JsonArray().add("first"), 60_000).put("executionId", "sse-gone").encode();
    try (Socket socket = new Socket("127.0.0.1", server.http.port())) {
      socket.getOutputStream().write(("POST /v1/tools/log_lines/invoke?stream=true HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
          .getBytes(StandardCharsets.UTF_8));
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null && !line.startsWith("event: log")) { }
      assertEquals("event: log", line, "the stream had started");
    }
    long deadline = System.currentTimeMillis() + 10_000;
    while (ends.isEmpty() && System.currentTimeMillis() < deadline) Thread.sleep(20);  // polled with a deadline
    assertEquals(1, ends.size(), "the call ended long before its 60 s wait");
    assertEquals("CANCELLED", ends.get(0).errorType());
  }
}
