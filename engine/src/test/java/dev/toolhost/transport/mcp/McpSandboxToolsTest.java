package dev.toolhost.transport.mcp;

import static dev.toolhost.sandbox.SandboxFixture.eventually;
import static dev.toolhost.testing.TestEngines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolhost.api.Json;
import dev.toolhost.engine.ToolEngine;
import dev.toolhost.sandbox.Language;
import dev.toolhost.sandbox.Sandbox;
import dev.toolhost.sandbox.SandboxFixture;
import dev.toolhost.sandbox.local.LocalStrategies;
import dev.toolhost.testing.TestEngines;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * MCP's execute_code and run_command on the session's own sandbox (local strategy, ruby taken
 * away so a missing interpreter can be shown on any host), through {@link McpSession}.
 */
class McpSandboxToolsTest {
  private static Vertx vertx;
  private static ToolEngine engine;
  private SandboxFixture sandboxes;
  private McpSession session;

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
  void open() throws IOException {
    Path dir = Files.createTempDirectory("toolhost-mcp-sandbox");
    var settings = SandboxFixture.settings(dir, "auto", 2);
    sandboxes = new SandboxFixture(dir, settings, v -> LocalStrategies.without(v, settings, Language.RUBY));
    session = new McpSession(engine, sandboxes.manager);
    initialize(session, "2025-06-18");
  }

  @AfterEach
  void close() throws IOException {
    await(session.close());
    sandboxes.close();
  }

  private static void initialize(McpSession session, String version) {
    JsonNode answer = send(session, "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
        + "{\"protocolVersion\":\"" + version + "\",\"capabilities\":{}}}");
    assertEquals(version, answer.path("result").path("protocolVersion").asText(), answer.toString());
  }

  private static JsonNode send(McpSession session, String message) {
    return await(session.handle(message.getBytes(StandardCharsets.UTF_8)));
  }

  private static Future<JsonNode> start(McpSession session, Object id, String tool, String arguments) {
    return session.handle(("{\"jsonrpc\":\"2.0\",\"id\":" + Json.MAPPER.valueToTree(id) + ",\"method\":\"tools/call\","
        + "\"params\":{\"name\":\"" + tool + "\",\"arguments\":" + arguments + "}}").getBytes(StandardCharsets.UTF_8));
  }

  /** The result of a call (asserted not to be a protocol error). */
  private JsonNode call(String tool, String arguments) {
    JsonNode answer = await(start(session, 1, tool, arguments));
    assertFalse(answer.has("error"), answer.toString());
    return answer.path("result");
  }

  /** A successful call's structuredContent, checked against its text content. */
  private JsonNode succeeded(String tool, String arguments) throws IOException {
    JsonNode result = call(tool, arguments);
    assertFalse(result.path("isError").asBoolean(), result.toString());
    assertTrue(result.path("structuredContent").path("success").asBoolean(), result.toString());
    assertEquals(result.path("structuredContent"), Json.MAPPER.readTree(result.path("content").path(0).path("text").asText()));
    return result.path("structuredContent");
  }

  /** A refused call's error JSON (DESIGN.md's), from its text content. */
  private JsonNode refused(String tool, String arguments) throws IOException {
    JsonNode result = call(tool, arguments);
    assertTrue(result.path("isError").asBoolean(), result.toString());
    assertFalse(result.has("structuredContent"), result.toString());
    return Json.MAPPER.readTree(result.path("content").path(0).path("text").asText()).path("error");
  }

  private static List<JsonNode> tools(McpSession session) {
    List<JsonNode> tools = new ArrayList<>();
    send(session, "{\"jsonrpc\":\"2.0\",\"id\":\"l\",\"method\":\"tools/list\"}").path("result").path("tools").forEach(tools::add);
    return tools;
  }

  private static Optional<JsonNode> tool(List<JsonNode> tools, String name) {
    return tools.stream().filter(t -> t.path("name").asText().equals(name)).findFirst();
  }

  @Test
  void bothToolsAreListedBesideTheCatalogWithInputAndOutputSchemas() {
    List<JsonNode> tools = tools(session);
    assertTrue(tool(tools, "greet").isPresent());
    JsonNode execute = tool(tools, "execute_code").orElseThrow();
    assertEquals("[\"code\",\"language\"]", execute.path("inputSchema").path("required").toString());
    assertEquals("[\"python\",\"javascript\",\"typescript\",\"bash\",\"sh\",\"ruby\"]",
        execute.path("inputSchema").path("properties").path("language").path("enum").toString());
    assertFalse(execute.path("inputSchema").path("additionalProperties").asBoolean(true));
    assertEquals("[\"success\",\"stdout\",\"stderr\",\"exitCode\",\"executionTimeMs\",\"error\"]",
        execute.path("outputSchema").path("required").toString());
    JsonNode run = tool(tools, "run_command").orElseThrow();
    assertEquals("[\"command\"]", run.path("inputSchema").path("required").toString());
    assertEquals("string", run.path("inputSchema").path("properties").path("args").path("items").path("type").asText());
    assertEquals(execute.path("outputSchema"), run.path("outputSchema"));

    McpSession older = new McpSession(engine, sandboxes.manager);
    initialize(older, "2025-03-26");
    assertFalse(tool(tools(older), "execute_code").orElseThrow().has("outputSchema"), "no outputSchema before 2025-06-18");
  }

  @Test
  void aSessionWithoutSandboxesHasNeitherTool() {
    McpSession plain = new McpSession(engine);
    initialize(plain, "2025-06-18");
    List<JsonNode> tools = tools(plain);
    assertTrue(tool(tools, "greet").isPresent());
    assertTrue(tool(tools, "execute_code").isEmpty());
    assertTrue(tool(tools, "run_command").isEmpty());
    JsonNode answer = await(start(plain, 1, "execute_code", "{\"code\":\"print(1)\",\"language\":\"python\"}"));
    assertEquals(-32602, answer.path("error").path("code").asInt(), answer.toString());
  }

  @Test
  void pythonJavascriptAndCommandsShareTheSessionsOneSandbox() throws IOException {
    JsonNode python = succeeded("execute_code",
        "{\"code\":\"open('note.txt', 'w').write('kept')\\nprint(6 * 7)\",\"language\":\"python\"}");
    assertEquals("42\n", python.path("stdout").asText());
    assertEquals(0, python.path("exitCode").asInt());
    assertTrue(python.path("error").isNull());
    assertTrue(python.path("executionTimeMs").asDouble() > 0);
    JsonNode javascript = succeeded("execute_code",
        "{\"code\":\"console.log([1, 2, 3].map(x => x * 2).join(','))\",\"language\":\"javascript\"}");
    assertEquals("2,4,6\n", javascript.path("stdout").asText());
    assertEquals("kept", succeeded("run_command", "{\"command\":\"cat\",\"args\":[\"note.txt\"]}").path("stdout").asText(),
        "a later call sees the files of an earlier one");
    assertEquals(1, sandboxes.manager.list().size());
  }

  @Test
  void runCommandTakesArgsCwdAndStdin() throws IOException {
    succeeded("run_command", "{\"command\":\"mkdir\",\"args\":[\"sub\"]}");
    JsonNode run = succeeded("run_command",
        "{\"command\":\"bash\",\"args\":[\"-c\",\"basename \\\"$PWD\\\"; tr a-z A-Z\"],\"cwd\":\"sub\",\"stdin\":\"from stdin\"}");
    assertEquals("sub\nFROM STDIN", run.path("stdout").asText());
  }

  @Test
  void aProgramThatFailsIsAnErrorResultWithItsOutput() throws IOException {
    JsonNode result = call("execute_code", "{\"code\":\"print('partial')\\nraise ValueError('boom')\",\"language\":\"python\"}");
    assertTrue(result.path("isError").asBoolean(), result.toString());
    JsonNode content = result.path("structuredContent");
    assertFalse(content.path("success").asBoolean());
    assertEquals(1, content.path("exitCode").asInt());
    assertEquals("partial\n", content.path("stdout").asText());
    assertEquals("ValueError: boom", content.path("error").asText());
    JsonNode exit = call("run_command", "{\"command\":\"bash\",\"args\":[\"-c\",\"exit 3\"]}");
    assertTrue(exit.path("isError").asBoolean());
    assertEquals("exited with code 3", exit.path("structuredContent").path("error").asText());
  }

  @Test
  void badArgumentsAreInvalidRequestResultsAndMakeNoSandbox() throws IOException {
    String[][] cases = {
        {"execute_code", "{\"language\":\"python\"}", "code"},
        {"execute_code", "{\"code\":\"1\",\"language\":\"cobol\"}", "language"},
        {"execute_code", "{\"code\":\"1\",\"language\":\"python\",\"timeout\":5}", "timeout"},
        {"execute_code", "{\"code\":\"1\",\"language\":\"python\",\"timeoutMs\":0}", "timeoutMs"},
        {"run_command", "{\"args\":[\"-l\"]}", "command"},
        {"run_command", "{\"command\":\"ls\",\"args\":\"-l\"}", "args"},
        {"run_command", "{\"command\":\"ls\",\"stdin\":7}", "stdin"},
    };
    for (String[] c : cases) {
      JsonNode error = refused(c[0], c[1]);
      assertEquals("INVALID_REQUEST", error.path("type").asText(), c[1]);
      assertEquals("field: " + c[2], error.path("details").asText(), c[1]);
    }
    assertEquals(List.of(), sandboxes.manager.list(), "arguments are checked before a sandbox is made");
    JsonNode missing = refused("run_command", "{\"command\":\"no-such-command-9\"}");
    assertEquals("INVALID_REQUEST", missing.path("type").asText());
    assertTrue(missing.path("message").asText().contains("not found"), missing.toString());
  }

  @Test
  void aMissingInterpreterIsRuntimeUnavailableNamingIt() throws IOException {
    JsonNode error = refused("execute_code", "{\"code\":\"puts 1\",\"language\":\"ruby\"}");
    assertEquals("RUNTIME_UNAVAILABLE", error.path("type").asText());
    assertEquals("ruby", error.path("runtime").asText());
    assertTrue(error.path("message").asText().contains("no 'ruby' interpreter"), error.toString());
  }

  @Test
  void aCommandPastItsDeadlineIsKilledAndATimeout() throws IOException {
    JsonNode error = refused("run_command", "{\"command\":\"sleep\",\"args\":[\"30\"],\"timeoutMs\":300}");
    assertEquals("TIMEOUT", error.path("type").asText());
    assertEquals(300, error.path("timeoutMs").asInt());
  }

  @Test
  void aFullManagerIsOverloadedAndALaterCallGetsItsSandbox() throws IOException {
    Sandbox first = sandboxes.create();
    sandboxes.create();
    JsonNode error = refused("run_command", "{\"command\":\"true\"}");
    assertEquals("OVERLOADED", error.path("type").asText());
    assertTrue(error.path("retryAfterMs").asLong() > 0);
    await(sandboxes.manager.teardown(first.id()));
    assertEquals(0, succeeded("run_command", "{\"command\":\"true\"}").path("exitCode").asInt());
  }

  @Test
  void aSandboxTornDownForIdlingIsReplacedAtTheNextCall() throws IOException {
    succeeded("run_command", "{\"command\":\"true\"}");
    Sandbox lost = sandboxes.manager.list().get(0);
    await(sandboxes.manager.teardown(lost.id()));  // as its idle timeout would
    succeeded("run_command", "{\"command\":\"true\"}");
    assertEquals(1, sandboxes.manager.list().size());
    assertFalse(sandboxes.manager.list().get(0).id().equals(lost.id()));
  }

  private static Optional<ProcessHandle> running(String commandLine) {
    return ProcessHandle.current().descendants()
        .filter(p -> p.info().commandLine().orElse("").contains(commandLine)).findFirst();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "run_command  | {\"command\":\"sleep\",\"args\":[\"601\"]} | sleep 601",
      "execute_code | {\"code\":\"sleep 603\",\"language\":\"bash\"} | sleep 603"})
  void aCancelledCallIsKilledAndNotAnswered(String tool, String arguments, String commandLine) throws Exception {
    Future<JsonNode> call = start(session, "c", tool, arguments);
    eventually("the command runs", () -> running(commandLine).isPresent());
    ProcessHandle sleeper = running(commandLine).orElseThrow();
    assertNull(send(session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":\"c\"}}"));
    assertNull(await(call), "a cancelled request gets no answer");
    eventually("the command is killed", () -> !sleeper.isAlive());
    assertEquals(1, sandboxes.manager.list().size(), "the sandbox stays for the session's next calls");
  }

  @Test
  void closingTheSessionTearsItsSandboxDownWithWhatRunsInIt() throws Exception {
    Future<JsonNode> call = start(session, 9, "run_command", "{\"command\":\"sleep\",\"args\":[\"602\"]}");
    eventually("the command runs", () -> running("sleep 602").isPresent());
    ProcessHandle sleeper = running("sleep 602").orElseThrow();
    Sandbox sandbox = sandboxes.manager.list().get(0);
    assertTrue(Files.isDirectory(sandboxes.sandboxDir(sandbox.id())));

    await(session.close());
    assertEquals(List.of(), sandboxes.manager.list());
    assertFalse(sandbox.isReady());
    assertFalse(Files.exists(sandboxes.sandboxDir(sandbox.id())), "its files are gone");
    eventually("its process is killed", () -> !sleeper.isAlive());
    assertNull(await(call), "a call cut off by the session's end gets no answer");
    JsonNode after = refused("run_command", "{\"command\":\"true\"}");
    assertEquals("INVALID_REQUEST", after.path("type").asText());
    assertEquals(List.of(), sandboxes.manager.list(), "an ended session makes no new sandbox");
  }

  @Test
  void stdioEofTearsTheSessionsSandboxDown() throws Exception {
    PipedOutputStream stdin = new PipedOutputStream();
    PipedInputStream in = new PipedInputStream(stdin, 1 << 16);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    McpSession stdioSession = new McpSession(engine, sandboxes.manager);
    Future<Void> served = new McpStdioTransport(stdioSession, vertx.getOrCreateContext(), in, out,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).serve();
    stdin.write(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"run_command\","
        + "\"arguments\":{\"command\":\"bash\",\"args\":[\"-c\",\"echo hi > f.txt; cat f.txt\"]}}}\n").getBytes(StandardCharsets.UTF_8));
    eventually("the sandbox is made", () -> !sandboxes.manager.list().isEmpty());
    Sandbox sandbox = sandboxes.manager.list().get(0);
    stdin.close();
    await(served);
    JsonNode answer = Json.MAPPER.readTree(out.toString(StandardCharsets.UTF_8).strip());
    assertEquals("hi\n", answer.path("result").path("structuredContent").path("stdout").asText(), answer.toString());
    assertEquals(List.of(), sandboxes.manager.list(), "the end of stdin ended the session and its sandbox");
    assertFalse(Files.exists(sandboxes.sandboxDir(sandbox.id())));
  }

  @Test
  void aCatalogToolOfTheSameNameTakesPrecedence(@TempDir Path tools) throws Exception {
    Files.writeString(tools.resolve("mine.mjs"),
        "export async function execute_code(input) { return { mine: true, language: input.language }; }\n");
    Vertx own = Vertx.vertx();
    try {
      ToolEngine withClash = TestEngines.start(own, TestEngines.config(tools, null, Map.of("runtime", "graaljs")));
      McpSession clash = new McpSession(withClash, sandboxes.manager);
      initialize(clash, "2025-06-18");
      List<JsonNode> listed = tools(clash);
      assertEquals(1, listed.stream().filter(t -> t.path("name").asText().equals("execute_code")).count(), listed.toString());
      assertFalse(tool(listed, "execute_code").orElseThrow().has("outputSchema"), "the catalog's tool is listed");
      assertTrue(tool(listed, "run_command").isPresent());
      JsonNode answer = await(start(clash, 1, "execute_code", "{\"code\":\"1\",\"language\":\"python\"}"));
      assertEquals("{\"mine\":true,\"language\":\"python\"}", answer.path("result").path("structuredContent").toString());
      assertEquals(List.of(), sandboxes.manager.list(), "the catalog's tool ran, not a sandbox");
      await(clash.close());
      await(withClash.close());
    } finally {
      await(own.close());
    }
  }
}
