package dev.toolhost.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolhost.api.Json;
import dev.toolhost.testing.TestEngines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The launcher as a user runs it from a clean clone, on the jar the package phase has just built:
 * GraalJS with the optimizing JIT where a JDK 25+ is installed, the interpreter on an older one.
 */
class LauncherIT {
  private static final Path REPO = TestEngines.repo();
  private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

  private record Run(int status, String stdout, String stderr) {
    String graaljsLine() {
      return stdout.lines().filter(l -> l.startsWith("ok graaljs")).findFirst().orElse("(no graaljs line) " + stdout);
    }
  }

  private static Run launch(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(REPO.resolve("toolhost").toString()));
    command.addAll(List.of(args));
    Path stderr = Files.createTempFile("launcher", ".err");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(REPO.toFile()).redirectError(stderr.toFile());
      builder.environment().remove("TOOLHOST_JAVA");
      builder.environment().putAll(env);
      Process process = builder.start();
      String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the launcher did not exit");
      Run run = new Run(process.exitValue(), stdout, Files.readString(stderr));
      assertFalse(run.stderr.contains("building"), "the launcher rebuilt a jar that is up to date: " + run.stderr);
      return run;
    } finally {
      Files.deleteIfExists(stderr);
    }
  }

  /** A JDK's java, by the major version its release file states. */
  private static Optional<Path> installedJdk(java.util.function.IntPredicate major) throws IOException {
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) return Optional.empty();
    try (Stream<Path> homes = Files.list(jvms)) {
      return homes.filter(home -> Files.isExecutable(home.resolve("bin/java"))).filter(home -> {
        try {
          Matcher m = JAVA_VERSION.matcher(Files.readString(home.resolve("release")));
          return m.find() && major.test(Integer.parseInt(m.group(1)));
        } catch (IOException noReleaseFile) {
          return false;
        }
      }).map(home -> home.resolve("bin/java")).findFirst();
    }
  }

  @Test
  void invokesTheDefaultRuntimeOnACleanClone() throws Exception {
    Run run = launch(Map.of(), "invoke", "greet", "--input", "{\"name\":\"Ada\"}");
    assertEquals(0, run.status(), run.stderr());
    JsonNode answer = Json.MAPPER.readTree(run.stdout());
    assertEquals("graaljs", answer.path("runtime").asText());
    assertEquals("Hello, Ada!", answer.path("output").path("message").asText());
  }

  @Test
  void graalJsRunsWithTheOptimizingJitInLatencyModeOnAnInstalledJdk25() throws Exception {
    Optional<Path> jdk = installedJdk(major -> major >= 25);
    assumeTrue(jdk.isPresent(), "no JDK 25 or later under /usr/lib/jvm: the launcher runs the default java, and GraalJS interprets");
    Run run = launch(Map.of(), "doctor");
    assertTrue(run.graaljsLine().contains("optimizing JIT (") && run.graaljsLine().contains("latency mode"), run.stdout());

    Run fresh = launch(Map.of(), "invoke", "greet", "--input", "{\"name\":\"Ada\"}", "--isolation", "fresh");
    assertEquals(0, fresh.status(), fresh.stderr());
    assertEquals("Hello, Ada!", Json.MAPPER.readTree(fresh.stdout()).path("output").path("message").asText());
  }

  @Test
  void toolhostJavaNamesTheJvmAndAnOlderOneInterprets() throws Exception {
    Optional<Path> jdk = installedJdk(major -> major < 25);
    assumeTrue(jdk.isPresent(), "no JDK older than 25 under /usr/lib/jvm to name in TOOLHOST_JAVA");
    Run run = launch(Map.of("TOOLHOST_JAVA", jdk.get().toString()), "doctor");
    assertTrue(run.graaljsLine().contains("interpreter only"), run.stdout());

    Run missing = launch(Map.of("TOOLHOST_JAVA", "/nonexistent/bin/java"), "doctor");
    assertEquals(2, missing.status());
    assertTrue(missing.stderr().contains("TOOLHOST_JAVA=/nonexistent/bin/java is not an executable java"), missing.stderr());
  }
}
