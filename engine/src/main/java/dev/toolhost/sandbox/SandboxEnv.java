package dev.toolhost.sandbox;

import dev.toolhost.api.InvalidRequest;
import dev.toolhost.api.ToolException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks env given to a sandbox or one of its commands. A sandbox runs whatever commands it is
 * given, so loader variables ({@code LD_PRELOAD}...) are not refused as they are for tools; keys
 * and values must only be representable in a process environment.
 */
public final class SandboxEnv {
  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private SandboxEnv() {}

  /** @throws ToolException INVALID_REQUEST naming {@code field.KEY} */
  public static void check(Map<String, String> env, String field) {
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (!KEY.matcher(e.getKey()).matches() || e.getValue() == null || e.getValue().indexOf('\0') >= 0) {
        throw new ToolException(new InvalidRequest("env entry '" + e.getKey().replaceAll("\\p{Cntrl}", "?")
            + "' is not valid: keys are letters, digits and _ (not starting with a digit), values hold no NUL",
            "field: " + field + "." + e.getKey()));
      }
    }
  }
}
