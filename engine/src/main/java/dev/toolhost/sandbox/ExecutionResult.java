package dev.toolhost.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolhost.api.Json;

/**
 * How a snippet ran ({@link Sandbox#execute}): {@code success} is exit code 0; otherwise
 * {@code error} says why in one line (the last line of stderr, or the exit code).
 */
public record ExecutionResult(
    boolean success, String stdout, String stderr, int exitCode, double executionTimeMs, String error) {

  public static ExecutionResult of(ExecResult r) {
    if (r.exitCode() == 0) return new ExecutionResult(true, r.stdout(), r.stderr(), 0, r.durationMs(), null);
    String[] lines = r.stderr().strip().split("\n");
    String last = lines[lines.length - 1].strip();
    return new ExecutionResult(false, r.stdout(), r.stderr(), r.exitCode(), r.durationMs(),
        last.isEmpty() ? "exited with code " + r.exitCode() : last);
  }

  /** {@code {success, stdout, stderr, exitCode, executionTimeMs, error}}, as every transport answers it. */
  public ObjectNode toJson() {
    return Json.MAPPER.createObjectNode().put("success", success).put("stdout", stdout).put("stderr", stderr)
        .put("exitCode", exitCode).put("executionTimeMs", executionTimeMs).put("error", error);
  }
}
