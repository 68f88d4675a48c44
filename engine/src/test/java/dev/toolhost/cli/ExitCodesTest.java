package dev.toolhost.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.toolhost.api.Cancelled;
import dev.toolhost.api.InvalidInput;
import dev.toolhost.api.InvalidOutput;
import dev.toolhost.api.InvalidRequest;
import dev.toolhost.api.OutputLimitExceeded;
import dev.toolhost.api.NotFound;
import dev.toolhost.api.Overloaded;
import dev.toolhost.api.PermissionDenied;
import dev.toolhost.api.ProcessError;
import dev.toolhost.api.RuntimeUnavailable;
import dev.toolhost.api.Timeout;
import dev.toolhost.api.ToolError;
import dev.toolhost.api.ToolFailure;
import dev.toolhost.api.ToolNotFound;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ExitCodesTest {
  private static final List<ToolError> EVERY_ERROR = List.of(
      new InvalidRequest("m"),
      new InvalidInput("m", List.of()),
      new ToolNotFound("m", List.of()),
      new ToolFailure("m", "Error", null, null, false, null),
      new InvalidOutput("m", null),
      new OutputLimitExceeded("m", 1, "output"),
      new Timeout("m", 1),
      new PermissionDenied("m", "fs", "/etc"),
      new ProcessError("m", 1, null, ""),
      new RuntimeUnavailable("m", "bun", "h"),
      new Overloaded("m", 1),
      new Cancelled("m"),
      new NotFound("m", "sandbox", "x"));

  @Test
  void everyErrorTypeHasItsOwnNonZeroCode() {
    assertEquals(Arrays.stream(ToolError.class.getPermittedSubclasses()).collect(Collectors.toSet()),
        EVERY_ERROR.stream().map(Object::getClass).collect(Collectors.toSet()), "the list covers every error type");

    Map<Integer, String> byCode = new HashMap<>();
    for (ToolError error : EVERY_ERROR) {
      int code = ExitCodes.of(error);
      assertNotEquals(ExitCodes.OK, code, error.type());
      assertNotEquals(ExitCodes.USAGE, code, error.type() + " must not look like a usage error");
      assertNotEquals(1, code, error.type() + " must not fall to the generic code");
      String clash = byCode.put(code, error.type());
      assertEquals(null, clash, () -> error.type() + " shares exit code " + code + " with " + clash);
    }
    assertEquals(13, byCode.size());
  }

  @Test
  void successAndUsageHaveTheConventionalCodes() {
    assertEquals(0, ExitCodes.OK);
    assertEquals(2, ExitCodes.USAGE);
  }
}
