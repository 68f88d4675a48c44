package dev.toolhost.transport.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.toolhost.api.Json;
import dev.toolhost.api.ToolDescriptor;
import dev.toolhost.api.ToolException;
import dev.toolhost.api.ToolNotFound;
import dev.toolhost.catalog.Catalog;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * The catalog routes: {@code GET /v1/tools} (every tool: name, description, inputSchema,
 * outputSchema, module, as on the event bus), {@code GET /v1/tools/openai} (as OpenAI tool
 * definitions) and {@code GET /v1/tools/{id}} (one tool, or 404 TOOL_NOT_FOUND with the nearest
 * names). The catalog does not change while the engine runs, so the lists are serialized once.
 */
final class CatalogHandlers {
  private final Catalog catalog;
  private final OpenAiTools names;
  private final Buffer list;
  private final Buffer openAi;

  CatalogHandlers(Catalog catalog, OpenAiTools names) {
    this.catalog = catalog;
    this.names = names;
    ArrayNode tools = Json.MAPPER.createArrayNode();
    for (ToolDescriptor tool : catalog.tools()) tools.add(tool.toJson());
    this.list = Buffer.buffer(Json.bytes(tools));
    this.openAi = Buffer.buffer(Json.bytes(names.definitions()));
  }

  void list(RoutingContext ctx) {
    JsonResponses.send(ctx, 200, list);
  }

  void openAi(RoutingContext ctx) {
    JsonResponses.send(ctx, 200, openAi);
  }

  void describe(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    Optional<ToolDescriptor> tool = catalog.find(names.resolve(id));
    if (tool.isPresent()) {
      JsonResponses.send(ctx, 200, tool.get().toJson());
    } else {
      ErrorResponses.send(ctx, new ToolException(
          new ToolNotFound("no tool named '" + id + "'", catalog.nearest(id)), id, null, 0, false));
    }
  }
}
