package dev.toolhost.sandbox;

import static dev.toolhost.sandbox.SandboxFixture.eventually;
import static dev.toolhost.sandbox.SandboxFixture.failure;
import static dev.toolhost.testing.TestEngines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.api.ProcessError;
import dev.toolhost.api.Timeout;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Dev servers: ready once their port opens, with a URL the host can open; or a failure with their log. */
public class SandboxDevServerTest {
  protected static SandboxFixture fixture;
  protected static Sandbox sandbox;

  /** Subclasses for other strategies hide it with their own. */
  @BeforeAll
  protected static void start() {
    fixture = SandboxFixture.start();
    sandbox = fixture.create();
  }

  @AfterAll
  protected static void stop() throws Exception {
    fixture.close();
  }

  @Test
  void aServerIsReadyWithAUrlTheHostOpens() throws Exception {
    await(sandbox.writeFile("site/index.html", Buffer.buffer("<h1>sandboxed</h1>")));
    BlockingQueue<SandboxEvent> events = new LinkedBlockingQueue<>();
    sandbox.onEvent(events::add);
    DevServer server = await(sandbox.startDevServer(new DevServerRequest("bash",
        List.of("-c", "cd site && exec python3 -m http.server \"$PORT\" --bind \"$HOST\""), 0, null)));
    // the host's loopback: the server's own port locally, the port it is published on for docker
    assertTrue(server.url().matches("http://127\\.0\\.0\\.1:[0-9]+"), server.url());
    if (fixture.isLocal()) assertEquals("http://127.0.0.1:" + server.port(), server.url());
    assertEquals(new SandboxEvent.ServerReady(server.port(), server.url()), events.poll(30, TimeUnit.SECONDS));

    HttpResponse<String> page = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(server.url() + "/index.html")).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, page.statusCode());
    assertEquals("<h1>sandboxed</h1>", page.body());

    // its log is the process's output
    BlockingQueue<String> log = new LinkedBlockingQueue<>();
    server.process().stderrHandler(b -> log.add(b.toString()));
    eventually("the request is in the server's log", () -> String.join("", log).contains("GET /index.html"));
    await(server.process().kill());
  }

  @Test
  void aServerThatNeverOpensItsPortFailsAfterItsTimeoutWithItsLogTail() throws Exception {
    BlockingQueue<SandboxEvent> events = new LinkedBlockingQueue<>();
    sandbox.onEvent(events::add);
    Timeout timeout = failure(sandbox.startDevServer(new DevServerRequest("bash",
        List.of("-c", "echo compiling the app; sleep 1000"), 0, Duration.ofMillis(1500))), Timeout.class);
    assertEquals(1500, timeout.timeoutMs());
    assertTrue(timeout.message().contains("did not open port"), timeout.message());
    assertTrue(timeout.message().contains("compiling the app"), timeout.message());
    // it was killed: its exit is an event, and so is the failure
    eventually("the server's exit and the error are events", () -> events.stream().anyMatch(e -> e instanceof SandboxEvent.ProcessExit)
        && events.stream().anyMatch(e -> e instanceof SandboxEvent.Error err && err.message().contains("did not open port")));
  }

  @Test
  void aServerThatExitsFailsWithItsExitCodeAndLog() {
    ProcessError e = failure(sandbox.startDevServer(new DevServerRequest("bash",
        List.of("-c", "echo cannot find vite >&2; exit 3"), 0, Duration.ofSeconds(30))), ProcessError.class);
    assertEquals(3, e.exitCode());
    assertTrue(e.stderr().contains("cannot find vite"), e.stderr());
  }
}
