package dev.toolhost.transport.mcp;

import static dev.toolhost.testing.TestEngines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolhost.api.Json;
import dev.toolhost.engine.ToolEngine;
import dev.toolhost.testing.TestEngines;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Toolhost's MCP server as real clients meet it: {@code toolhost mcp} launched as a process, and
 * the streamable HTTP handler on a loopback server, driven by the official MCP TypeScript SDK
 * client ({@code engine/src/test/mcp-client}, installed here with {@code npm ci} when missing;
 * skipped where Node.js or npm is not installed). Bad input gets its error and the server goes on.
 */
class McpEndToEndTest {
  private static final Path CLIENT_DIR = TestEngines.repo().resolve("engine/src/test/mcp-client");
  private static final long PROCESS_TIMEOUT_SECONDS = 180;
  private static Boolean clientReady;

  /** The server as an MCP client launches it: this JVM's java, the test class path, {@code mcp}. */
  private static List<String> serverCommand() {
    return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "dev.toolhost.cli.Main",
        "mcp", "--tools", TestEngines.sampleTools().toString(), "--pool-size", "1");
  }

  /** Skips without Node.js or npm; installs the client's packages when they are missing. */
  private static synchronized void assumeClient() throws Exception {
    if (clientReady == null) {
      clientReady = works("node", "--version") && works("npm", "--version");
      if (clientReady && !Files.isDirectory(CLIENT_DIR.resolve("node_modules/@modelcontextprotocol/sdk"))) {
        Result install = run(List.of("npm", "ci", "--no-audit", "--no-fund"), CLIENT_DIR);
        if (install.exit != 0) fail("npm ci in " + CLIENT_DIR + " failed:\n" + install.stdout + install.stderr);
      }
    }
    Assumptions.assumeTrue(clientReady, "skipped: Node.js and npm are needed on PATH to run the MCP TypeScript SDK client");
  }

  private static boolean works(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private record Result(int exit, String stdout, String stderr) {}

  private static Result run(List<String> command, Path dir) throws Exception {
    Path out = Files.createTempFile("mcp-e2e", ".out");
    Path err = Files.createTempFile("mcp-e2e", ".err");
    try {
      Process p = new ProcessBuilder(command).directory(dir.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        fail(command.get(0) + " did not finish within " + PROCESS_TIMEOUT_SECONDS + " s; stderr:\n" + Files.readString(err));
      }
      return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Runs client.mjs and returns its report; a failed run fails the test with what it printed. */
  private static JsonNode sdkClient(List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of("node", "client.mjs"));
    command.addAll(args);
    Result result = run(command, CLIENT_DIR);
    if (result.exit != 0) fail("the MCP client failed (exit " + result.exit + "):\n" + result.stdout + "\n" + result.stderr);
    return Json.MAPPER.readTree(result.stdout);
  }

  private static void assertSdkSawTheSampleTools(JsonNode report) throws Exception {
    assertEquals("toolhost", report.path("serverInfo").path("name").asText(), report.toString());
    assertFalse(report.path("capabilities").path("tools").isMissingNode());
    List<String> names = new ArrayList<>();
    report.path("tools").forEach(t -> names.add(t.path("name").asText()));
    assertTrue(names.containsAll(List.of("greet", "shout", "lookup_user", "slow")), names.toString());

    JsonNode greet = report.path("greet").path("result");
    assertEquals("Hello, Ada!", greet.path("structuredContent").path("message").asText(), report.toString());
    assertEquals("Hello, Ada!", Json.MAPPER.readTree(greet.path("content").path(0).path("text").asText()).path("message").asText());

    JsonNode toolError = report.path("toolError").path("result");
    assertTrue(toolError.path("isError").asBoolean(), toolError.toString());
    assertEquals("NOT_FOUND", Json.MAPPER.readTree(toolError.path("content").path(0).path("text").asText())
        .path("error").path("code").asText());
    JsonNode invalidInput = report.path("invalidInput").path("result");
    assertTrue(invalidInput.path("isError").asBoolean(), invalidInput.toString());
    assertTrue(invalidInput.path("content").path(0).path("text").asText().contains("INVALID_INPUT"));

    JsonNode unknown = report.path("unknownTool");
    assertEquals(-32602, unknown.path("error").path("code").asInt(), unknown.toString());
    assertTrue(unknown.path("error").path("message").asText().contains("no_such_tool"));

    assertTrue(report.path("ping").path("result").isObject(), report.toString());
    assertEquals("STILL SERVING", report.path("afterErrors").path("result").path("structuredContent").path("text").asText());
  }

  @Test
  void theSdkClientOverStdioListsAndCallsTheSampleTools() throws Exception {
    assumeClient();
    List<String> args = new ArrayList<>(List.of("stdio"));
    args.addAll(serverCommand());
    assertSdkSawTheSampleTools(sdkClient(args));
  }

  @Test
  void theSdkClientOverStreamableHttpListsAndCallsTheSampleTools() throws Exception {
    assumeClient();
    Vertx vertx = Vertx.vertx();
    try {
      ToolEngine engine = TestEngines.start(vertx,
          TestEngines.config(TestEngines.sampleTools(), null, Map.of("runtime", "graaljs", "poolSize", "1")));
      Router router = Router.router(vertx);
      McpHttpHandler handler = McpHttpHandler.mount(router, engine);
      HttpServer server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
      JsonNode report = sdkClient(List.of("http", "http://127.0.0.1:" + server.actualPort() + McpHttpHandler.PATH));
      assertSdkSawTheSampleTools(report);
      assertEquals("2025-06-18", report.path("protocolVersion").asText(), "the SDK's newer revision is answered with ours");
      assertFalse(report.path("sessionId").asText().isEmpty());
      assertEquals(0, handler.sessionCount(), "the client's DELETE ended its session");
      await(engine.close());
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void theMcpProcessAnswersBadLinesAndGoesOnThenExitsZeroWhenStdinCloses(@TempDir Path dir) throws Exception {
    Process p = new ProcessBuilder(serverCommand()).directory(dir.toFile())
        .redirectError(dir.resolve("stderr").toFile()).start();
    try (OutputStream stdin = p.getOutputStream();
         BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String[] lines = {
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2024-11-05\",\"capabilities\":{}}}",
          "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
          "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{}",   // cut short: -32700
          "{\"id\":3,\"method\":\"tools/list\"}",                                  // no jsonrpc: -32600
          "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"gret\"}}",  // -32602
          "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"greet\",\"arguments\":{\"name\":\"Ada\"}}}",
      };
      int[] expected = {0, -32700, -32600, -32602, 0};
      for (int i = 0, answer = 0; i < lines.length; i++) {
        stdin.write((lines[i] + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        if (i == 1) continue;  // a notification: no answer
        String line = stdout.readLine();
        assertNotNull(line, "the server closed stdout; stderr:\n" + Files.readString(dir.resolve("stderr")));
        JsonNode json = Json.MAPPER.readTree(line);
        assertEquals(expected[answer++], json.path("error").path("code").asInt(0), line);
        if (i == 0) assertEquals("2024-11-05", json.path("result").path("protocolVersion").asText());
        if (i == 5) {
          JsonNode result = json.path("result");
          assertFalse(result.has("structuredContent"), "2024-11-05 has no structuredContent: " + result);
          assertTrue(result.path("content").path(0).path("text").asText().contains("Hello, Ada!"));
        }
      }
    }
    // stdin is closed
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the server did not exit when stdin closed");
    assertEquals(0, p.exitValue(), Files.readString(dir.resolve("stderr")));
  }
}
