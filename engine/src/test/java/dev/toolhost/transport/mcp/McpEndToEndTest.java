package dev.toolhost.transport.mcp;

import static dev.toolhost.testing.TestEngines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolhost.api.Json;
import dev.toolhost.config.SandboxSettings;
import dev.toolhost.engine.ToolEngine;
import dev.toolhost.sandbox.Language;
import dev.toolhost.sandbox.SandboxFixture;
import dev.toolhost.sandbox.SandboxManager;
import dev.toolhost.sandbox.local.LocalStrategies;
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
import java.util.stream.Stream;
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
    return run(command, dir, Map.of());
  }

  private static Result run(List<String> command, Path dir, Map<String, String> env) throws Exception {
    Path out = Files.createTempFile("mcp-e2e", ".out");
    Path err = Files.createTempFile("mcp-e2e", ".err");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile());
      builder.environment().putAll(env);
      Process p = builder.start();
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
    return sdkClient(args, Map.of());
  }

  /** @param env for client.mjs: {@code MCP_SCENARIO=sandbox} has it call the sandbox tools */
  private static JsonNode sdkClient(List<String> args, Map<String, String> env) throws Exception {
    List<String> command = new ArrayList<>(List.of("node", "client.mjs"));
    command.addAll(args);
    Result result = run(command, CLIENT_DIR, env);
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

  private static final Map<String, String> SANDBOX_SCENARIO = Map.of("MCP_SCENARIO", "sandbox");

  /** The structuredContent of a call the SDK saw succeed, checked against its text content. */
  private static JsonNode ran(JsonNode report, String call) throws Exception {
    JsonNode result = report.path(call).path("result");
    assertFalse(result.path("isError").asBoolean(), call + ": " + result);
    JsonNode text = Json.MAPPER.readTree(result.path("content").path(0).path("text").asText());
    // through JavaScript, 77.0 comes back as 77: numbers are compared as numbers
    assertTrue(result.path("structuredContent").equals((a, b) -> a.isNumber() && b.isNumber()
        ? Double.compare(a.asDouble(), b.asDouble()) : a.equals(b) ? 0 : 1, text), call + ": " + result);
    return result.path("structuredContent");
  }

  /** The error JSON of a call the SDK saw refused. */
  private static JsonNode refused(JsonNode report, String call) throws Exception {
    JsonNode result = report.path(call).path("result");
    assertTrue(result.path("isError").asBoolean(), call + ": " + report.path(call));
    return Json.MAPPER.readTree(result.path("content").path(0).path("text").asText()).path("error");
  }

  /** What every transport's sandbox tools answered the SDK client (MCP_SCENARIO=sandbox in client.mjs). */
  private static void assertSdkRanCodeInTheSessionSandbox(JsonNode report) throws Exception {
    List<String> names = new ArrayList<>();
    report.path("tools").forEach(t -> names.add(t.path("name").asText()));
    assertTrue(names.containsAll(List.of("execute_code", "run_command", "greet")), names.toString());
    JsonNode python = ran(report, "python");
    assertEquals("42\n", python.path("stdout").asText());
    assertEquals("to stderr\n", python.path("stderr").asText());
    assertTrue(python.path("success").asBoolean());
    assertEquals("2,4,6\n", ran(report, "javascript").path("stdout").asText());
    assertEquals(0, ran(report, "write").path("exitCode").asInt());
    assertEquals("kept\n", ran(report, "read").path("stdout").asText(), "one sandbox for the session's calls");
    assertEquals("5", ran(report, "stdin").path("stdout").asText().strip());
    JsonNode failing = report.path("failing").path("result");
    assertTrue(failing.path("isError").asBoolean(), failing.toString());
    assertEquals(3, failing.path("structuredContent").path("exitCode").asInt(), "the SDK checked it against the outputSchema");
    assertEquals("INVALID_REQUEST", refused(report, "badLanguage").path("type").asText());
  }

  /** No sandbox directory is left under {@code dir} (the local strategy keeps them in dir/PID/ID). */
  private static void assertNoSandboxLeft(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      List<Path> left = walk.filter(p -> !p.equals(dir)).toList();
      assertTrue(left.stream().allMatch(Files::isDirectory) && left.size() <= 1, "left behind: " + left);
    }
  }

  @Test
  void theSdkClientRunsCodeInItsSessionSandboxOverStreamableHttpAndDeleteTearsItDown(@TempDir Path dir) throws Exception {
    assumeClient();
    Vertx vertx = Vertx.vertx();
    try {
      ToolEngine engine = TestEngines.start(vertx,
          TestEngines.config(TestEngines.sampleTools(), null, Map.of("runtime", "graaljs", "poolSize", "1")));
      SandboxSettings settings = SandboxFixture.settings(dir, "auto", 4);
      // ruby taken away, so a missing interpreter shows on any host
      SandboxManager sandboxes = new SandboxManager(vertx, settings,
          List.of(LocalStrategies.without(vertx, settings, Language.RUBY)));
      Router router = Router.router(vertx);
      McpHttpHandler handler = McpHttpHandler.mount(router, () -> new McpSession(engine, sandboxes));
      HttpServer server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
      JsonNode report = sdkClient(List.of("http", "http://127.0.0.1:" + server.actualPort() + McpHttpHandler.PATH),
          SANDBOX_SCENARIO);
      assertSdkRanCodeInTheSessionSandbox(report);
      JsonNode ruby = refused(report, "ruby");
      assertEquals("RUNTIME_UNAVAILABLE", ruby.path("type").asText());
      assertTrue(ruby.path("message").asText().contains("no 'ruby' interpreter"), ruby.toString());
      // the client's DELETE was answered once the sandbox was gone
      assertEquals(0, handler.sessionCount());
      assertEquals(List.of(), sandboxes.list());
      assertNoSandboxLeft(dir);
      await(sandboxes.close());
      await(engine.close());
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void theSdkClientRunsCodeInItsSessionSandboxOverStdioAndNothingIsLeftAfter(@TempDir Path dir) throws Exception {
    assumeClient();
    Path sandboxDir = Files.createDirectories(dir.resolve("sandboxes"));
    Path config = Files.writeString(dir.resolve("toolhost.yaml"), "sandbox: { dir: \"" + sandboxDir + "\" }\n");
    List<String> args = new ArrayList<>(List.of("stdio"));
    args.addAll(serverCommand());
    args.addAll(List.of("--config", config.toString()));
    assertSdkRanCodeInTheSessionSandbox(sdkClient(args, SANDBOX_SCENARIO));
    assertNoSandboxLeft(sandboxDir);
  }

  @Test
  void withSandboxToolsSwitchedOffTheMcpProcessListsNeither(@TempDir Path dir) throws Exception {
    List<String> command = new ArrayList<>(serverCommand());
    command.addAll(List.of("--mcp-sandbox-tools", "false"));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectError(dir.resolve("stderr").toFile()).start();
    try (OutputStream stdin = p.getOutputStream();
         BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      stdin.write(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      String line = stdout.readLine();
      assertNotNull(line, "the server closed stdout; stderr:\n" + Files.readString(dir.resolve("stderr")));
      List<String> names = new ArrayList<>();
      Json.MAPPER.readTree(line).path("result").path("tools").forEach(t -> names.add(t.path("name").asText()));
      assertTrue(names.contains("greet"), names.toString());
      assertFalse(names.contains("execute_code") || names.contains("run_command"), names.toString());
    }
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the server did not exit when stdin closed");
    assertTrue(Files.readString(dir.resolve("stderr")).contains("MCP sandbox tools off"));
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
