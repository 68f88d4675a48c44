package dev.toolhost.transport.http;

import static dev.toolhost.testing.TestEngines.await;
import static dev.toolhost.transport.http.HttpTestServer.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.testing.TestEngines;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With http.token set, every route but /health needs {@code Authorization: Bearer <token>}. */
class HttpAuthTest {
  private static final String TOKEN = "s3cret-token";
  private static HttpTestServer server;

  @BeforeAll
  static void start() {
    server = HttpTestServer.start(TestEngines.sampleTools(), null, Map.of("http.token", TOKEN));
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  private static void assertUnauthorized(HttpResponse<Buffer> response) {
    assertEquals(401, response.statusCode(), response.bodyAsString());
    assertEquals("application/json", response.getHeader("content-type"));
    assertEquals("UNAUTHORIZED", error(response).getString("type"));
    assertTrue(response.getHeader("www-authenticate").startsWith("Bearer"), response.getHeader("www-authenticate"));
  }

  @Test
  void noTokenIs401() {
    assertUnauthorized(server.get("/v1/tools"));
    assertUnauthorized(server.get("/metrics"));
    assertUnauthorized(server.invoke("greet", new JsonObject()));
  }

  @Test
  void aWrongTokenIs401() {
    assertUnauthorized(await(server.client.get("/v1/tools").bearerTokenAuthentication("s3cret-tokem").send()));
    assertUnauthorized(await(server.client.get("/v1/tools").bearerTokenAuthentication(TOKEN + "x").send()));
    assertUnauthorized(await(server.client.get("/v1/tools").putHeader("authorization", "Basic " + TOKEN).send()));
  }

  @Test
  void mcpAtSlashMcpIsBehindTheSameToken() {
    JsonObject initialize = new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize")
        .put("params", new JsonObject().put("protocolVersion", "2025-06-18").put("capabilities", new JsonObject())
            .put("clientInfo", new JsonObject().put("name", "t").put("version", "1")));
    assertUnauthorized(await(server.client.post("/mcp").putHeader("accept", "application/json, text/event-stream")
        .sendJsonObject(initialize)));
    HttpResponse<Buffer> ok = await(server.client.post("/mcp").bearerTokenAuthentication(TOKEN)
        .putHeader("accept", "application/json, text/event-stream").sendJsonObject(initialize));
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    assertEquals("toolhost", ok.bodyAsJsonObject().getJsonObject("result").getJsonObject("serverInfo").getString("name"));
  }

  @Test
  void theRightTokenIsLetIn() {
    HttpResponse<Buffer> list = await(server.client.get("/v1/tools").bearerTokenAuthentication(TOKEN).send());
    assertEquals(200, list.statusCode());
    HttpResponse<Buffer> invoked = await(server.client.post("/v1/tools/greet/invoke").bearerTokenAuthentication(TOKEN)
        .sendJsonObject(new JsonObject().put("input", new JsonObject().put("name", "Ada"))));
    assertEquals(200, invoked.statusCode(), invoked.bodyAsString());
  }

  @Test
  void healthNeedsNoToken() {
    HttpResponse<Buffer> health = server.get("/health");
    assertEquals(200, health.statusCode());
    assertEquals("ok", HttpTestServer.json(health).getString("status"));
  }

  @Test
  void anUnknownRouteIs401NotAHintThatItIsMissing() {
    assertUnauthorized(server.get("/v2/secret"));
  }
}
