package dev.toolhost.cli;

import dev.toolhost.api.ToolError;

/**
 * The CLI's exit status per answer (documented in README.md): 0 on success, 2 for a bad
 * command line or configuration, and one code per error type so scripts can tell them apart.
 */
final class ExitCodes {
  static final int OK = 0;
  static final int USAGE = 2;

  private ExitCodes() {}

  static int of(ToolError error) {
    return switch (error.type()) {
      case "INVALID_REQUEST" -> 10;
      case "INVALID_INPUT" -> 11;
      case "TOOL_NOT_FOUND" -> 12;
      case "TOOL_ERROR" -> 13;
      case "INVALID_OUTPUT" -> 14;
      case "OUTPUT_LIMIT_EXCEEDED" -> 15;
      case "TIMEOUT" -> 16;
      case "PERMISSION_DENIED" -> 17;
      case "PROCESS_ERROR" -> 18;
      case "RUNTIME_UNAVAILABLE" -> 19;
      case "OVERLOADED" -> 20;
      case "CANCELLED" -> 21;
      case "NOT_FOUND" -> 22;
      default -> 1;
    };
  }
}
