package dev.toolhost.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The worker process died or broke protocol; {@code stderr} is the tail of what it printed. */
public record ProcessError(String message, Integer exitCode, String signal, String stderr)
    implements ToolError {
  @Override public String type() { return "PROCESS_ERROR"; }
  @Override public int httpStatus() { return 500; }
  @Override public boolean retryableByDefault() { return true; }

  @Override
  public void writeFields(ObjectNode node) {
    if (exitCode == null) node.putNull("exitCode"); else node.put("exitCode", exitCode);
    node.put("signal", signal);
    node.put("stderr", stderr);
  }
}
