package dev.toolhost.runtime.bundle;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * esbuild's error report made into one catalog error: each {@code ✘ [ERROR] message} with the
 * {@code file:line:column} printed under it becomes {@code file:line:column: message}.
 */
final class EsbuildMessages {
  private static final Pattern ERROR = Pattern.compile("^\\S*\\s*\\[ERROR\\]\\s+(.*)$");
  private static final Pattern LOCATION = Pattern.compile("^\\s+(\\S.*?):(\\d+):(\\d+):$");

  private EsbuildMessages() {}

  static String summary(String stderr, int exitCode) {
    List<String> errors = new ArrayList<>();
    String[] lines = stderr.split("\\R");
    for (int i = 0; i < lines.length; i++) {
      Matcher error = ERROR.matcher(lines[i]);
      if (!error.matches()) continue;
      String where = null;
      // the location, when there is one, is the next non-blank line
      for (int j = i + 1; j < lines.length && where == null; j++) {
        if (lines[j].isBlank()) continue;
        Matcher at = LOCATION.matcher(lines[j]);
        where = at.matches() ? at.group(1) + ":" + at.group(2) + ":" + at.group(3) : "";
      }
      errors.add((where == null || where.isEmpty() ? "" : where + ": ") + error.group(1));
    }
    if (errors.isEmpty()) {
      String text = stderr.strip();
      return "esbuild failed (exit " + exitCode + ")" + (text.isEmpty() ? "" : ": " + text);
    }
    return "bundling failed: " + String.join("; ", errors);
  }
}
