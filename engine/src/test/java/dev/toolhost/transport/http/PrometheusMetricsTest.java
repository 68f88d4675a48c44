package dev.toolhost.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.api.InvocationEvent;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The exposition text written from invocation events, without a server. */
class PrometheusMetricsTest {
  private final PrometheusMetrics metrics = new PrometheusMetrics(Set.of("greet", "we\"ird\\tool")::contains,
      () -> Map.of("graaljs", 2, "node", 0));

  private void call(String tool, String id, String runtime, double ms, String errorType) {
    metrics.accept(new InvocationEvent("started", tool, id, runtime, 0, 0, null));
    metrics.accept(new InvocationEvent(errorType == null ? "finished" : "failed", tool, id, runtime, ms, 1, errorType));
  }

  @Test
  void countersErrorsAndGaugesAreWritten() {
    call("greet", "a", "graaljs", 0.3, null);
    call("greet", "b", "graaljs", 0.4, null);
    call("greet", "c", "graaljs", 20, "TIMEOUT");
    metrics.accept(new InvocationEvent("started", "greet", "d", "graaljs", 0, 0, null));
    String text = metrics.render();
    assertTrue(text.contains("toolhost_invocations_total{tool=\"greet\",runtime=\"graaljs\",outcome=\"success\"} 2\n"), text);
    assertTrue(text.contains("toolhost_invocations_total{tool=\"greet\",runtime=\"graaljs\",outcome=\"error\"} 1\n"), text);
    assertTrue(text.contains("toolhost_errors_total{type=\"TIMEOUT\"} 1\n"), text);
    assertTrue(text.contains("toolhost_inflight 1\n"), text);
    assertTrue(text.contains("toolhost_pool_members{runtime=\"graaljs\"} 2\n"), text);
    assertTrue(text.contains("# TYPE toolhost_invocation_duration_seconds histogram\n"), text);
  }

  @Test
  void bucketsAreCumulativeWithTheInfBucketEqualToTheCount() {
    call("greet", "a", "graaljs", 0.3, null);     // 0.0003 s: in the first bucket
    call("greet", "b", "graaljs", 3, null);       // 0.003 s
    call("greet", "c", "graaljs", 120_000, null); // 120 s: only in +Inf
    String text = metrics.render();
    assertTrue(text.contains("_bucket{runtime=\"graaljs\",le=\"0.0005\"} 1\n"), text);
    assertTrue(text.contains("_bucket{runtime=\"graaljs\",le=\"0.0025\"} 1\n"), text);
    assertTrue(text.contains("_bucket{runtime=\"graaljs\",le=\"0.005\"} 2\n"), text);
    assertTrue(text.contains("_bucket{runtime=\"graaljs\",le=\"60\"} 2\n"), text);
    assertTrue(text.contains("_bucket{runtime=\"graaljs\",le=\"+Inf\"} 3\n"), text);
    assertTrue(text.contains("toolhost_invocation_duration_seconds_count{runtime=\"graaljs\"} 3\n"), text);
    String sum = text.lines().filter(l -> l.startsWith("toolhost_invocation_duration_seconds_sum")).findFirst().orElseThrow();
    assertEquals(120.0033, Double.parseDouble(sum.substring(sum.lastIndexOf(' ') + 1)), 1e-9);
  }

  @Test
  void aBoundaryValueFallsInItsOwnBucket() {
    call("greet", "a", "graaljs", 1, null);  // exactly 0.001 s: le="0.001" includes it
    String text = metrics.render();
    assertTrue(text.contains("_bucket{runtime=\"graaljs\",le=\"0.0005\"} 0\n"), text);
    assertTrue(text.contains("_bucket{runtime=\"graaljs\",le=\"0.001\"} 1\n"), text);
  }

  @Test
  void labelValuesAreEscaped() {
    call("we\"ird\\tool", "a", "graal\njs", 1, "X\"Y");
    String text = metrics.render();
    assertTrue(text.contains("{tool=\"we\\\"ird\\\\tool\",runtime=\"graal\\njs\",outcome=\"error\"} 1\n"), text);
    assertTrue(text.contains("toolhost_errors_total{type=\"X\\\"Y\"} 1\n"), text);
    assertTrue(text.contains("{runtime=\"graal\\njs\",le=\"+Inf\"} 1\n"), text);
    assertEquals("a\\\\b\\\"c\\nd", PrometheusMetrics.escape("a\\b\"c\nd"));
  }

  @Test
  void aToolOutsideTheCatalogAndACallWithoutRuntimeGetEmptyLabels() {
    metrics.accept(new InvocationEvent("failed", "made_up", "a", null, 0.1, 0, "TOOL_NOT_FOUND"));
    String text = metrics.render();
    assertTrue(text.contains("toolhost_invocations_total{tool=\"\",runtime=\"\",outcome=\"error\"} 1\n"), text);
    assertTrue(!text.contains("made_up"), text);
    assertTrue(!text.contains("toolhost_invocation_duration_seconds_bucket"), "no runtime, no latency: " + text);
  }

  @Test
  void everySampleLineIsWellFormed() {
    call("greet", "a", "graaljs", 2, null);
    call("greet", "b", null, 2, "INVALID_INPUT");
    for (String line : metrics.render().split("\n")) {
      if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) continue;
      assertTrue(line.matches("[a-z_]+(\\{([a-z]+=\"([^\"\\\\\\n]|\\\\.)*\",?)*\\})? -?[0-9.E+-]+|[a-z_]+(\\{.*\\})? \\+Inf"), line);
    }
  }
}
