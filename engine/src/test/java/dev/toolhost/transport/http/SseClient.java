package dev.toolhost.transport.http;

import static dev.toolhost.testing.TestEngines.await;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Reads a server-sent event stream as it arrives: each event is taken from a queue, in order. */
final class SseClient {
  /** One event; {@code end} marks the end of the stream. */
  record Event(String name, JsonObject data) {
    static final Event END = new Event("(end)", null);
  }

  HttpClientResponse response;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final StringBuilder pending = new StringBuilder();

  private SseClient() {}

  /** POSTs {@code body} to {@code path} and returns once the status and headers are in. */
  static SseClient post(HttpClient client, int port, String path, String body) {
    return open(client, port, HttpMethod.POST, path, body);
  }

  /** GETs {@code path} and returns once the status and headers are in. */
  static SseClient get(HttpClient client, int port, String path) {
    return open(client, port, HttpMethod.GET, path, "");
  }

  private static SseClient open(HttpClient client, int port, HttpMethod method, String path, String body) {
    SseClient sse = new SseClient();
    sse.response = await(client.request(new RequestOptions().setMethod(method)
            .setHost("127.0.0.1").setPort(port).setURI(path))
        .compose(request -> {
          request.putHeader("content-type", "application/json");
          // registered here, on the request's event loop, before anything is sent: the handlers are
          // set as the head arrives, so no chunk and no end can come first (a listener added to the
          // send future from the test thread runs later, when a short answer may be over already)
          Future<HttpClientResponse> head = request.response().map(response -> {
            response.handler(sse::feed);
            response.endHandler(v -> sse.events.add(Event.END));
            return response;
          });
          request.end(Buffer.buffer(body));
          return head;
        }));
    return sse;
  }

  private synchronized void feed(Buffer chunk) {
    pending.append(chunk.toString());
    int end;
    while ((end = pending.indexOf("\n\n")) >= 0) {
      String frame = pending.substring(0, end);
      pending.delete(0, end + 2);
      String name = null;
      String data = null;
      for (String line : frame.split("\n")) {
        if (line.startsWith("event: ")) name = line.substring(7);
        if (line.startsWith("data: ")) data = line.substring(6);
      }
      events.add(new Event(name, data == null ? null : new JsonObject(data)));
    }
  }

  /** The next event, waiting up to 30 s for it. */
  Event next() throws InterruptedException {
    Event event = events.poll(30, TimeUnit.SECONDS);
    if (event == null) throw new AssertionError("no event within 30 s");
    return event;
  }
}
