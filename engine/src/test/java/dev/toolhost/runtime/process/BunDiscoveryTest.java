package dev.toolhost.runtime.process;

import static dev.toolhost.testing.TestEngines.await;
import static dev.toolhost.testing.TestEngines.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.api.Invocation;
import dev.toolhost.api.RuntimeUnavailable;
import dev.toolhost.engine.ToolEngine;
import dev.toolhost.runtime.Availability;
import dev.toolhost.testing.TestEngines;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Finding bun (bun.path / TOOLHOST_BUN_PATH, PATH, the project-local install), and saying what is missing when it is not there. */
@ExtendWith(VertxExtension.class)
class BunDiscoveryTest {
  private static ToolEngine engine(Vertx vertx, Map<String, String> flags) {
    return TestEngines.start(vertx, TestEngines.config(TestEngines.testTools(), null, flags));
  }

  private static Availability bun(ToolEngine engine) {
    return await(engine.doctor()).stream().filter(a -> a.runtime().equals("bun")).findFirst().orElseThrow();
  }

  @Test
  void aMissingConfiguredBunIsReportedByDoctorAndOnInvokeWithHowToGetOne(Vertx vertx) {
    ToolEngine engine = engine(vertx, Map.of("bun.path", "/nonexistent/bun"));
    Availability bun = bun(engine);
    assertFalse(bun.usable());
    assertTrue(bun.detail().contains("/nonexistent/bun"), bun.detail());
    assertTrue(bun.hint().contains("TOOLHOST_BUN_PATH"), bun.hint());

    RuntimeUnavailable error = assertInstanceOf(RuntimeUnavailable.class,
        failure(engine.invoke(Invocation.of("echo", null).withRuntime("bun"))).error());
    assertEquals("bun", error.runtime());
    assertTrue(error.message().contains("/nonexistent/bun"), error.message());
    assertEquals(bun.hint(), error.hint());
    await(engine.close());
  }

  @Test
  void aBinaryThatIsNotBunIsRefusedSayingWhatItPrinted(Vertx vertx, @TempDir Path dir) throws Exception {
    Path impostor = Files.writeString(dir.resolve("bun"), "#!/bin/sh\necho 'not bun at all'\n");
    Files.setPosixFilePermissions(impostor, PosixFilePermissions.fromString("rwx------"));
    ToolEngine engine = engine(vertx, Map.of("bun.path", impostor.toString()));
    Availability bun = bun(engine);
    assertFalse(bun.usable());
    assertTrue(bun.detail().contains("not bun at all"), bun.detail());
    assertTrue(bun.hint().contains("toolchain/install.sh"), bun.hint());
    await(engine.close());
  }

  @Test
  void doctorNamesTheBinaryItFoundAndWhatHoldsBunBack(Vertx vertx) {
    TestEngines.assumeBun();
    ToolEngine engine = engine(vertx, Map.of());
    Availability bun = bun(engine);
    assertTrue(bun.usable(), bun.detail());
    assertTrue(bun.version().matches("\\d+\\.\\d+\\.\\d+"), bun.version());
    assertTrue(bun.detail().contains("/bun") && bun.detail().contains("no permission model"), bun.detail());
    // Bun itself holds no child processes back: a seccomp filter the worker installs does, where the kernel has them
    if (SeccompFilters.AVAILABLE) {
      assertTrue(bun.detail().contains("a seccomp filter refuses child processes"), bun.detail());
      assertTrue(bun.detail().contains("enforced here: ") && !bun.detail().contains("not enforceable here: no child processes"),
          bun.detail());
    } else {
      assertTrue(bun.detail().contains("not enforceable here: no child processes"), bun.detail());
    }
    await(engine.close());
  }
}
