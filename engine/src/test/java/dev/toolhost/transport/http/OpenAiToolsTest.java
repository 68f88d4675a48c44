package dev.toolhost.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.api.ToolDescriptor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tool ids to OpenAI function names: valid ones kept, others mapped by one fixed rule. */
class OpenAiToolsTest {
  private static final String VALID = "^[a-zA-Z0-9_-]{1,64}$";

  @Test
  void aValidNameIsKept() {
    assertEquals("greet", OpenAiTools.functionName("greet"));
    assertEquals("a-b_C9", OpenAiTools.functionName("a-b_C9"));
  }

  @Test
  void otherCharactersBecomeUnderscoresWithAHashOfTheId() {
    String name = OpenAiTools.functionName("files/read.v2");
    assertTrue(name.matches("files_read_v2_[0-9a-f]{8}"), name);
    assertEquals(name, OpenAiTools.functionName("files/read.v2"), "the same id maps to the same name");
  }

  @Test
  void idsThatSanitizeAlikeStayApart() {
    assertNotEquals(OpenAiTools.functionName("a.b"), OpenAiTools.functionName("a/b"));
    assertNotEquals(OpenAiTools.functionName("a.b"), "a_b");
  }

  @Test
  void aLongIdIsCutTo64() {
    String longId = "x".repeat(100);
    String name = OpenAiTools.functionName(longId);
    assertEquals(64, name.length());
    assertTrue(name.matches(VALID), name);
    assertNotEquals(name, OpenAiTools.functionName("x".repeat(101)));
    String longDotted = "ns/" + "y".repeat(80);
    assertTrue(OpenAiTools.functionName(longDotted).matches(VALID));
  }

  @Test
  void aMappedNameResolvesToItsTool() {
    OpenAiTools tools = new OpenAiTools(List.of(
        new ToolDescriptor("greet", "Greets", null, null, "greet.js"),
        new ToolDescriptor("files/read.v2", "Reads", null, null, "files.js")));
    assertEquals("files/read.v2", tools.resolve(OpenAiTools.functionName("files/read.v2")));
    assertEquals("files/read.v2", tools.resolve("files/read.v2"));
    assertEquals("greet", tools.resolve("greet"));
    assertEquals("unknown", tools.resolve("unknown"));
    assertEquals("{\"type\":\"object\"}", tools.definitions().get(0).path("function").path("parameters").toString());
  }
}
