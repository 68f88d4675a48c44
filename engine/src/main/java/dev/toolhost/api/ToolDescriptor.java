package dev.toolhost.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What the catalog knows of a tool: its name, description, schemas and source module. */
public record ToolDescriptor(
    String name, String description, JsonNode inputSchema, JsonNode outputSchema, String module) {

  public static ToolDescriptor fromJson(JsonNode json) {
    return new ToolDescriptor(json.path("name").asText(), json.path("description").asText(""),
        json.hasNonNull("inputSchema") ? json.get("inputSchema") : null,
        json.hasNonNull("outputSchema") ? json.get("outputSchema") : null,
        json.path("module").asText(null));
  }

  public ObjectNode toJson() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("name", name);
    node.put("description", description);
    node.set("inputSchema", inputSchema);
    node.set("outputSchema", outputSchema);
    node.put("module", module);
    return node;
  }
}
