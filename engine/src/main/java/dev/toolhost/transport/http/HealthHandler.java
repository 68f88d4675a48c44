package dev.toolhost.transport.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolhost.api.Json;
import dev.toolhost.engine.ToolEngine;
import dev.toolhost.runtime.Availability;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /health}: {@code {"status": "ok", "tools": N, "runtimes": [{"name", "usable"}]}}.
 * It needs no token, so it says nothing more than that: no versions, paths or reasons.
 */
final class HealthHandler implements Handler<RoutingContext> {
  private final ToolEngine engine;

  HealthHandler(ToolEngine engine) {
    this.engine = engine;
  }

  @Override
  public void handle(RoutingContext ctx) {
    engine.doctor().onComplete(ar -> {
      if (ar.failed()) {
        ErrorResponses.send(ctx, ar.cause());
        return;
      }
      ObjectNode health = Json.MAPPER.createObjectNode().put("status", "ok")
          .put("tools", engine.catalog().tools().size());
      ArrayNode runtimes = health.putArray("runtimes");
      for (Availability a : ar.result()) runtimes.addObject().put("name", a.runtime()).put("usable", a.usable());
      JsonResponses.send(ctx, 200, health);
    });
  }
}
