package dev.toolhost.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolhost.api.Json;
import dev.toolhost.testing.TestEngines;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code toolhost mcp} in-process: MCP on stdio until stdin ends, exit 0; bad command lines exit 2. */
class McpCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String stdin, String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of(args));
    argv.addAll(List.of("--tools", TestEngines.sampleTools().toString(), "--pool-size", "1"));
    return new McpCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).run(argv);
  }

  @Test
  void servesStdioUntilStdinEndsThenExitsZero() throws Exception {
    PrintStream systemOut = System.out;
    int status = run("""
        {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{}}}
        {"jsonrpc":"2.0","method":"notifications/initialized"}
        {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"shout","arguments":{"text":"hi"}}}
        """);
    assertEquals(0, status);
    assertEquals(systemOut, System.out, "System.out is restored");
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(2, lines.length, out.toString(StandardCharsets.UTF_8));
    for (String line : lines) {
      JsonNode answer = Json.MAPPER.readTree(line);
      if (answer.path("id").asInt() == 2) assertEquals("HI", answer.path("result").path("structuredContent").path("text").asText());
    }
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("over stdio"), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void badCommandLinesExitTwoViaMain() {
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(2, Main.run(List.of("mcp", "extra"), o, e));
    assertEquals(2, Main.run(List.of("mcp", "--http", "nope"), o, e));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--http needs [HOST:]PORT"), err.toString(StandardCharsets.UTF_8));
    assertEquals(0, out.size(), "nothing on stdout");
  }

  @Test
  void theUsageTextListsMcp() {
    Main.run(List.of("--help"), new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("mcp [--http [HOST:]PORT]"));
  }
}
