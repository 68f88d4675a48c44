package dev.toolhost.transport.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolhost.api.Json;
import dev.toolhost.api.Overloaded;
import dev.toolhost.api.ToolException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Every error answer of the HTTP API. A {@link ToolException} goes out as DESIGN.md's failure
 * JSON with the status its {@link dev.toolhost.api.ToolError} assigns (the one mapping from error
 * type to status); errors of HTTP itself (no such route, wrong method, body too large, no token)
 * use the same envelope, {@code {"error": {"type", "message"}}}, with types of their own.
 */
final class ErrorResponses {
  /** The router-level error types, beside DESIGN.md's tool error types. */
  static final String NOT_FOUND = "NOT_FOUND";
  static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";
  static final String PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE";
  static final String UNAUTHORIZED = "UNAUTHORIZED";
  static final String INTERNAL_ERROR = "INTERNAL_ERROR";

  private ErrorResponses() {}

  static void send(RoutingContext ctx, ToolException e) {
    if (e.error() instanceof Overloaded o) {
      // whole seconds, rounded up: a client that honours it never comes back too early
      ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (o.retryAfterMs() + 999) / 1000)));
    }
    JsonResponses.send(ctx, e.error().httpStatus(), e.toJson());
  }

  /** An engine failure that is not a ToolException is a bug: a 500 saying so, never a hang. */
  static void send(RoutingContext ctx, Throwable failure) {
    if (failure instanceof ToolException e) {
      send(ctx, e);
    } else {
      http(ctx, 500, INTERNAL_ERROR, "unexpected failure: " + failure);
    }
  }

  static void http(RoutingContext ctx, int status, String type, String message) {
    JsonResponses.send(ctx, status, body(type, message));
  }

  static ObjectNode body(String type, String message) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.putObject("error").put("type", type).put("message", message).put("retryable", false);
    return root;
  }

  /** The router's own failures: a status code set by Vert.x Web (or a handler's exception). */
  static void routerFailure(RoutingContext ctx) {
    String route = ctx.request().method() + " " + ctx.request().path();
    switch (ctx.statusCode()) {
      case 400 -> http(ctx, 400, "INVALID_REQUEST", "the request cannot be read: " + describe(ctx.failure()));
      case 404 -> http(ctx, 404, NOT_FOUND, "no route " + route + "; see GET /v1/tools, /health, /metrics");
      case 405 -> http(ctx, 405, METHOD_NOT_ALLOWED, "the method is not allowed on " + ctx.request().path());
      case 413 -> {
        // the rest of an oversized body is not read: close rather than leave it in the connection
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        http(ctx, 413, PAYLOAD_TOO_LARGE, "the request body is larger than the limit (http.bodyLimit)");
      }
      default -> http(ctx, 500, INTERNAL_ERROR, "unexpected failure on " + route + ": " + describe(ctx.failure()));
    }
  }

  private static String describe(Throwable failure) {
    return failure == null ? "no detail" : String.valueOf(failure.getMessage());
  }
}
