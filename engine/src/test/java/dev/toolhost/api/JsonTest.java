package dev.toolhost.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

  private static InvalidRequest rejected(String text) {
    ToolException e = assertThrows(ToolException.class, () -> Json.parse(text.getBytes(StandardCharsets.UTF_8)));
    assertEquals("INVALID_REQUEST", e.error().type());
    return assertInstanceOf(InvalidRequest.class, e.error());
  }

  @Test
  void parsesValidJson() {
    assertEquals(Json.MAPPER.createObjectNode().put("tool", "greet").put("n", 2),
        Json.parse("{\"tool\": \"greet\", \"n\": 2}".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void malformedJsonSaysLineAndColumn() {
    InvalidRequest error = rejected("{\"tool\": }");
    assertTrue(error.details().endsWith("at line 1, column 10"), error.details());
  }

  @Test
  void errorOnALaterLineIsLocatedThere() {
    InvalidRequest error = rejected("{\n  \"tool\": \"greet\",\n  \"input\": x\n}");
    assertTrue(error.details().contains("at line 3, column "), error.details());
  }

  @Test
  void truncatedJsonIsInvalid() {
    InvalidRequest error = rejected("{\"tool\": \"greet\"");
    assertTrue(error.details().contains("at line 1, column "), error.details());
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"{\"tool\": \"a\"} {\"tool\": \"b\"}", "{\"tool\": \"a\"} junk", "[1] ]"})
  void textAfterTheValueIsInvalid(String text) {
    assertTrue(rejected(text).details().contains("at line 1, column "));
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"", "   ", "\n"})
  void emptyInputIsInvalid(String text) {
    assertTrue(rejected(text).details().contains("empty"));
  }

  @Test
  void invalidUtf8IsInvalid() {
    ToolException e = assertThrows(ToolException.class,
        () -> Json.parse(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}));
    assertInstanceOf(InvalidRequest.class, e.error());
  }
}
