package dev.toolhost.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** No tool has this id; {@code known} lists the nearest names in the catalog. */
public record ToolNotFound(String message, List<String> known) implements ToolError {
  public ToolNotFound {
    known = List.copyOf(known);
  }

  @Override public String type() { return "TOOL_NOT_FOUND"; }
  @Override public int httpStatus() { return 404; }

  @Override
  public void writeFields(ObjectNode node) {
    ArrayNode list = node.putArray("known");
    known.forEach(list::add);
  }
}
