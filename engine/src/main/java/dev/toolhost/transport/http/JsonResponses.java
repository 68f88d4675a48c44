package dev.toolhost.transport.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolhost.api.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/** Writes a JSON body with its status: every JSON answer of the HTTP API goes out through here. */
final class JsonResponses {
  static final String JSON = "application/json";

  private JsonResponses() {}

  static void send(RoutingContext ctx, int status, JsonNode body) {
    send(ctx, status, Buffer.buffer(Json.bytes(body)));
  }

  /** For answers serialized once and reused (the catalog). */
  static void send(RoutingContext ctx, int status, Buffer body) {
    if (ctx.response().ended() || ctx.response().closed()) return;
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body);
  }
}
