package dev.toolhost.transport.http;

import static dev.toolhost.testing.TestEngines.await;
import static dev.toolhost.transport.http.HttpTestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** SIGTERM's first step for HTTP: no new connections, while the request in flight still gets its answer. */
class HttpShutdownTest {
  @Test
  void shutdownStopsAcceptingAndAnswersTheRequestInFlight() throws Exception {
    try (HttpTestServer server = HttpTestServer.sampleTools()) {
      CountDownLatch started = new CountDownLatch(1);
      server.engine.addListener(event -> {
        if (event.kind().equals("started")) started.countDown();
      });
      Future<HttpResponse<Buffer>> inFlight = server.client.post("/v1/tools/slow/invoke")
          .sendJsonObject(new JsonObject().put("input", new JsonObject().put("ms", 600)));
      assertTrue(started.await(10, TimeUnit.SECONDS), "the slow call never started");
      Future<Void> shutdown = server.http.shutdown(Duration.ofSeconds(10));

      // a new connection is refused at once: the listening socket is closed
      WebClient fresh = WebClient.create(server.vertx, new WebClientOptions().setKeepAlive(false)
          .setDefaultHost("127.0.0.1").setDefaultPort(server.http.port()));
      try {
        assertThrows(RuntimeException.class, () -> await(fresh.get("/health").send()));
      } finally {
        fresh.close();
      }

      HttpResponse<Buffer> answer = await(inFlight);
      assertEquals(200, answer.statusCode());
      assertEquals(600, json(answer).getJsonObject("output").getInteger("sleptMs"));
      await(shutdown);
    }
  }
}
