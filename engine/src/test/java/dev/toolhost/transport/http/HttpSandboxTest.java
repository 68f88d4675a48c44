package dev.toolhost.transport.http;

import static dev.toolhost.testing.TestEngines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.config.EngineConfig;
import dev.toolhost.engine.ToolEngine;
import dev.toolhost.sandbox.SandboxManager;
import dev.toolhost.sandbox.local.LocalSandboxStrategy;
import dev.toolhost.testing.TestEngines;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sandbox routes, mounted as {@code serve} mounts them, with the local strategy. */
class HttpSandboxTest {
  private static Vertx vertx;
  private static ToolEngine engine;
  private static SandboxManager sandboxes;
  private static HttpTransport http;
  private static WebClient client;
  private static HttpClient sseClient;
  private static Path dir;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("toolhost-http-sandbox");
    vertx = Vertx.vertx();
    EngineConfig config = TestEngines.config(TestEngines.sampleTools(), null, Map.of("runtime", "graaljs",
        "http.port", "0", "http.host", "127.0.0.1", "sandbox.dir", dir.toString(), "sandbox.maxLive", "3",
        "sandbox.fileLimit", "1MiB"));
    engine = TestEngines.start(vertx, config);
    sandboxes = new SandboxManager(vertx, config.sandbox(), List.of(new LocalSandboxStrategy(vertx, config.sandbox())));
    http = await(HttpTransport.start(vertx, engine, router -> SandboxRoutes.mount(router, sandboxes, config.httpBodyLimitBytes())));
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(http.port()));
    sseClient = vertx.createHttpClient();
  }

  @AfterAll
  static void stop() throws Exception {
    await(http.close());
    await(sandboxes.close());
    await(engine.close());
    await(vertx.close());
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void filesGoInAndComeOutAsRawBytes() {
    String id = create();
    String files = "/v1/sandboxes/" + id + "/files/";
    byte[] bytes = {1, 2, 3, 0, (byte) 200};
    assertEquals(204, await(client.put(files + "data/raw.bin").sendBuffer(Buffer.buffer(bytes))).statusCode());
    HttpResponse<Buffer> read = await(client.get(files + "data/raw.bin").send());
    assertEquals(200, read.statusCode());
    assertEquals(Buffer.buffer(bytes), read.body());
    JsonObject listing = json(await(client.get(files).send()));
    assertEquals("data/raw.bin", listing.getJsonArray("entries").getJsonObject(1).getString("path"));
    // names are percent-decoded: a space, a plus
    assertEquals(204, await(client.put(files + "my%20notes+1.txt").sendBuffer(Buffer.buffer("n"))).statusCode());
    assertEquals("n", await(sandboxes.get(id).orElseThrow().readFile("my notes+1.txt")).toString());
    assertEquals(204, await(client.delete(files + "data").send()).statusCode());
    delete(id);
  }

  @Test
  void aMissingFileDirectoryOrSandboxIs404NotFoundNamingIt() {
    String id = create();
    String files = "/v1/sandboxes/" + id + "/files/";
    assertNotFound(await(client.get(files + "no/such.txt").send()), "file", "no/such.txt");
    assertNotFound(await(client.delete(files + "no%20such").send()), "path", "no such");
    assertNotFound(await(client.get(files + "no/dir/").send()), "directory", "no/dir/");
    delete(id);
    for (HttpResponse<Buffer> gone : List.of(
        await(client.get(files + "a.txt").send()),
        await(client.put(files + "a.txt").sendBuffer(Buffer.buffer("x"))),
        await(client.delete("/v1/sandboxes/" + id).send()),
        await(client.get("/v1/sandboxes/" + id + "/events").send()),
        post("/v1/sandboxes/" + id + "/execute", new JsonObject().put("code", "1").put("language", "python")))) {
      assertNotFound(gone, "sandbox", id);
    }
  }

  private static void assertNotFound(HttpResponse<Buffer> response, String resource, String name) {
    assertEquals(404, response.statusCode(), response.bodyAsString());
    JsonObject error = error(response);
    assertEquals("NOT_FOUND", error.getString("type"));
    assertEquals(resource, error.getString("resource"));
    assertEquals(name, error.getString("name"));
    assertEquals(false, error.getBoolean("retryable"));
  }

  @Test
  void theEventStreamAndExecStreamsEndWhenTheSandboxIsDeleted() throws Exception {
    String id = create();
    SseClient events = SseClient.get(sseClient, http.port(), "/v1/sandboxes/" + id + "/events");
    assertEquals(200, events.response.statusCode());
    SseClient exec = SseClient.post(sseClient, http.port(), "/v1/sandboxes/" + id + "/exec?stream=true",
        new JsonObject().put("command", "bash").put("args", List.of("-c", "echo started; exec sleep 1000")).encode());
    assertEquals("started\n", exec.next().data().getString("data"), "the command runs");
    delete(id);

    SseClient.Event last = exec.next();
    assertEquals("exit", last.name(), "the killed command's stream ends with its exit");
    assertTrue(last.data().getInteger("exitCode") > 128, "killed by a signal: " + last.data());
    assertEquals(SseClient.Event.END, exec.next());

    SseClient.Event event;
    while ((event = events.next()).name().equals("process-exit")) {
      // the killed command's exit may come first
    }
    assertEquals("teardown", event.name());
    assertEquals(id, event.data().getString("id"));
    assertEquals(SseClient.Event.END, events.next(), "the response ends after teardown");
  }

  @Test
  void theEventStreamEndsWhenTheSandboxIdlesOut() throws Exception {
    HttpResponse<Buffer> created = post("/v1/sandboxes", new JsonObject().put("idleTimeoutMs", 300));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    String id = json(created).getString("id");
    SseClient events = SseClient.get(sseClient, http.port(), "/v1/sandboxes/" + id + "/events");
    assertEquals("teardown", events.next().name());
    assertEquals(SseClient.Event.END, events.next());
    assertEquals(404, await(client.get("/v1/sandboxes/" + id + "/files/").send()).statusCode());
  }

  @Test
  void pathsLeavingTheSandboxAndFilesOverTheLimitAreRefused() {
    String id = create();
    String files = "/v1/sandboxes/" + id + "/files/";
    for (String path : List.of("..%2F..%2Fescape", "a/..%2F..%2F..%2Fescape", "%2Fetc%2Fpasswd")) {
      HttpResponse<Buffer> put = await(client.put(files + path).sendBuffer(Buffer.buffer("x")));
      assertEquals(400, put.statusCode(), path + ": " + put.bodyAsString());
      assertEquals("INVALID_REQUEST", error(put).getString("type"));
      assertEquals(400, await(client.get(files + path).send()).statusCode(), path);
      assertEquals(400, await(client.delete(files + path).send()).statusCode(), path);
    }
    assertTrue(Files.notExists(dir.resolve("escape")));
    assertEquals(413, await(client.put(files + "big.bin").sendBuffer(Buffer.buffer(new byte[2 << 20]))).statusCode());
    delete(id);
  }

  @Test
  void execAnswersOnceOrStreamsEvents() throws Exception {
    String id = create();
    JsonObject done = json(post("/v1/sandboxes/" + id + "/exec", new JsonObject().put("command", "bash")
        .put("args", List.of("-c", "echo out; echo err >&2; exit 3"))));
    assertEquals(3, done.getInteger("exitCode"));
    assertEquals("out\n", done.getString("stdout"));
    assertEquals("err\n", done.getString("stderr"));

    SseClient sse = SseClient.post(sseClient, http.port(), "/v1/sandboxes/" + id + "/exec?stream=true",
        new JsonObject().put("command", "bash").put("args", List.of("-c", "for i in 1 2 3; do echo line $i; done")).encode());
    StringBuilder streamed = new StringBuilder();
    SseClient.Event event;
    while ((event = sse.next()).name().equals("stdout")) streamed.append(event.data().getString("data"));
    assertEquals("exit", event.name());
    assertEquals(0, event.data().getInteger("exitCode"));
    assertEquals("line 1\nline 2\nline 3\n", streamed.toString());
    assertEquals(SseClient.Event.END, sse.next());

    // one write of 8,191 bytes and a two-byte character: the pump reads 8,192 bytes, splitting it
    SseClient split = SseClient.post(sseClient, http.port(), "/v1/sandboxes/" + id + "/exec?stream=true",
        new JsonObject().put("command", "python3").put("args", List.of("-c",
            "import sys; sys.stdout.buffer.write(b'a' * 8191 + 'é!'.encode())")).encode());
    StringBuilder text = new StringBuilder();
    while ((event = split.next()).name().equals("stdout")) text.append(event.data().getString("data"));
    assertEquals("a".repeat(8191) + "é!", text.toString());

    HttpResponse<Buffer> missing = post("/v1/sandboxes/" + id + "/exec", new JsonObject().put("command", "no-such-cmd"));
    assertEquals(400, missing.statusCode());
    HttpResponse<Buffer> timeout = post("/v1/sandboxes/" + id + "/exec", new JsonObject().put("command", "sleep")
        .put("args", List.of("1000")).put("timeoutMs", 500));
    assertEquals(504, timeout.statusCode());
    assertEquals("TIMEOUT", error(timeout).getString("type"));
    delete(id);
  }

  @Test
  void executeRunsCodeAndADevServerIsAnnouncedOnTheEventStream() throws Exception {
    String id = create();
    JsonObject result = json(post("/v1/sandboxes/" + id + "/execute", new JsonObject().put("code", "print(6 * 7)")
        .put("language", "python")));
    assertEquals(true, result.getBoolean("success"));
    assertEquals("42\n", result.getString("stdout"));
    assertEquals(400, post("/v1/sandboxes/" + id + "/execute", new JsonObject().put("code", "x").put("language", "cobol")).statusCode());

    SseClient events = SseClient.get(sseClient, http.port(), "/v1/sandboxes/" + id + "/events");
    assertEquals(200, events.response.statusCode());
    JsonObject server = json(post("/v1/sandboxes/" + id + "/dev-server", new JsonObject().put("command", "bash")
        .put("args", List.of("-c", "exec python3 -m http.server \"$PORT\" --bind \"$HOST\""))));
    List<SseClient.Event> seen = new ArrayList<>();
    SseClient.Event event;
    while (!(event = events.next()).name().equals("server-ready")) seen.add(event);
    assertEquals(server.getString("url"), event.data().getString("url"));
    assertEquals(200, await(WebClient.create(vertx).getAbs(server.getString("url") + "/").send()).statusCode());
    delete(id);
  }

  @Test
  void createChecksTypeAndTheLimitAndDeleteEndsTheSandbox() {
    assertEquals(400, post("/v1/sandboxes", new JsonObject().put("type", "vm")).statusCode());
    assertEquals(503, post("/v1/sandboxes", new JsonObject().put("type", "docker")).statusCode());
    assertEquals(400, post("/v1/sandboxes", new JsonObject().put("env", new JsonObject().put("A", 1))).statusCode());
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) ids.add(create());
    HttpResponse<Buffer> over = post("/v1/sandboxes", new JsonObject());
    assertEquals(429, over.statusCode());
    assertEquals("OVERLOADED", error(over).getString("type"));
    assertEquals("1", over.getHeader("Retry-After"));
    ids.forEach(HttpSandboxTest::delete);
    assertEquals(404, await(client.delete("/v1/sandboxes/" + ids.get(0)).send()).statusCode());
    assertEquals(404, post("/v1/sandboxes/" + ids.get(0) + "/exec", new JsonObject().put("command", "true")).statusCode());
  }

  private static String create() {
    HttpResponse<Buffer> created = post("/v1/sandboxes", new JsonObject().put("type", "local").put("env", new JsonObject().put("A", "1")));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    JsonObject body = json(created);
    assertEquals("ready", body.getString("status"));
    assertEquals("/v1/sandboxes/" + body.getString("id"), created.getHeader("Location"));
    return body.getString("id");
  }

  private static void delete(String id) {
    assertEquals(204, await(client.delete("/v1/sandboxes/" + id).send()).statusCode());
  }

  private static HttpResponse<Buffer> post(String path, JsonObject body) {
    return await(client.post(path).putHeader("content-type", "application/json").sendBuffer(body.toBuffer()));
  }

  private static JsonObject json(HttpResponse<Buffer> response) {
    return new JsonObject(response.body());
  }

  private static JsonObject error(HttpResponse<Buffer> response) {
    return json(response).getJsonObject("error");
  }
}
