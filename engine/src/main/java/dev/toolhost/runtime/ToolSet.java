package dev.toolhost.runtime;

import dev.toolhost.api.ToolDescriptor;
import java.util.List;

/** What a tools root holds: the tools found, and each module that failed to load and why. */
public record ToolSet(List<ToolDescriptor> tools, List<LoadError> errors) {
  /** A module that could not be loaded, with the runtime's message (file and line when known). */
  public record LoadError(String module, String message) {}

  public ToolSet {
    tools = List.copyOf(tools);
    errors = List.copyOf(errors);
  }
}
