package dev.toolhost.sandbox.local;

import static dev.toolhost.sandbox.SandboxFixture.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.api.RuntimeUnavailable;
import dev.toolhost.sandbox.ExecOptions;
import dev.toolhost.sandbox.Language;
import dev.toolhost.sandbox.SandboxFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A language whose interpreter the host lacks is RUNTIME_UNAVAILABLE naming it (ruby taken away, installed or not). */
class MissingInterpreterTest {
  @Test
  void executeNamesTheMissingInterpreter() throws Exception {
    Path dir = Files.createTempDirectory("toolhost-sandbox-test");
    var settings = SandboxFixture.settings(dir, "auto", 1);
    try (SandboxFixture f = new SandboxFixture(dir, settings,
        vertx -> LocalStrategies.without(vertx, settings, Language.RUBY))) {
      RuntimeUnavailable e = failure(f.create().execute("puts 1", Language.RUBY, ExecOptions.DEFAULT), RuntimeUnavailable.class);
      assertEquals("ruby", e.runtime());
      assertTrue(e.message().contains("no 'ruby' interpreter"), e.message());
      assertTrue(e.hint().contains("install ruby"), e.hint());
    }
  }
}
