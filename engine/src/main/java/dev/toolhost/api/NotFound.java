package dev.toolhost.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a request names does not exist: a sandbox that is not live, or a file or directory in a
 * sandbox. {@code resource} says which kind ({@code sandbox}, {@code file}, {@code directory}, or
 * {@code path} for either), {@code name} which one (a sandbox id, a path relative to the sandbox
 * root). Tools missing from the catalog are {@link ToolNotFound}.
 */
public record NotFound(String message, String resource, String name) implements ToolError {
  @Override public String type() { return "NOT_FOUND"; }
  @Override public int httpStatus() { return 404; }

  @Override
  public void writeFields(ObjectNode node) {
    if (resource != null) node.put("resource", resource);
    if (name != null) node.put("name", name);
  }
}
