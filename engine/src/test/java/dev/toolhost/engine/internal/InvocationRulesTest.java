package dev.toolhost.engine.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.api.InvalidRequest;
import dev.toolhost.api.Invocation;
import dev.toolhost.api.Json;
import dev.toolhost.api.ToolException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InvocationRulesTest {
  private static final Set<String> RUNTIMES = Set.of("node", "bun", "graaljs", "docker");

  private static Invocation invocation(String tool) {
    return Invocation.of(tool, Json.MAPPER.createObjectNode());
  }

  private static Invocation withEnv(String key, String value) {
    return invocation("greet").withEnv(Map.of(key, value));
  }

  /** Checks the invocation, expecting INVALID_REQUEST naming {@code field}; returns its message. */
  private static String refused(Invocation inv, String field) {
    ToolException e = assertThrows(ToolException.class, () -> InvocationRules.check(inv, RUNTIMES));
    InvalidRequest error = assertInstanceOf(InvalidRequest.class, e.error());
    assertEquals("INVALID_REQUEST", error.type());
    assertEquals("field: " + field, error.details(), error.message());
    return error.message();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"greet", "g", "_private", "9lives", "json/parse", "a/b/c", "my-tool", "tool.v2",
      "a..b", "A_Z.0-9/x"})
  void validToolIdsPass(String tool) {
    assertDoesNotThrow(() -> InvocationRules.check(invocation(tool), RUNTIMES));
  }

  @Test
  void toolIdOfExactly256CharactersPasses() {
    assertDoesNotThrow(() -> InvocationRules.check(invocation("t".repeat(256)), RUNTIMES));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"a/../b", "../x", "..", "a/..", "/etc", "/etc/passwd", "-x", ".hidden", "./x", "a/./b",
      "a//b", "a b", "a\\b", "greet;rm", "a\u0000b", "a\nb", "a\tb", "\u001bx", "café", "a:b"})
  void invalidToolIdsAreRefused(String tool) {
    String message = refused(invocation(tool), "tool");
    assertTrue(message.contains("tool id"), message);
    assertTrue(message.chars().noneMatch(Character::isISOControl), () -> "control characters echoed: " + message);
  }

  @Test
  void emptyOrOverlongToolIdIsRefused() {
    refused(invocation(""), "tool");
    String message = refused(invocation("t".repeat(300)), "tool");
    assertTrue(message.length() < 300, "a long id is not echoed whole");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"API_KEY", "_X", "a", "lower_case1", "X9"})
  void validEnvKeysPass(String key) {
    assertDoesNotThrow(() -> InvocationRules.check(withEnv(key, "v"), RUNTIMES));
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"1A", "A-B", "a b", "A=B", "A.B", "", "Ä"})
  void invalidEnvKeysAreRefused(String key) {
    refused(withEnv(key, "v"), "env." + key);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "NODE_OPTIONS", "NODE_PATH",
      "DYLD_INSERT_LIBRARIES", "DYLD_LIBRARY_PATH", "BUN_CONFIG", "BUN_OPTIONS", "PYTHONPATH", "PYTHONSTARTUP",
      "JAVA_TOOL_OPTIONS", "RUBYOPT", "PERL5OPT", "BASH_ENV"})
  void keysThatChangeHowCodeLoadsAreRefused(String key) {
    String message = refused(withEnv(key, "/tmp/evil.so"), "env." + key);
    assertTrue(message.contains(key) && message.contains("refused"), message);
  }

  @Test
  void similarButHarmlessKeysPass() {
    assertDoesNotThrow(() -> InvocationRules.check(invocation("greet").withEnv(
        Map.of("NODE_ENV", "production", "MY_LD_PRELOAD", "x", "BUNDLE", "1", "PYTHON", "3")), RUNTIMES));
  }

  @Test
  void nulInAnEnvValueIsRefused() {
    String message = refused(withEnv("API_KEY", "abc\u0000def"), "env.API_KEY");
    assertTrue(message.contains("NUL"), message);
  }

  @Test
  void otherControlCharactersInValuesPass() {
    assertDoesNotThrow(() -> InvocationRules.check(withEnv("MULTI", "line1\nline2\ttab"), RUNTIMES));
  }

  @Test
  void unknownRuntimeIsRefused() {
    String message = refused(invocation("greet").withRuntime("nodejs"), "runtime");
    assertTrue(message.contains("nodejs"), message);
  }

  @Test
  void knownRuntimePasses() {
    for (String runtime : RUNTIMES) {
      assertDoesNotThrow(() -> InvocationRules.check(invocation("greet").withRuntime(runtime), RUNTIMES));
    }
  }

  @Test
  void runtimeNotOfferedByThisEngineIsRefused() {
    ToolException e = assertThrows(ToolException.class,
        () -> InvocationRules.check(invocation("greet").withRuntime("docker"), Set.of("node")));
    assertEquals("field: runtime", ((InvalidRequest) e.error()).details());
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"", "has space", "a/b", "x\ny", "semi;colon"})
  void badExecutionIdIsRefused(String id) {
    refused(invocation("greet").withExecutionId(id), "executionId");
  }

  @Test
  void overlongExecutionIdIsRefused() {
    refused(invocation("greet").withExecutionId("e".repeat(129)), "executionId");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"exec-1", "0b7c0e1e-5c3a-4a3e-9a56-2f4f5f0d9c11", "run:42.3_x"})
  void goodExecutionIdPasses(String id) {
    assertDoesNotThrow(() -> InvocationRules.check(invocation("greet").withExecutionId(id), RUNTIMES));
  }
}
