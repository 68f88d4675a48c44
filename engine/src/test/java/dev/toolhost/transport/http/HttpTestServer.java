package dev.toolhost.transport.http;

import static dev.toolhost.testing.TestEngines.await;

import dev.toolhost.engine.ToolEngine;
import dev.toolhost.testing.TestEngines;
import dev.toolhost.transport.mcp.McpHttpHandler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** An engine on a tools root (graaljs), served over HTTP on 127.0.0.1 and an ephemeral port, and a client for it. */
final class HttpTestServer implements AutoCloseable {
  final Vertx vertx;
  final ToolEngine engine;
  final HttpTransport http;
  final WebClient client;

  private HttpTestServer(Vertx vertx, ToolEngine engine, HttpTransport http) {
    this.vertx = vertx;
    this.engine = engine;
    this.http = http;
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(http.port()));
  }

  static HttpTestServer start(Path tools, String yaml, Map<String, String> flags) {
    Map<String, String> all = new HashMap<>(Map.of("runtime", "graaljs", "http.port", "0", "http.host", "127.0.0.1"));
    all.putAll(flags);
    Vertx vertx = Vertx.vertx();
    ToolEngine engine = TestEngines.start(vertx, TestEngines.config(tools, yaml, all));
    // as `toolhost serve` mounts it: MCP at /mcp behind the same token check
    return new HttpTestServer(vertx, engine,
        await(HttpTransport.start(vertx, engine, router -> McpHttpHandler.mount(router, engine))));
  }

  static HttpTestServer sampleTools() {
    return start(TestEngines.sampleTools(), null, Map.of());
  }

  static Path sandboxTools() {
    return TestEngines.repo().resolve("engine/src/test/resources/sandbox-tools");
  }

  HttpRequest<Buffer> request(HttpMethod method, String path) {
    return client.request(method, path);
  }

  HttpResponse<Buffer> get(String path) {
    return await(client.get(path).send());
  }

  HttpResponse<Buffer> post(String path, String body) {
    return await(client.post(path).putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(body)));
  }

  HttpResponse<Buffer> invoke(String tool, JsonObject body) {
    return post("/v1/tools/" + tool + "/invoke", body.encode());
  }

  static JsonObject json(HttpResponse<Buffer> response) {
    return new JsonObject(response.body());
  }

  static JsonArray array(HttpResponse<Buffer> response) {
    return new JsonArray(response.body());
  }

  /** The {@code error} object of an error answer. */
  static JsonObject error(HttpResponse<Buffer> response) {
    return json(response).getJsonObject("error");
  }

  @Override
  public void close() {
    client.close();
    await(http.close());
    await(engine.close());
    await(vertx.close());
  }
}
