package dev.toolhost.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolhost.api.Json;
import dev.toolhost.runtime.Toolchain;
import dev.toolhost.testing.TestEngines;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as a user runs it: answer JSON on stdout, an exit status per error type. */
class CliEndToEndTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void node() {
    TestEngines.assumeNode();
  }

  private int run(String... args) {
    List<String> argv = new ArrayList<>(List.of(args));
    argv.addAll(List.of("--tools", TestEngines.sampleTools().toString(), "--runtime", "node", "--pool-size", "1"));
    return Main.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private JsonNode stdoutJson() throws Exception {
    return Json.MAPPER.readTree(out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void invokePrintsTheAnswerAndExitsZero() throws Exception {
    assertEquals(0, run("invoke", "greet", "--input", "{\"name\":\"Ada\"}"));
    assertEquals("Hello, Ada!", stdoutJson().path("output").path("message").asText());
  }

  @Test
  void inputFromAFileAndEnvFlags(@TempDir Path dir) throws Exception {
    Path input = Files.writeString(dir.resolve("in.json"), "{}");
    assertEquals(0, run("invoke", "echo_env", "--input", "@" + input, "--env", "A=1", "--env", "B=x=y"));
    JsonNode output = stdoutJson().path("output");
    assertEquals("1", output.path("env").path("A").asText());
    assertEquals("x=y", output.path("processEnv").path("B").asText());
  }

  @Test
  void malformedInputJsonIsInvalidRequestWithItsOwnExitCode() throws Exception {
    int status = run("invoke", "greet", "--input", "{\"name\":");
    assertEquals(ExitCodes.of(new dev.toolhost.api.InvalidRequest("x")), status);
    assertEquals("INVALID_REQUEST", stdoutJson().path("error").path("type").asText());
  }

  @Test
  void schemaViolationsExitWithTheInvalidInputCode() throws Exception {
    int status = run("invoke", "greet", "--input", "{}");
    assertEquals(11, status);
    assertEquals("/name", stdoutJson().path("error").path("violations").path(0).path("pointer").asText());
  }

  @Test
  void aTypedToolErrorIsPrintedAsErrorJson() throws Exception {
    assertEquals(13, run("invoke", "lookup_user", "--input", "{\"id\":\"zz\"}"));
    assertEquals("NOT_FOUND", stdoutJson().path("error").path("code").asText());
  }

  @Test
  void listShowsToolsWithDescriptionsAndSchemas() {
    assertEquals(0, run("list"));
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("greet") && text.contains("Greets") && text.contains("\"required\":[\"name\"]"), text);
  }

  @Test
  void doctorSaysWhichRuntimesWorkAndWhyNot() {
    assertEquals(0, run("doctor"));
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("ok node (default)"), text);
    boolean esbuild = Toolchain.find("esbuild", null).isPresent();
    assertTrue(text.contains(esbuild ? "ok bundling esbuild " : "-- bundling: esbuild was not found"), text);
  }

  @Test
  void doctorSaysWhyARuntimeCannotRunAndHowToFixIt(@TempDir Path dir) throws Exception {
    Path config = Files.writeString(dir.resolve("toolhost.yaml"), "bun: { path: /nonexistent/bun }\n");
    assertEquals(0, run("doctor", "--config", config.toString()));
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("-- bun") && text.contains("/nonexistent/bun") && text.contains("fix:"), text);
  }

  @Test
  void aBadOptionOrConfigValueExitsTwoNamingIt() {
    assertEquals(2, run("invoke", "greet", "--bogus", "1"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--bogus"));
    err.reset();
    assertEquals(2, run("list", "--timeout", "soon"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("'timeout'"), err.toString(StandardCharsets.UTF_8));
  }
}
