package dev.toolhost.api;

/** The caller cancelled the invocation. */
public record Cancelled(String message) implements ToolError {
  @Override public String type() { return "CANCELLED"; }
  @Override public int httpStatus() { return 499; }
}
