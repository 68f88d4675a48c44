package dev.toolhost.sandbox;

import static dev.toolhost.sandbox.SandboxFixture.failure;
import static dev.toolhost.testing.TestEngines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.api.Timeout;
import dev.toolhost.runtime.Toolchain;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Snippets of each language run to their end; a missing interpreter is named. */
public class SandboxExecuteTest {
  protected static SandboxFixture fixture;
  protected static Sandbox sandbox;

  /** Subclasses for other strategies hide it with their own. */
  @BeforeAll
  protected static void start() {
    fixture = SandboxFixture.start();
    sandbox = fixture.create();
  }

  @AfterAll
  protected static void stop() throws Exception {
    fixture.close();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "python     | print(6 * 7)",
      "javascript | console.log(6 * 7)",
      "typescript | const n: number = 6 * 7; console.log(n)",
      "bash       | echo $((6 * 7))",
      "sh         | expr 6 \\* 7",
      "ruby       | puts 6 * 7"})
  void eachLanguageRuns(String name, String code) {
    Language language = Language.parse(name).orElseThrow();
    assumeInterpreter(language);
    ExecutionResult result = await(sandbox.execute(code, language, ExecOptions.DEFAULT));
    assertTrue(result.success(), result.toString());
    assertEquals("42\n", result.stdout());
    assertEquals(0, result.exitCode());
    assertEquals(null, result.error());
  }

  @Test
  void snippetsRunInTheWorkspaceAndLeaveNoFileThere() {
    ExecutionResult result = await(sandbox.execute("import os\nopen('out.txt', 'w').write('hi')\nprint(os.listdir('.'))",
        Language.PYTHON, ExecOptions.DEFAULT));
    assertEquals("['out.txt']\n", result.stdout(), result.toString());
    await(sandbox.deleteFile("out.txt"));
  }

  @Test
  void python3InACommandIsThePythonExecuteRuns() {
    String executed = await(sandbox.execute("import sys; print(sys.executable)", Language.PYTHON, ExecOptions.DEFAULT)).stdout();
    ExecResult command = await(await(sandbox.exec("python3", java.util.List.of("-c", "import sys; print(sys.executable)"),
        ExecOptions.DEFAULT)).result());
    assertEquals(executed, command.stdout());
  }

  @Test
  void anErrorIsAResultWithItsLastLine() {
    ExecutionResult result = await(sandbox.execute("print('before')\n1 / 0", Language.PYTHON, ExecOptions.DEFAULT));
    assertFalse(result.success());
    assertEquals(1, result.exitCode());
    assertEquals("before\n", result.stdout());
    assertEquals("ZeroDivisionError: division by zero", result.error());
  }

  @Test
  void aStartedSnippetCanBeKilledWithItsChildren() {
    assumeInterpreter(Language.BASH);
    long start = System.nanoTime();
    SandboxProcess snippet = await(sandbox.startExecution("sleep 30 & wait", Language.BASH, ExecOptions.DEFAULT));
    await(snippet.kill());
    ExecResult killed = await(snippet.result());
    assertTrue(killed.exitCode() != 0, killed.toString());
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(20).toNanos(), "the kill did not wait for the snippet's child");
  }

  @Test
  void codeThatNeverEndsTimesOut() {
    Timeout timeout = failure(sandbox.execute("while True: pass", Language.PYTHON,
        ExecOptions.DEFAULT.withTimeout(Duration.ofMillis(1000))), Timeout.class);
    assertEquals(1000, timeout.timeoutMs());
  }

  /** Local sandboxes run the interpreters the engine finds; others those of their image. */
  private static void assumeInterpreter(Language language) {
    boolean found = fixture.isLocal() ? Toolchain.find(language.interpreter(), null).isPresent()
        : await(await(sandbox.exec("sh", java.util.List.of("-c", "command -v " + language.interpreter()),
            ExecOptions.DEFAULT)).result()).exitCode() == 0;
    Assumptions.assumeTrue(found, "skipped: no '" + language.interpreter() + "' for the " + sandbox.type()
        + " sandbox (install it to run " + language.name().toLowerCase() + " snippets)");
  }
}
