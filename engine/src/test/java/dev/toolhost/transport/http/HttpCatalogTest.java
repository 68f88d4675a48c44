package dev.toolhost.transport.http;

import static dev.toolhost.transport.http.HttpTestServer.array;
import static dev.toolhost.transport.http.HttpTestServer.error;
import static dev.toolhost.transport.http.HttpTestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET /v1/tools, /v1/tools/{id}, /v1/tools/openai and /health on the sample tools. */
class HttpCatalogTest {
  private static HttpTestServer server;

  @BeforeAll
  static void start() {
    server = HttpTestServer.sampleTools();
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  private static Set<String> names(JsonArray tools) {
    return tools.stream().map(t -> ((JsonObject) t).getString("name")).collect(Collectors.toSet());
  }

  @Test
  void theListHoldsEveryToolWithItsSchemas() {
    HttpResponse<Buffer> response = server.get("/v1/tools");
    assertEquals(200, response.statusCode());
    assertEquals("application/json", response.getHeader("content-type"));
    JsonArray tools = array(response);
    assertEquals(server.engine.catalog().tools().size(), tools.size());
    assertTrue(names(tools).containsAll(Set.of("greet", "slow", "lookup_user", "shout", "word_count")), tools.encode());
    JsonObject greet = tools.stream().map(JsonObject.class::cast).filter(t -> t.getString("name").equals("greet"))
        .findFirst().orElseThrow();
    assertEquals("Greets someone by name.", greet.getString("description"));
    assertEquals(List.of("name"), greet.getJsonObject("inputSchema").getJsonArray("required").getList());
    assertNotNull(greet.getJsonObject("outputSchema"));
  }

  @Test
  void oneToolIsDescribedByItsId() {
    HttpResponse<Buffer> response = server.get("/v1/tools/greet");
    assertEquals(200, response.statusCode());
    JsonObject greet = json(response);
    assertEquals("greet", greet.getString("name"));
    assertEquals("object", greet.getJsonObject("inputSchema").getString("type"));
    assertEquals("object", greet.getJsonObject("outputSchema").getString("type"));
  }

  @Test
  void anUnknownToolIs404WithTheNearestNames() {
    HttpResponse<Buffer> response = server.get("/v1/tools/gret");
    assertEquals(404, response.statusCode());
    JsonObject error = error(response);
    assertEquals("TOOL_NOT_FOUND", error.getString("type"));
    assertEquals("gret", error.getString("tool"));
    assertTrue(error.getJsonArray("known").contains("greet"), error.encode());
  }

  @Test
  void theOpenAiListIsFunctionDefinitionsWithTheInputSchemasAsParameters() {
    HttpResponse<Buffer> response = server.get("/v1/tools/openai");
    assertEquals(200, response.statusCode());
    JsonArray tools = array(response);
    assertEquals(server.engine.catalog().tools().size(), tools.size());
    JsonObject greet = null;
    for (Object o : tools) {
      JsonObject tool = (JsonObject) o;
      assertEquals("function", tool.getString("type"));
      JsonObject function = tool.getJsonObject("function");
      assertTrue(function.getString("name").matches("^[a-zA-Z0-9_-]{1,64}$"), function.encode());
      assertEquals("object", function.getJsonObject("parameters").getString("type"), function.encode());
      if (function.getString("name").equals("greet")) greet = function;
    }
    assertNotNull(greet, "greet is listed");
    assertEquals("Greets someone by name.", greet.getString("description"));
    assertEquals(List.of("name"), greet.getJsonObject("parameters").getJsonArray("required").getList());
  }

  @Test
  void aToolWithoutInputSchemaGetsAnObjectAsParameters() {
    JsonObject shout = array(server.get("/v1/tools/openai")).stream().map(JsonObject.class::cast)
        .map(t -> t.getJsonObject("function")).filter(f -> f.getString("name").equals("shout")).findFirst().orElseThrow();
    assertEquals(new JsonObject().put("type", "object"), shout.getJsonObject("parameters"));
  }

  @Test
  void healthSaysOkWithTheToolCountAndTheRuntimes() {
    HttpResponse<Buffer> response = server.get("/health");
    assertEquals(200, response.statusCode());
    JsonObject health = json(response);
    assertEquals("ok", health.getString("status"));
    assertEquals(server.engine.catalog().tools().size(), health.getInteger("tools"));
    JsonObject graaljs = health.getJsonArray("runtimes").stream().map(JsonObject.class::cast)
        .filter(r -> r.getString("name").equals("graaljs")).findFirst().orElseThrow();
    assertTrue(graaljs.getBoolean("usable"));
    JsonObject docker = health.getJsonArray("runtimes").stream().map(JsonObject.class::cast)
        .filter(r -> r.getString("name").equals("docker")).findFirst().orElseThrow();
    assertFalse(docker.getBoolean("usable"));
  }
}
