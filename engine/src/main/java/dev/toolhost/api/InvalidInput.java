package dev.toolhost.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The input failed the tool's input schema; one violation per failing location. */
public record InvalidInput(String message, List<Violation> violations) implements ToolError {

  /** A failing location as a JSON pointer into the input, and what is wrong there. */
  public record Violation(String pointer, String message) {}

  public InvalidInput {
    violations = List.copyOf(violations);
  }

  @Override public String type() { return "INVALID_INPUT"; }
  @Override public int httpStatus() { return 400; }

  @Override
  public void writeFields(ObjectNode node) {
    ArrayNode list = node.putArray("violations");
    for (Violation v : violations) {
      list.addObject().put("pointer", v.pointer()).put("message", v.message());
    }
  }
}
