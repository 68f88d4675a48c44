package dev.toolhost.transport.http;

import dev.toolhost.api.InvocationEvent;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The engine's invocation events counted for Prometheus, and written in its text exposition
 * format (version 0.0.4):
 * <ul>
 *   <li>{@code toolhost_invocations_total{tool,runtime,outcome}}: ended invocations, outcome
 *       {@code success} or {@code error};
 *   <li>{@code toolhost_errors_total{type}}: failures by error type;
 *   <li>{@code toolhost_invocation_duration_seconds{runtime}}: a latency histogram per runtime;
 *   <li>{@code toolhost_inflight}: invocations started and not yet ended;
 *   <li>{@code toolhost_pool_members{runtime}}: warm workers or contexts alive.
 * </ul>
 * The {@code tool} label holds only names of the engine's catalog at the time (a request for an
 * unknown tool counts under {@code tool=""}; a tool a reload added gets its name), so callers
 * cannot grow the series without bound; {@code runtime} is
 * {@code ""} for a call that failed before a runtime was chosen. Every counter is lock-free.
 */
final class PrometheusMetrics implements Consumer<InvocationEvent> {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  /** Upper bounds in seconds: a warm call takes well under a millisecond, a deadline up to minutes. */
  private static final double[] BOUNDS =
      {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

  private record CallKey(String tool, String runtime, String outcome) {}

  /** One runtime's latencies: a count per bucket (not cumulative; summed when written) and the sum. */
  private static final class Histogram {
    final LongAdder[] buckets = new LongAdder[BOUNDS.length + 1];  // the last is +Inf
    final DoubleAdder sum = new DoubleAdder();

    Histogram() {
      for (int i = 0; i < buckets.length; i++) buckets[i] = new LongAdder();
    }

    void observe(double seconds) {
      int i = 0;
      while (i < BOUNDS.length && seconds > BOUNDS[i]) i++;
      buckets[i].increment();
      sum.add(seconds);
    }
  }

  private final Predicate<String> inCatalog;
  private final Supplier<Map<String, Integer>> poolMembers;
  private final Map<CallKey, LongAdder> invocations = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final Map<String, Histogram> durations = new ConcurrentHashMap<>();
  private final Set<String> inflight = ConcurrentHashMap.newKeySet();

  /**
   * @param inCatalog whether a name is a tool of the engine's current catalog (the only values of
   *     the tool label); asked for every ended call, so it follows reloads
   * @param poolMembers warm workers or contexts alive by runtime, read on each scrape
   */
  PrometheusMetrics(Predicate<String> inCatalog, Supplier<Map<String, Integer>> poolMembers) {
    this.inCatalog = inCatalog;
    this.poolMembers = poolMembers;
  }

  @Override
  public void accept(InvocationEvent event) {
    if (event.kind().equals("started")) {
      inflight.add(event.executionId());
      return;
    }
    boolean failed = event.kind().equals("failed");
    if (!failed && !event.kind().equals("finished")) return;
    inflight.remove(event.executionId());
    String tool = event.tool() != null && inCatalog.test(event.tool()) ? event.tool() : "";
    String runtime = event.runtime() == null ? "" : event.runtime();
    invocations.computeIfAbsent(new CallKey(tool, runtime, failed ? "error" : "success"), k -> new LongAdder()).increment();
    if (failed) errors.computeIfAbsent(String.valueOf(event.errorType()), k -> new LongAdder()).increment();
    if (event.runtime() != null) {
      durations.computeIfAbsent(event.runtime(), k -> new Histogram()).observe(event.durationMs() / 1000.0);
    }
  }

  /** The exposition text; series are sorted so that two scrapes list them in the same order. */
  String render() {
    StringBuilder out = new StringBuilder(4096);
    header(out, "toolhost_invocations_total", "counter", "Invocations that ended, by tool, runtime and outcome (success or error).");
    labelled(invocations).forEach((labels, n) -> out.append("toolhost_invocations_total").append(labels)
        .append(' ').append(n.sum()).append('\n'));

    header(out, "toolhost_errors_total", "counter", "Failed invocations by error type.");
    new TreeMap<>(errors).forEach((type, n) -> out.append("toolhost_errors_total{type=\"").append(escape(type))
        .append("\"} ").append(n.sum()).append('\n'));

    header(out, "toolhost_invocation_duration_seconds", "histogram", "Invocation latency per runtime, in seconds.");
    new TreeMap<>(durations).forEach((runtime, h) -> {
      String label = "runtime=\"" + escape(runtime) + "\"";
      long cumulative = 0;
      for (int i = 0; i < h.buckets.length; i++) {
        cumulative += h.buckets[i].sum();
        String le = i < BOUNDS.length ? BigDecimal.valueOf(BOUNDS[i]).stripTrailingZeros().toPlainString() : "+Inf";
        out.append("toolhost_invocation_duration_seconds_bucket{").append(label).append(",le=\"").append(le)
            .append("\"} ").append(cumulative).append('\n');
      }
      out.append("toolhost_invocation_duration_seconds_sum{").append(label).append("} ").append(h.sum.sum()).append('\n');
      out.append("toolhost_invocation_duration_seconds_count{").append(label).append("} ").append(cumulative).append('\n');
    });

    header(out, "toolhost_inflight", "gauge", "Invocations started and not yet ended.");
    out.append("toolhost_inflight ").append(inflight.size()).append('\n');

    header(out, "toolhost_pool_members", "gauge", "Warm workers or contexts alive, by runtime.");
    new TreeMap<>(poolMembers.get()).forEach((runtime, n) -> out.append("toolhost_pool_members{runtime=\"")
        .append(escape(runtime)).append("\"} ").append(n).append('\n'));
    return out.toString();
  }

  /** The counters by their label text, sorted. */
  private static Map<String, LongAdder> labelled(Map<CallKey, LongAdder> counters) {
    Map<String, LongAdder> out = new TreeMap<>();
    counters.forEach((k, n) -> out.put("{tool=\"" + escape(k.tool()) + "\",runtime=\"" + escape(k.runtime())
        + "\",outcome=\"" + k.outcome() + "\"}", n));
    return out;
  }

  private static void header(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  /** A label value as the format wants it: backslash, double quote and line feed escaped. */
  static String escape(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
