package dev.toolhost.testing;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import dev.toolhost.api.ToolException;
import dev.toolhost.config.ConfigLoader;
import dev.toolhost.config.EngineConfig;
import dev.toolhost.engine.ToolEngine;
import dev.toolhost.runtime.Toolchain;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;

/** Starting engines on the repository's tool roots, and waiting for their answers in tests. */
public final class TestEngines {
  private static Boolean nodeUsable;
  private static Boolean bubblewrapUsable;

  private TestEngines() {}

  public static Path repo() {
    return Path.of(System.getProperty("toolhost.repo", "..")).toAbsolutePath().normalize();
  }

  public static Path sampleTools() {
    return repo().resolve("sample-tools");
  }

  public static Path testTools() {
    return repo().resolve("engine/src/test/resources/test-tools");
  }

  /** Skips the test, saying why, where no Node.js 20+ is installed. */
  public static synchronized void assumeNode() {
    if (nodeUsable == null) {
      try {
        Process p = new ProcessBuilder("node", "-e",
            "const [a, b] = process.versions.node.split('.').map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)").start();
        nodeUsable = p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
      } catch (IOException e) {
        nodeUsable = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        nodeUsable = false;
      }
    }
    Assumptions.assumeTrue(nodeUsable, "skipped: Node.js 20.19 or later is not installed (node on PATH)");
    assumeBubblewrap();
  }

  /**
   * Skips the test, saying why, where bubblewrap cannot sandbox a worker: without it a subprocess
   * runtime refuses the default policy (no network), as it must.
   */
  public static synchronized void assumeBubblewrap() {
    if (bubblewrapUsable == null) {
      try {
        Process p = new ProcessBuilder("bwrap", "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/",
            "--proc", "/proc", "--dev", "/dev", "true").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        bubblewrapUsable = p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
      } catch (IOException e) {
        bubblewrapUsable = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        bubblewrapUsable = false;
      }
    }
    Assumptions.assumeTrue(bubblewrapUsable, "skipped: bubblewrap (bwrap) cannot create namespaces here; "
        + "subprocess runtimes refuse the default policy (no network) without it");
  }

  /** Skips the test, saying why, where the build could not install Bun (it needs npm) and none is on PATH. */
  /**
   * What bun tests that must run without bubblewrap add to their configuration: bun has no
   * permission model, so where bubblewrap is missing nothing holds files and the network, and the
   * default strict enforcement refuses every bun tool, as it must. SubprocessPermissionsTest runs
   * bun strict, in bubblewrap.
   */
  public static final Map<String, String> BUN_BEST_EFFORT = Map.of("permissions.enforcement", "best-effort");

  public static void assumeBun() {
    Assumptions.assumeTrue(Toolchain.find("bun", null).isPresent(),
        "skipped: no bun in " + Toolchain.searched("bun", null) + " (toolchain/install.sh needs npm)");
  }

  /** A configuration for {@code tools} with the given YAML file body and flags. */
  public static EngineConfig config(Path tools, String yaml, Map<String, String> flags) {
    Map<String, String> all = new HashMap<>(flags);
    all.put("tools", tools.toString());
    Path file = null;
    if (yaml != null) {
      try {
        file = Files.createTempFile("toolhost-test", ".yaml");
        Files.writeString(file, yaml);
        file.toFile().deleteOnExit();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return ConfigLoader.load(file, Map.of(), all);
  }

  public static ToolEngine start(Vertx vertx, EngineConfig config) {
    return await(ToolEngine.start(vertx, config));
  }

  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException("no answer within 60 s", e);
    }
  }

  /** Waits for a future that must fail with a ToolException, and returns it. */
  public static ToolException failure(Future<?> future) {
    try {
      Object result = future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      return fail("expected a failure, got " + result);
    } catch (ExecutionException e) {
      return assertInstanceOf(ToolException.class, e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException("no answer within 60 s", e);
    }
  }
}
