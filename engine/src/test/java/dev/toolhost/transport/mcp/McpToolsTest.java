package dev.toolhost.transport.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolhost.api.Json;
import dev.toolhost.api.ToolDescriptor;
import dev.toolhost.api.ToolResult;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How catalog tools and their answers look in MCP: input schemas are always objects, output as text and structure. */
class McpToolsTest {
  private static JsonNode json(String text) throws Exception {
    return Json.MAPPER.readTree(text);
  }

  private static Optional<ObjectNode> definition(String input, String output) throws Exception {
    return McpTools.definition(new ToolDescriptor("t", "", input == null ? null : json(input),
        output == null ? null : json(output), "t.js"), true);
  }

  @Test
  void anObjectSchemaIsListedAsItIs() throws Exception {
    String schema = "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}";
    ObjectNode tool = definition(schema, null).orElseThrow();
    assertEquals(json(schema), tool.path("inputSchema"));
    assertFalse(tool.has("description"), "an empty description is left out");
  }

  @Test
  void aSchemaWithoutATypeIsAnObjectSchemaInMcp() throws Exception {
    ObjectNode tool = definition("{\"properties\":{\"a\":{\"type\":\"string\"}}}", null).orElseThrow();
    assertEquals(json("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}"), tool.path("inputSchema"));
  }

  @Test
  void aToolWhoseInputIsNotAnObjectCannotBeListed() throws Exception {
    assertTrue(definition("{\"type\":\"string\"}", null).isEmpty());
    assertTrue(definition("{\"type\":[\"object\",\"null\"]}", null).isEmpty());
    assertTrue(definition("true", null).isEmpty());
  }

  @Test
  void onlyObjectOutputSchemasAreListed() throws Exception {
    assertTrue(definition(null, "{\"type\":\"object\"}").orElseThrow().has("outputSchema"));
    assertFalse(definition(null, "{\"type\":\"array\"}").orElseThrow().has("outputSchema"));
  }

  @Test
  void anOutputThatIsNotAnObjectIsTextOnly() throws Exception {
    ObjectNode result = McpTools.success(new ToolResult("e", "t", "graaljs", json("[1,2]"), 1.5, 1, List.of()), true);
    assertEquals("[1,2]", result.path("content").path(0).path("text").asText());
    assertFalse(result.has("structuredContent"));
    ObjectNode nothing = McpTools.success(new ToolResult("e", "t", "graaljs", json("null"), 1.5, 1, List.of()), true);
    assertEquals("null", nothing.path("content").path(0).path("text").asText());
  }
}
