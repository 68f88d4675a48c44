package dev.toolhost.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolhost.api.Json;
import dev.toolhost.testing.TestEngines;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code bench} on the embedded runtime: a small run reports what it measured (figures live in the README). */
class BenchCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    List<String> argv = new ArrayList<>(List.of("bench", "--tools", TestEngines.sampleTools().toString(),
        "--runtime", "graaljs", "--pool-size", "1", "--tool", "greet", "--baseline-calls", "1", "--json"));
    argv.addAll(List.of(args));
    return Main.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void pausedLanesAnswerEveryCall() throws Exception {
    assertEquals(0, run("--calls", "6", "--warmup", "2", "--concurrency", "2", "--pause", "5ms", "--isolation", "fresh"));
    JsonNode report = Json.MAPPER.readTree(out.toString(StandardCharsets.UTF_8));
    assertEquals(5, report.path("pauseMs").asInt());
    assertEquals("fresh", report.path("isolation").asText());
    assertEquals(0, report.path("errors").asInt());
    assertTrue(report.path("p50Ms").asDouble() > 0);
  }

  @Test
  void aPauseThatIsNoDurationIsRefused() {
    assertNotEquals(0, run("--calls", "1", "--pause", "soon"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--pause"), err.toString(StandardCharsets.UTF_8));
  }
}
