package dev.toolhost.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ToolExceptionTest {
  private static final Set<String> COMMON = Set.of("type", "message", "tool", "executionId", "retryable", "attempts");

  private static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  private static ObjectNode errorJson(ToolError error) {
    ObjectNode root = new ToolException(error, "greet", "exec-1", 2, false).toJson();
    assertEquals(Set.of("error"), fieldNames(root), "the failure is one object under 'error'");
    return (ObjectNode) root.get("error");
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new LinkedHashSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** The type-specific fields, i.e. all but the common ones. */
  private static Set<String> extraFields(ObjectNode error) {
    Set<String> names = fieldNames(error);
    assertTrue(names.containsAll(COMMON), () -> "missing common fields in " + error);
    names.removeAll(COMMON);
    return names;
  }

  @Test
  void commonFieldsCarryWhereAndHowItFailed() {
    ObjectNode error = errorJson(new Cancelled("the caller cancelled"));

    assertEquals(json("""
        {"type": "CANCELLED", "message": "the caller cancelled", "tool": "greet",
         "executionId": "exec-1", "retryable": false, "attempts": 2}
        """), error);
  }

  @Test
  void errorAloneHasNullContextOneAttemptAndItsDefaultRetryVerdict() {
    ToolException e = new ToolException(new ProcessError("worker died", 137, "SIGKILL", "oom"));

    JsonNode error = e.toJson().get("error");
    assertTrue(error.get("tool").isNull());
    assertTrue(error.get("executionId").isNull());
    assertEquals(1, error.get("attempts").asInt());
    assertTrue(error.get("retryable").asBoolean(), "PROCESS_ERROR is retried by default");
    assertFalse(new ToolException(new Timeout("late", 10)).retryable(), "TIMEOUT is not retried by default");
    assertEquals("PROCESS_ERROR: worker died", e.getMessage());
  }

  @Test
  void invalidInputListsViolationsAsPointerAndMessage() {
    ObjectNode error = errorJson(new InvalidInput("input does not match the schema", List.of(
        new InvalidInput.Violation("/name", "required property 'name' not found"),
        new InvalidInput.Violation("/items/1/price", "string found, number expected"))));

    assertEquals(Set.of("violations"), extraFields(error));
    assertEquals(json("""
        [{"pointer": "/name", "message": "required property 'name' not found"},
         {"pointer": "/items/1/price", "message": "string found, number expected"}]
        """), error.get("violations"));
    assertEquals("INVALID_INPUT", error.get("type").asText());
  }

  @Test
  void toolNotFoundListsKnownNames() {
    ObjectNode error = errorJson(new ToolNotFound("no tool named 'gret'", List.of("greet", "grep")));

    assertEquals(Set.of("known"), extraFields(error));
    assertEquals(json("[\"greet\", \"grep\"]"), error.get("known"));
  }

  @Test
  void toolNotFoundWithNoNearNamesHasAnEmptyList() {
    ObjectNode error = errorJson(new ToolNotFound("no tool named 'zzz'", List.of()));
    assertTrue(error.get("known").isArray());
    assertEquals(0, error.get("known").size());
  }

  @Test
  void toolFailureCarriesNameCodeStackAndDetailsWhenGiven() {
    ObjectNode withDetails = errorJson(new ToolFailure("boom", "RangeError", "E_RANGE", "RangeError: boom\n  at run",
        false, json("{\"limit\": 3}")));
    assertEquals("TOOL_ERROR", withDetails.get("type").asText());
    assertEquals(Set.of("name", "code", "stack", "details"), extraFields(withDetails));
    assertEquals("RangeError", withDetails.get("name").asText());
    assertEquals("E_RANGE", withDetails.get("code").asText());
    assertEquals("RangeError: boom\n  at run", withDetails.get("stack").asText());
    assertEquals(json("{\"limit\": 3}"), withDetails.get("details"));

    ObjectNode plain = errorJson(new ToolFailure("boom", "Error", null, null, false, null));
    assertEquals(Set.of("name", "code", "stack"), extraFields(plain), "no details field when there are none");
    assertTrue(plain.get("code").isNull());
  }

  @Test
  void toolFailureMarkedRetryableIsRetriedByDefault() {
    assertTrue(new ToolFailure("busy", "Error", "EBUSY", null, true, null).retryableByDefault());
    assertFalse(new ToolFailure("bad", "Error", null, null, false, null).retryableByDefault());
  }

  @Test
  void timeoutCarriesTimeoutMs() {
    ObjectNode error = errorJson(new Timeout("deadline of 5000 ms passed", 5000));
    assertEquals(Set.of("timeoutMs"), extraFields(error));
    assertEquals(5000, error.get("timeoutMs").asLong());
  }

  @Test
  void processErrorCarriesExitCodeSignalAndStderr() {
    ObjectNode killed = errorJson(new ProcessError("worker killed", null, "SIGKILL", "tail of stderr"));
    assertEquals(Set.of("exitCode", "signal", "stderr"), extraFields(killed));
    assertTrue(killed.get("exitCode").isNull(), "killed by a signal: no exit code");
    assertEquals("SIGKILL", killed.get("signal").asText());
    assertEquals("tail of stderr", killed.get("stderr").asText());

    ObjectNode exited = errorJson(new ProcessError("worker exited", 3, null, ""));
    assertEquals(3, exited.get("exitCode").asInt());
    assertTrue(exited.get("signal").isNull());
  }

  @Test
  void permissionDeniedCarriesPermissionAndTarget() {
    ObjectNode error = errorJson(new PermissionDenied("network access refused", "net", "example.com:443"));
    assertEquals(Set.of("permission", "target"), extraFields(error));
    assertEquals("net", error.get("permission").asText());
    assertEquals("example.com:443", error.get("target").asText());
  }

  @Test
  void overloadedCarriesRetryAfterMs() {
    ObjectNode error = errorJson(new Overloaded("queue full", 250));
    assertEquals(Set.of("retryAfterMs"), extraFields(error));
    assertEquals(250, error.get("retryAfterMs").asLong());
  }

  @Test
  void otherTypesCarryTheirDesignFields() {
    assertEquals(Set.of("limitBytes", "what"), extraFields(errorJson(new OutputLimitExceeded("too big", 1024, "output"))));
    assertEquals(Set.of("runtime", "hint"), extraFields(errorJson(new RuntimeUnavailable("no bun", "bun", "install bun"))));
    assertEquals(Set.of("details"), extraFields(errorJson(new InvalidRequest("bad", "field: tool"))));
    assertEquals(Set.of(), extraFields(errorJson(new InvalidRequest("bad"))), "no details field when there are none");
    assertEquals(Set.of("details"), extraFields(errorJson(new InvalidOutput("not JSON", "line 1"))));
    assertEquals(Set.of("resource", "name"), extraFields(errorJson(new NotFound("no file 'a'", "file", "a"))));
  }

  /** Every ToolError record, with its wire type, HTTP status and default retry verdict (DESIGN.md table). */
  static Stream<Arguments> everyErrorType() {
    return Stream.of(
        Arguments.of(new InvalidRequest("m"), "INVALID_REQUEST", 400, false),
        Arguments.of(new InvalidInput("m", List.of()), "INVALID_INPUT", 400, false),
        Arguments.of(new ToolNotFound("m", List.of()), "TOOL_NOT_FOUND", 404, false),
        Arguments.of(new ToolFailure("m", "Error", null, null, false, null), "TOOL_ERROR", 422, false),
        Arguments.of(new InvalidOutput("m", null), "INVALID_OUTPUT", 502, false),
        Arguments.of(new OutputLimitExceeded("m", 1, "output"), "OUTPUT_LIMIT_EXCEEDED", 502, false),
        Arguments.of(new Timeout("m", 1), "TIMEOUT", 504, false),
        Arguments.of(new PermissionDenied("m", "fs", "/etc"), "PERMISSION_DENIED", 403, false),
        Arguments.of(new ProcessError("m", 1, null, ""), "PROCESS_ERROR", 500, true),
        Arguments.of(new RuntimeUnavailable("m", "bun", "h"), "RUNTIME_UNAVAILABLE", 503, true),
        Arguments.of(new Overloaded("m", 1), "OVERLOADED", 429, false),
        Arguments.of(new Cancelled("m"), "CANCELLED", 499, false),
        Arguments.of(new NotFound("m", "file", "a.txt"), "NOT_FOUND", 404, false));
  }

  @ParameterizedTest(name = "{1} -> {2}")
  @MethodSource("everyErrorType")
  void typeStatusAndRetryFollowTheDesignTable(ToolError error, String type, int status, boolean retried) {
    assertEquals(type, error.type());
    assertEquals(status, error.httpStatus());
    assertEquals(retried, error.retryableByDefault());
    assertEquals(type, new ToolException(error).toJson().get("error").get("type").asText());
  }

  @Test
  void tableCoversEveryErrorRecord() {
    Set<Class<?>> permitted = Arrays.stream(ToolError.class.getPermittedSubclasses()).collect(Collectors.toSet());
    Set<Class<?>> tested = everyErrorType().map(a -> a.get()[0].getClass()).collect(Collectors.toSet());
    assertEquals(permitted, tested);
    assertEquals(13, tested.size());
  }
}
