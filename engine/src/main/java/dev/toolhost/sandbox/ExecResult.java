package dev.toolhost.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolhost.api.Json;

/** How a command ended: its exit code (128 + signal when killed) and its output, decoded as UTF-8. */
public record ExecResult(int exitCode, String stdout, String stderr, double durationMs) {
  /** {@code {exitCode, stdout, stderr, durationMs}}, as every transport answers it. */
  public ObjectNode toJson() {
    return Json.MAPPER.createObjectNode().put("exitCode", exitCode).put("stdout", stdout).put("stderr", stderr)
        .put("durationMs", durationMs);
  }
}
