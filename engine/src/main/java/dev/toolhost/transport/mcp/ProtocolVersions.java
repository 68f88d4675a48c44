package dev.toolhost.transport.mcp;

import java.util.List;

/**
 * The MCP revisions this server speaks, newest first, and how a session settles on one: the
 * client's own when supported, else the newest (the client then decides whether to go on).
 */
public final class ProtocolVersions {
  public static final List<String> SUPPORTED = List.of("2025-06-18", "2025-03-26", "2024-11-05");
  public static final String LATEST = SUPPORTED.get(0);

  private ProtocolVersions() {}

  public static boolean supported(String version) {
    return SUPPORTED.contains(version);
  }

  public static String negotiate(String requested) {
    return supported(requested) ? requested : LATEST;
  }

  /** Whether tools may declare an {@code outputSchema} and answer {@code structuredContent} (2025-06-18 on). */
  static boolean hasStructuredContent(String version) {
    return version.compareTo("2025-06-18") >= 0;
  }
}
