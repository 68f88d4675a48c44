package dev.toolhost.transport.http;

import static dev.toolhost.transport.http.HttpTestServer.array;
import static dev.toolhost.transport.http.HttpTestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A tool id holding '/' and '.' is routed whole, and invoked under its OpenAI function name too. */
class HttpToolIdTest {
  private static final String ID = "text/reverse.v2";
  private static HttpTestServer server;

  @BeforeAll
  static void start() {
    server = HttpTestServer.start(HttpTestServer.sandboxTools(), null, Map.of());
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  private static JsonObject reverse(String text) {
    return new JsonObject().put("input", new JsonObject().put("text", text));
  }

  @Test
  void aSlashInTheIdIsPartOfTheId() {
    var described = server.get("/v1/tools/" + ID);
    assertEquals(200, described.statusCode(), described.bodyAsString());
    assertEquals(ID, json(described).getString("name"));
    var invoked = server.invoke(ID, reverse("abc"));
    assertEquals(200, invoked.statusCode(), invoked.bodyAsString());
    assertEquals("cba", json(invoked).getJsonObject("output").getString("reversed"));
    assertEquals(ID, json(invoked).getString("tool"));
  }

  @Test
  void anEncodedSlashWorksToo() {
    var described = server.get("/v1/tools/text%2Freverse.v2");
    assertEquals(200, described.statusCode(), described.bodyAsString());
    assertEquals(ID, json(described).getString("name"));
  }

  @Test
  void theOpenAiNameIsMappedAndInvokesTheTool() {
    String name = array(server.get("/v1/tools/openai")).stream().map(JsonObject.class::cast)
        .map(t -> t.getJsonObject("function"))
        .filter(f -> f.getString("description").equals("Reverses a string."))
        .findFirst().orElseThrow().getString("name");
    assertEquals(OpenAiTools.functionName(ID), name);
    var invoked = server.invoke(name, reverse("xy"));
    assertEquals(200, invoked.statusCode(), invoked.bodyAsString());
    assertEquals("yx", json(invoked).getJsonObject("output").getString("reversed"));
    assertEquals(ID, json(invoked).getString("tool"));
  }
}
