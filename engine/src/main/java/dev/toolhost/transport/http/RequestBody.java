package dev.toolhost.transport.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads the request body as bytes, up to a limit, for the handlers after it ({@link #of}). A
 * body over the limit is 413, decided from Content-Length before reading when there is one; the
 * rest of it is read and dropped, so the connection stays usable.
 *
 * <p>Vert.x Web's BodyHandler is not used: it decodes {@code application/x-www-form-urlencoded}
 * bodies as forms, which is what {@code curl -d} sends, and then fails a JSON body of more than
 * a few kilobytes with 400 under the server's form limits.
 */
final class RequestBody implements Handler<RoutingContext> {
  private static final String KEY = "toolhost.requestBody";
  private final long limit;

  RequestBody(long limit) {
    this.limit = limit;
  }

  /** The body read, empty when the request had none. */
  static Buffer of(RoutingContext ctx) {
    Buffer body = ctx.get(KEY);
    return body == null ? Buffer.buffer() : body;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (request.isEnded()) {
      ctx.next();
      return;
    }
    if (declaredLength(request) > limit) {
      ctx.fail(413);
      drop(request);
      return;
    }
    if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) ctx.response().writeContinue();
    Buffer body = Buffer.buffer();
    request.handler(chunk -> {
      if (ctx.failed()) return;
      if (body.length() + (long) chunk.length() > limit) {
        ctx.fail(413);
      } else {
        body.appendBuffer(chunk);
      }
    });
    request.exceptionHandler(e -> {
      if (!ctx.failed() && !ctx.response().ended()) ctx.fail(400, e);
    });
    request.endHandler(v -> {
      if (ctx.failed()) return;
      ctx.put(KEY, body);
      ctx.next();
    });
    request.resume();
  }

  private static void drop(HttpServerRequest request) {
    request.handler(chunk -> { }).exceptionHandler(e -> { }).resume();
  }

  /** Content-Length, or -1 when absent or unreadable (the body is then counted as it comes). */
  private static long declaredLength(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length == null) return -1;
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
