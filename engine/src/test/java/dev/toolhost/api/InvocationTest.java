package dev.toolhost.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class InvocationTest {

  private static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  /** The INVALID_REQUEST a request fails with. */
  private static InvalidRequest rejected(JsonNode request) {
    ToolException e = assertThrows(ToolException.class, () -> Invocation.fromJson(request));
    return assertInstanceOf(InvalidRequest.class, e.error());
  }

  private static void assertNamesField(String field, InvalidRequest error) {
    assertEquals("field: " + field, error.details(), error.message());
    assertTrue(error.message().contains(field.contains(".") ? field.substring(field.indexOf('.') + 1) : field),
        error.message());
  }

  @Test
  void fullRequestIsRead() {
    Invocation inv = Invocation.fromJson(json("""
        {"tool": "greet", "executionId": "exec-1", "input": {"name": "Ada", "tags": [1, 2]},
         "env": {"API_KEY": "k", "EMPTY": ""}, "timeoutMs": 5000, "runtime": "bun"}
        """));

    assertEquals("greet", inv.tool());
    assertEquals("exec-1", inv.executionId());
    assertEquals(json("{\"name\": \"Ada\", \"tags\": [1, 2]}"), inv.input());
    assertEquals(Map.of("API_KEY", "k", "EMPTY", ""), inv.env());
    assertEquals(Duration.ofMillis(5000), inv.timeout());
    assertEquals("bun", inv.runtime());
  }

  @Test
  void absentOptionalFieldsGetDefaults() {
    Invocation inv = Invocation.fromJson(json("{\"tool\": \"greet\", \"timeoutMs\": null, \"runtime\": null}"));

    assertEquals(Json.MAPPER.createObjectNode(), inv.input(), "no input is {}");
    assertEquals(Map.of(), inv.env());
    assertNull(inv.executionId(), "the engine generates it");
    assertNull(inv.timeout(), "the engine takes it from configuration");
    assertNull(inv.runtime());
  }

  @Test
  void nonObjectInputIsKeptAsGiven() {
    assertEquals(json("[1, 2]"), Invocation.fromJson(json("{\"tool\": \"t\", \"input\": [1, 2]}")).input());
    assertEquals(json("\"text\""), Invocation.fromJson(json("{\"tool\": \"t\", \"input\": \"text\"}")).input());
  }

  @Test
  void withMethodsChangeOneFieldOnly() {
    Invocation base = Invocation.fromJson(json("{\"tool\": \"t\", \"executionId\": \"e\", \"runtime\": \"node\"}"));

    Invocation changed = base.withTimeout(Duration.ofSeconds(2)).withEnv(Map.of("A", "1"));

    assertEquals(new Invocation("t", "e", base.input(), Map.of("A", "1"), Duration.ofSeconds(2), "node"), changed);
    assertEquals(Map.of(), base.env(), "the original is unchanged");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"[]", "[{\"tool\": \"t\"}]", "\"greet\"", "42", "true", "null"})
  void requestThatIsNotAnObjectIsInvalid(String request) {
    InvalidRequest error = rejected(json(request));
    assertTrue(error.message().contains("JSON object"), error.message());
  }

  @Test
  void missingRequestIsInvalid() {
    assertTrue(rejected(null).message().contains("JSON object"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"{}", "{\"tool\": null}", "{\"input\": {}}"})
  void missingToolIsInvalid(String request) {
    InvalidRequest error = rejected(json(request));
    assertNamesField("tool", error);
    assertTrue(error.message().contains("missing"), error.message());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"{\"tool\": 5}", "{\"tool\": [\"greet\"]}", "{\"tool\": {\"name\": \"greet\"}}",
      "{\"tool\": true}"})
  void toolThatIsNotAStringIsInvalid(String request) {
    InvalidRequest error = rejected(json(request));
    assertNamesField("tool", error);
    assertTrue(error.message().contains("string"), error.message());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"\"A=B\"", "[\"A=B\"]", "5", "true"})
  void envThatIsNotAnObjectIsInvalid(String env) {
    assertNamesField("env", rejected(json("{\"tool\": \"t\", \"env\": " + env + "}")));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"1", "true", "null", "{\"x\": \"y\"}", "[\"v\"]"})
  void envValueThatIsNotAStringIsInvalid(String value) {
    assertNamesField("env.API_KEY", rejected(json("{\"tool\": \"t\", \"env\": {\"OK\": \"v\", \"API_KEY\": " + value + "}}")));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"0", "-5", "1.5", "\"5000\"", "true", "{}", "18446744073709551621", "1e30"})
  void timeoutThatIsNotAPositiveIntegerIsInvalid(String timeout) {
    assertNamesField("timeoutMs", rejected(json("{\"tool\": \"t\", \"timeoutMs\": " + timeout + "}")));
  }

  @Test
  void integralFloatTimeoutIsAccepted() {
    assertEquals(Duration.ofMillis(2000), Invocation.fromJson(json("{\"tool\": \"t\", \"timeoutMs\": 2000.0}")).timeout());
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "runtime | 5",
      "runtime | [\"node\"]",
      "runtime | {}",
      "executionId | 17",
      "executionId | false"})
  void optionalTextFieldOfAnotherTypeIsInvalid(String field, String value) {
    InvalidRequest error = rejected(json("{\"tool\": \"t\", \"" + field + "\": " + value + "}"));
    assertNamesField(field, error);
    assertTrue(error.message().contains("string"), error.message());
  }
}
