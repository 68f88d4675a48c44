package dev.toolhost.engine.internal;

import dev.toolhost.api.InvalidRequest;
import dev.toolhost.api.Invocation;
import dev.toolhost.api.ToolException;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * DESIGN.md's rules for what may reach a runtime: tool ids, execution ids and env keys and
 * values. Keys that change how an interpreter or the dynamic linker loads code are refused:
 * a caller must not be able to inject code through the environment.
 */
final class InvocationRules {
  private static final Pattern TOOL_ID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_./-]{0,255}");
  private static final Pattern EXECUTION_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
  private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Set<String> FORBIDDEN_PREFIXES = Set.of("LD_", "DYLD_", "BUN_");
  private static final Set<String> FORBIDDEN_KEYS = Set.of(
      "NODE_OPTIONS", "NODE_PATH", "NODE_REPL_EXTERNAL_MODULE", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS",
      "JDK_JAVA_OPTIONS", "PYTHONPATH", "PYTHONSTARTUP", "PYTHONHOME", "RUBYOPT", "RUBYLIB",
      "PERL5OPT", "PERL5LIB", "BASH_ENV", "ENV", "GCONV_PATH");

  private InvocationRules() {}

  static void check(Invocation inv, Set<String> runtimes) {
    if (inv.tool() == null || inv.tool().isEmpty()) throw invalid("missing field 'tool'", "tool");
    if (!TOOL_ID.matcher(inv.tool()).matches() || inv.tool().contains("//")
        || ("/" + inv.tool() + "/").contains("/../") || ("/" + inv.tool() + "/").contains("/./")) {
      throw invalid("tool id '" + printable(inv.tool()) + "' is not valid: use letters, digits, _ . / - "
          + "(not starting with / . or -, no '..' or '.' segment, at most 256 characters)", "tool");
    }
    if (inv.executionId() != null && !EXECUTION_ID.matcher(inv.executionId()).matches()) {
      throw invalid("executionId must be 1-128 characters of letters, digits, _ . : -", "executionId");
    }
    if (inv.runtime() != null && !runtimes.contains(inv.runtime())) {
      throw invalid("unknown runtime '" + printable(inv.runtime()) + "'; use one of " + runtimes, "runtime");
    }
    for (Map.Entry<String, String> e : inv.env().entrySet()) {
      String key = e.getKey();
      if (!ENV_KEY.matcher(key).matches()) {
        throw invalid("env key '" + printable(key) + "' is not valid: use letters, digits and _, "
            + "not starting with a digit", "env." + key);
      }
      if (FORBIDDEN_KEYS.contains(key) || FORBIDDEN_PREFIXES.stream().anyMatch(key::startsWith)) {
        throw invalid("env key '" + key + "' is refused: it changes how a runtime loads code", "env." + key);
      }
      if (e.getValue().indexOf('\0') >= 0) {
        throw invalid("env value of '" + key + "' holds a NUL character", "env." + key);
      }
    }
  }

  private static String printable(String s) {
    String cut = s.length() > 80 ? s.substring(0, 80) + "…" : s;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }

  private static ToolException invalid(String message, String field) {
    return new ToolException(new InvalidRequest(message, "field: " + field));
  }
}
