package dev.toolhost.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Carries a {@link ToolError} through futures, with where it happened. Runtimes raise it with
 * the error alone; the engine adds the tool, execution id, attempts and retry verdict.
 */
public final class ToolException extends RuntimeException {
  private final ToolError error;
  private final String tool;
  private final String executionId;
  private final int attempts;
  private final boolean retryable;

  public ToolException(ToolError error) {
    this(error, null, null, 1, error.retryableByDefault());
  }

  public ToolException(
      ToolError error, String tool, String executionId, int attempts, boolean retryable) {
    super(error.type() + ": " + error.message(), null, false, false);
    this.error = error;
    this.tool = tool;
    this.executionId = executionId;
    this.attempts = attempts;
    this.retryable = retryable;
  }

  public ToolError error() { return error; }
  public String tool() { return tool; }
  public String executionId() { return executionId; }
  public int attempts() { return attempts; }
  public boolean retryable() { return retryable; }

  /** The failure JSON of DESIGN.md: {@code {"error": {...}}}. */
  public ObjectNode toJson() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ObjectNode node = root.putObject("error");
    node.put("type", error.type());
    node.put("message", error.message());
    node.put("tool", tool);
    node.put("executionId", executionId);
    node.put("retryable", retryable);
    node.put("attempts", attempts);
    error.writeFields(node);
    return root;
  }
}
