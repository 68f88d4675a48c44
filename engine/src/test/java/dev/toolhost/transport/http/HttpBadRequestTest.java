package dev.toolhost.transport.http;

import static dev.toolhost.testing.TestEngines.await;
import static dev.toolhost.transport.http.HttpTestServer.error;
import static dev.toolhost.transport.http.HttpTestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Requests the API cannot serve: each gets its status and a JSON error, and the server serves on. */
class HttpBadRequestTest {
  private static final int FIFTY_MB = 50 * 1024 * 1024;
  private static HttpTestServer server;

  @BeforeAll
  static void start() {
    server = HttpTestServer.sampleTools();
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  @AfterEach
  void theServerStillAnswers() {
    HttpResponse<Buffer> response = server.invoke("greet", new JsonObject().put("input", new JsonObject().put("name", "Ada")));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals("Hello, Ada!", json(response).getJsonObject("output").getString("message"));
  }

  private static void assertJsonError(HttpResponse<Buffer> response, int status, String type) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    assertEquals("application/json", response.getHeader("content-type"));
    assertEquals(type, error(response).getString("type"), response.bodyAsString());
    assertTrue(!error(response).getString("message").isEmpty());
  }

  @Test
  void aBodyThatIsNotJsonIs400() {
    HttpResponse<Buffer> response = server.post("/v1/tools/greet/invoke", "{\"input\": {\"name\": ");
    assertJsonError(response, 400, "INVALID_REQUEST");
    assertTrue(error(response).getString("details").contains("line 1"), response.bodyAsString());
  }

  @Test
  void aJsonArrayBodyIs400() {
    HttpResponse<Buffer> response = server.post("/v1/tools/greet/invoke", "[{\"input\": {\"name\": \"Ada\"}}]");
    assertJsonError(response, 400, "INVALID_REQUEST");
    assertEquals("the body must be a JSON object", error(response).getString("message"));
  }

  @Test
  void aJsonStringBodyIs400() {
    assertJsonError(server.post("/v1/tools/greet/invoke", "\"Ada\""), 400, "INVALID_REQUEST");
  }

  @Test
  void aFiftyMegabyteBodyIs413() {
    Buffer body = Buffer.buffer(new byte[FIFTY_MB]);
    HttpResponse<Buffer> response = await(server.client.post("/v1/tools/greet/invoke")
        .putHeader("content-type", "application/json").sendBuffer(body));
    assertJsonError(response, 413, "PAYLOAD_TOO_LARGE");
  }

  @Test
  void aFiftyMegabyteChunkedBodyIs413() {
    HttpClient client = server.vertx.createHttpClient();
    try {
      Future<HttpClientResponse> answer = client.request(new RequestOptions().setMethod(HttpMethod.POST)
          .setHost("127.0.0.1").setPort(server.http.port()).setURI("/v1/tools/greet/invoke")).compose(request -> {
            request.setChunked(true).putHeader("content-type", "application/json");
            Future<HttpClientResponse> response = request.response();
            writeChunks(request, Buffer.buffer(new byte[1024 * 1024]), FIFTY_MB / (1024 * 1024));
            return response;
          });
      // read the body as soon as the head is in, before it arrives
      Buffer body = await(answer.compose(response -> {
        assertEquals(413, response.statusCode());
        return response.body();
      }));
      assertEquals("PAYLOAD_TOO_LARGE", new JsonObject(body).getJsonObject("error").getString("type"));
    } finally {
      await(client.close());
    }
  }

  /** Writes {@code count} chunks, each once the previous is written, then ends the request. */
  private static void writeChunks(HttpClientRequest request, Buffer chunk, int count) {
    if (count == 0) {
      request.end();
    } else {
      request.write(chunk).onComplete(ar -> {
        if (ar.succeeded()) writeChunks(request, chunk, count - 1);
      });
    }
  }

  @Test
  void anUnknownRouteIs404() {
    assertJsonError(server.get("/v2/nothing"), 404, "NOT_FOUND");
    assertJsonError(server.get("/"), 404, "NOT_FOUND");
  }

  @Test
  void aWrongMethodIs405WithTheAllowedOne() {
    HttpResponse<Buffer> delete = await(server.request(HttpMethod.DELETE, "/v1/tools").send());
    assertJsonError(delete, 405, "METHOD_NOT_ALLOWED");
    assertEquals("GET", delete.getHeader("allow"));

    HttpResponse<Buffer> getInvoke = server.get("/v1/tools/greet/invoke");
    assertJsonError(getInvoke, 405, "METHOD_NOT_ALLOWED");
    assertEquals("POST", getInvoke.getHeader("allow"));

    HttpResponse<Buffer> postTool = server.post("/v1/tools/greet", "{}");
    assertJsonError(postTool, 405, "METHOD_NOT_ALLOWED");
    assertEquals("GET", postTool.getHeader("allow"));

    assertJsonError(await(server.request(HttpMethod.PUT, "/health").send()), 405, "METHOD_NOT_ALLOWED");
    assertJsonError(server.get("/v1/executions/x/cancel"), 405, "METHOD_NOT_ALLOWED");
  }
}
