package dev.toolhost.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolhost.api.Json;
import dev.toolhost.testing.TestEngines;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code bench --runtime bun} runs, and reports the bun baselines beside the warm figures (their values are not judged here). */
class BunBenchTest {
  @Test
  void benchOnBunReportsWarmFiguresBaselinesAndAWorkerColdStart() throws Exception {
    TestEngines.assumeBun();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // best-effort: nothing holds subprocess: false on bun (see TestEngines.BUN_BEST_EFFORT)
    int status = Main.run(List.of("bench", "--runtime", "bun", "--enforcement", "best-effort", "--tool", "greet", "--calls", "50", "--warmup", "10",
            "--baseline-calls", "2", "--json", "--tools", TestEngines.sampleTools().toString()),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertEquals(0, status, out.toString(StandardCharsets.UTF_8));
    JsonNode report = Json.MAPPER.readTree(out.toString(StandardCharsets.UTF_8));
    assertEquals("bun", report.path("runtime").asText());
    assertEquals(0, report.path("errors").asInt());
    for (String key : List.of("p50Ms", "throughputPerSec", "bunBareStartP50Ms", "spawnPerCallP50Ms", "workerColdStartP50Ms")) {
      assertTrue(report.path(key).asDouble() > 0, key + " in " + report);
    }
  }
}
