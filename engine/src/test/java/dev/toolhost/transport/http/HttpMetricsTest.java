package dev.toolhost.transport.http;

import static dev.toolhost.testing.TestEngines.await;
import static dev.toolhost.transport.http.HttpTestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET /metrics: Prometheus text that follows the calls made. */
class HttpMetricsTest {
  private static HttpTestServer server;

  @BeforeAll
  static void start() {
    server = HttpTestServer.sampleTools();
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  /** Every sample line of a scrape, series (name and labels) to value, in the order written. */
  private static Map<String, Double> scrape() {
    HttpResponse<Buffer> response = server.get("/metrics");
    assertEquals(200, response.statusCode());
    assertTrue(response.getHeader("content-type").startsWith("text/plain; version=0.0.4"), response.getHeader("content-type"));
    Map<String, Double> samples = new LinkedHashMap<>();
    for (String line : response.bodyAsString().split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) continue;
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return samples;
  }

  private static double value(Map<String, Double> samples, String series) {
    return samples.getOrDefault(series, 0.0);
  }

  private static void greet() {
    assertEquals(200, server.invoke("greet", new JsonObject().put("input", new JsonObject().put("name", "Ada"))).statusCode());
  }

  @Test
  void countersFollowTheCalls() {
    Map<String, Double> before = scrape();
    greet();
    greet();
    assertEquals(422, server.invoke("lookup_user", new JsonObject().put("input", new JsonObject().put("id", "nobody"))).statusCode());
    assertEquals(404, server.invoke("no_such_tool", new JsonObject()).statusCode());
    Map<String, Double> after = scrape();

    String greetOk = "toolhost_invocations_total{tool=\"greet\",runtime=\"graaljs\",outcome=\"success\"}";
    assertEquals(2, value(after, greetOk) - value(before, greetOk), after.toString());
    String lookupFailed = "toolhost_invocations_total{tool=\"lookup_user\",runtime=\"graaljs\",outcome=\"error\"}";
    assertEquals(1, value(after, lookupFailed) - value(before, lookupFailed), after.toString());
    String toolError = "toolhost_errors_total{type=\"TOOL_ERROR\"}";
    assertEquals(1, value(after, toolError) - value(before, toolError));
    String notFound = "toolhost_errors_total{type=\"TOOL_NOT_FOUND\"}";
    assertEquals(1, value(after, notFound) - value(before, notFound));
    // an unknown tool is counted, but never becomes a label value
    String unknown = "toolhost_invocations_total{tool=\"\",runtime=\"\",outcome=\"error\"}";
    assertEquals(1, value(after, unknown) - value(before, unknown));
    assertTrue(after.keySet().stream().noneMatch(s -> s.contains("no_such_tool")), after.toString());
    assertTrue(value(after, "toolhost_pool_members{runtime=\"graaljs\"}") >= 1, after.toString());
  }

  @Test
  void theLatencyHistogramIsCumulativeAndCountsEveryCallOfTheRuntime() {
    String count = "toolhost_invocation_duration_seconds_count{runtime=\"graaljs\"}";
    double before = value(scrape(), count);
    greet();
    greet();
    greet();
    Map<String, Double> after = scrape();
    assertEquals(3, after.get(count) - before);
    assertTrue(after.get("toolhost_invocation_duration_seconds_sum{runtime=\"graaljs\"}") > 0);

    List<Double> buckets = new ArrayList<>();
    List<Double> bounds = new ArrayList<>();
    after.forEach((series, n) -> {
      if (series.startsWith("toolhost_invocation_duration_seconds_bucket{runtime=\"graaljs\",le=\"")) {
        String le = series.substring(series.indexOf("le=\"") + 4, series.length() - 2);
        bounds.add(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le));
        buckets.add(n);
      }
    });
    assertTrue(buckets.size() > 2, after.toString());
    for (int i = 1; i < buckets.size(); i++) {
      assertTrue(bounds.get(i) > bounds.get(i - 1), "bounds ascend: " + bounds);
      assertTrue(buckets.get(i) >= buckets.get(i - 1), "buckets are cumulative: " + buckets);
    }
    assertEquals(Double.POSITIVE_INFINITY, bounds.get(bounds.size() - 1));
    assertEquals(after.get(count), buckets.get(buckets.size() - 1), "the +Inf bucket is the count");
  }

  @Test
  void inflightCountsACallUntilItEnds() {
    Future<HttpResponse<Buffer>> call = server.client.post("/v1/tools/slow/invoke")
        .sendJsonObject(new JsonObject().put("executionId", "metrics-inflight").put("input", new JsonObject().put("ms", 60_000)));
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (value(scrape(), "toolhost_inflight") < 1 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(1, value(scrape(), "toolhost_inflight"));
    assertTrue(json(server.post("/v1/executions/metrics-inflight/cancel", "")).getBoolean("cancelled"));
    assertEquals(499, await(call).statusCode());
    assertEquals(0, value(scrape(), "toolhost_inflight"));
  }
}
