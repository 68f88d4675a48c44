package dev.toolhost.transport.http;

import dev.toolhost.api.ToolDescriptor;
import dev.toolhost.api.ToolException;
import dev.toolhost.api.ToolNotFound;
import dev.toolhost.catalog.Catalog;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The catalog routes: {@code GET /v1/tools} (every tool: name, description, inputSchema,
 * outputSchema, module, as on the event bus), {@code GET /v1/tools/openai} (as OpenAI tool
 * definitions) and {@code GET /v1/tools/{id}} (one tool, or 404 TOOL_NOT_FOUND with the nearest
 * names), from the {@link CatalogSnapshot} of the engine's current catalog.
 */
final class CatalogHandlers {
  private final Supplier<CatalogSnapshot> snapshot;

  CatalogHandlers(Supplier<CatalogSnapshot> snapshot) {
    this.snapshot = snapshot;
  }

  void list(RoutingContext ctx) {
    JsonResponses.send(ctx, 200, snapshot.get().list());
  }

  void openAi(RoutingContext ctx) {
    JsonResponses.send(ctx, 200, snapshot.get().openAi());
  }

  void describe(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    CatalogSnapshot current = snapshot.get();
    Catalog catalog = current.catalog();
    Optional<ToolDescriptor> tool = catalog.find(current.names().resolve(id));
    if (tool.isPresent()) {
      JsonResponses.send(ctx, 200, tool.get().toJson());
    } else {
      ErrorResponses.send(ctx, new ToolException(
          new ToolNotFound("no tool named '" + id + "'", catalog.nearest(id)), id, null, 0, false));
    }
  }
}
