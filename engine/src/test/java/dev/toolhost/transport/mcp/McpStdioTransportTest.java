package dev.toolhost.transport.mcp;

import static dev.toolhost.testing.TestEngines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolhost.api.Json;
import dev.toolhost.engine.ToolEngine;
import dev.toolhost.testing.TestEngines;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MCP over stdio in-process: one answer per line, nothing else on the stream, served until the input ends. */
class McpStdioTransportTest {
  private static Vertx vertx;
  private static ToolEngine engine;
  private PipedOutputStream stdin;
  private final Lines stdout = new Lines();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private Future<Void> served;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    engine = TestEngines.start(vertx, TestEngines.config(TestEngines.sampleTools(), null, Map.of("runtime", "graaljs")));
  }

  @AfterAll
  static void stop() {
    if (engine != null) await(engine.close());
    if (vertx != null) await(vertx.close());
  }

  @BeforeEach
  void serve() throws IOException {
    stdin = new PipedOutputStream();
    PipedInputStream in = new PipedInputStream(stdin, 1 << 20);
    served = new McpStdioTransport(new McpSession(engine), vertx.getOrCreateContext(), in, stdout,
        new PrintStream(stderr, true, StandardCharsets.UTF_8), 4096).serve();
  }

  @AfterEach
  void endInput() throws IOException {
    stdin.close();
    await(served);
  }

  /** Collects what is written as lines, each checked to be one JSON value. */
  private static final class Lines extends OutputStream {
    final BlockingQueue<JsonNode> answers = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) throws IOException {
      if (b != '\n') {
        line.write(b);
        return;
      }
      answers.add(Json.MAPPER.readTree(line.toByteArray()));  // throws (and fails the test) if a line is not JSON
      line.reset();
    }

    JsonNode next() throws InterruptedException {
      JsonNode answer = answers.poll(60, TimeUnit.SECONDS);
      assertNotNull(answer, "no answer within 60 s");
      return answer;
    }
  }

  private void send(String... lines) throws IOException {
    for (String line : lines) stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    stdin.flush();
  }

  @Test
  void aConversationInitializeListCall() throws Exception {
    send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{}}}");
    assertEquals("2025-06-18", stdout.next().path("result").path("protocolVersion").asText());
    send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
    JsonNode list = stdout.next();
    assertEquals(2, list.path("id").asInt(), "the notification must get no answer");
    assertTrue(list.path("result").path("tools").size() > 5);
    send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"greet\",\"arguments\":{\"name\":\"Ada\"}}}");
    assertEquals("Hello, Ada!", stdout.next().path("result").path("structuredContent").path("message").asText());
  }

  @Test
  void badLinesGetTheirErrorsAndTheStreamGoesOn() throws Exception {
    send("this is not json", "", "   ", "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"nope\"}}",
        "x".repeat(10_000), "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}");
    assertEquals(-32700, stdout.next().path("error").path("code").asInt());
    JsonNode badEnvelope = stdout.next();
    assertEquals(-32600, badEnvelope.path("error").path("code").asInt());
    assertEquals(1, badEnvelope.path("id").asInt());
    assertEquals(-32602, stdout.next().path("error").path("code").asInt());
    JsonNode tooLong = stdout.next();
    assertEquals(-32600, tooLong.path("error").path("code").asInt());
    assertTrue(tooLong.path("error").path("message").asText().contains("4096"));
    assertEquals(3, stdout.next().path("id").asInt());
    assertNull(stdout.answers.poll(200, TimeUnit.MILLISECONDS), "blank lines get no answer");
  }

  @Test
  void callsRunConcurrentlyAndAnswerLinesNeverInterleave() throws Exception {
    send("{\"jsonrpc\":\"2.0\",\"id\":\"slow\",\"method\":\"tools/call\",\"params\":{\"name\":\"slow\",\"arguments\":{\"ms\":1500}}}");
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      many.append("{\"jsonrpc\":\"2.0\",\"id\":").append(i)
          .append(",\"method\":\"tools/call\",\"params\":{\"name\":\"transform_text\",\"arguments\":{\"text\":\"")
          .append("line\\nbreak ").append(i).append("\",\"operation\":\"upper\"}}}\n");
    }
    send(many.toString().strip());
    Set<Integer> ids = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      JsonNode answer = stdout.next();
      assertFalse(answer.path("id").asText().equals("slow"), "the slow call held up the others");
      assertEquals("LINE\nBREAK " + answer.path("id").asInt(),
          answer.path("result").path("structuredContent").path("text").asText());
      ids.add(answer.path("id").asInt());
    }
    assertEquals(50, ids.size());
    assertEquals("slow", stdout.next().path("id").asText());
  }

  @Test
  void whenTheInputEndsEveryCallStillGetsItsAnswerBeforeServingEnds() throws Exception {
    send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"slow\",\"arguments\":{\"ms\":500}}}");
    stdin.write("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}".getBytes(StandardCharsets.UTF_8));  // no final newline
    stdin.close();
    await(served);
    Set<Integer> ids = new HashSet<>();
    for (JsonNode answer : stdout.answers) ids.add(answer.path("id").asInt());
    assertEquals(Set.of(1, 2), ids);
    assertEquals("", stderr.toString(StandardCharsets.UTF_8));
  }

  @Test
  void cancellationOverStdioStopsTheCallAndItGetsNoAnswer() throws Exception {
    send("{\"jsonrpc\":\"2.0\",\"id\":\"c\",\"method\":\"tools/call\",\"params\":{\"name\":\"slow\",\"arguments\":{\"ms\":60000}}}");
    // the call is registered once its line is handled; a ping answered after it proves that
    send("{\"jsonrpc\":\"2.0\",\"id\":\"p\",\"method\":\"ping\"}");
    assertEquals("p", stdout.next().path("id").asText());
    long start = System.nanoTime();
    send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":\"c\"}}");
    stdin.close();
    await(served);
    assertTrue((System.nanoTime() - start) / 1e9 < 30, "the call was not stopped");
    assertTrue(stdout.answers.isEmpty(), "a cancelled call gets no answer: " + stdout.answers);
  }
}
