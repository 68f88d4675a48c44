package dev.toolhost.runtime.process;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Node.js version, as {@code node --version} prints it, and what of Node's permission model it has. */
public record NodeVersion(int major, int minor, int patch) {
  private static final Pattern VERSION = Pattern.compile("v(\\d+)\\.(\\d+)\\.(\\d+)");

  /** The version in {@code node --version}'s output, if there is one. */
  public static Optional<NodeVersion> parse(String output) {
    Matcher m = VERSION.matcher(output);
    if (!m.find()) return Optional.empty();
    return Optional.of(new NodeVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))));
  }

  /**
   * The switch of the permission model: Node 20–22.12 spell it {@code --experimental-permission},
   * later versions {@code --permission}; none before 20.
   */
  public Optional<String> permissionFlag() {
    if (major < 20) return Optional.empty();
    return Optional.of(major > 22 || (major == 22 && minor >= 13) ? "--permission" : "--experimental-permission");
  }

  @Override
  public String toString() {
    return "v" + major + "." + minor + "." + patch;
  }
}
