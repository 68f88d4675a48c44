package dev.toolhost.transport.http;

import dev.toolhost.api.Json;
import dev.toolhost.engine.ToolEngine;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/executions/{executionId}/cancel}: stops the invocation in flight with that id,
 * which then answers CANCELLED (499). Replies {@code {"cancelled": true}}, or {@code false} when
 * nothing with that id is running.
 */
final class CancelHandler implements Handler<RoutingContext> {
  private final ToolEngine engine;

  CancelHandler(ToolEngine engine) {
    this.engine = engine;
  }

  @Override
  public void handle(RoutingContext ctx) {
    engine.cancel(ctx.pathParam("executionId")).onComplete(ar -> {
      if (ar.succeeded()) {
        JsonResponses.send(ctx, 200, Json.MAPPER.createObjectNode().put("cancelled", ar.result()));
      } else {
        ErrorResponses.send(ctx, ar.cause());
      }
    });
  }
}
