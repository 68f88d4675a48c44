package dev.toolhost.transport.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolhost.api.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * A {@code text/event-stream} answer: each event is {@code event: NAME} and one {@code data:}
 * line of compact JSON (which never holds a raw line break), then a blank line. Call it on the
 * request's event loop only; events written after the client left are dropped.
 */
final class ServerSentEvents {
  private final HttpServerResponse response;

  private ServerSentEvents(HttpServerResponse response) {
    this.response = response;
  }

  /** Sends the status and headers at once, so the client sees the stream open before any event. */
  static ServerSentEvents open(HttpServerResponse response) {
    response.setStatusCode(200)
        .setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .putHeader("X-Accel-Buffering", "no");  // proxies: pass each event on as it comes
    response.writeHead();
    return new ServerSentEvents(response);
  }

  void send(String event, JsonNode data) {
    if (!response.ended() && !response.closed()) response.write(frame(event, data));
  }

  /** Sends the last event and ends the answer. */
  void end(String event, JsonNode data) {
    if (!response.ended() && !response.closed()) response.end(frame(event, data));
  }

  private static Buffer frame(String event, JsonNode data) {
    Buffer frame = Buffer.buffer(("event: " + event + "\ndata: ").getBytes(StandardCharsets.UTF_8));
    return frame.appendBytes(Json.bytes(data)).appendString("\n\n");
  }
}
