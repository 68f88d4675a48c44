package dev.toolhost.sandbox.spi;

import dev.toolhost.api.InvalidRequest;
import dev.toolhost.api.ToolException;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules every strategy applies to a caller's path before it looks at any file: relative,
 * {@code /} separators, no {@code ..} segment, no NUL. Whether a symlink on the way leaves the
 * root is the strategy's to check, where the files are.
 */
public final class SandboxPaths {
  private SandboxPaths() {}

  /** The segments of {@code relative} (null or {@code ""}: none, the root), {@code .} and empty ones dropped. */
  public static List<String> segments(String relative) {
    if (relative == null) relative = "";
    if (relative.indexOf('\0') >= 0) throw refuse(relative, "holds a NUL character");
    if (relative.startsWith("/") || relative.startsWith("\\")) throw refuse(relative, "is absolute; paths are relative to the sandbox root");
    List<String> segments = new ArrayList<>();
    for (String segment : relative.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) continue;
      if (segment.equals("..")) throw refuse(relative, "has a '..' segment");
      segments.add(segment);
    }
    return segments;
  }

  /** {@code segments(relative)}, refusing the root itself: for a file or directory to name. */
  public static List<String> entry(String relative) {
    List<String> segments = segments(relative);
    if (segments.isEmpty()) throw refuse(relative == null ? "" : relative, "names the sandbox root; name a file in it");
    return segments;
  }

  /** INVALID_REQUEST saying why {@code relative} is refused (shortened, control characters masked). */
  public static ToolException refuse(String relative, String why) {
    String shown = relative.length() > 120 ? relative.substring(0, 120) + "…" : relative;
    return new ToolException(new InvalidRequest("path '" + shown.replaceAll("\\p{Cntrl}", "?") + "' " + why,
        "field: path"));
  }
}
