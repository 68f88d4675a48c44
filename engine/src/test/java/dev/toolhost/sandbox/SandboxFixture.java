package dev.toolhost.sandbox;

import static dev.toolhost.testing.TestEngines.await;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import dev.toolhost.api.ToolError;
import dev.toolhost.api.ToolException;
import dev.toolhost.config.SandboxSettings;
import dev.toolhost.sandbox.local.LocalSandboxStrategy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Stream;

/** A Vert.x instance and a sandbox manager with one strategy (local unless given), its sandboxes in a temporary directory. */
public final class SandboxFixture implements AutoCloseable {
  public final Vertx vertx = Vertx.vertx();
  public final Path dir;
  public final SandboxManager manager;
  private final String type;
  private final List<Integer> ports;

  private SandboxFixture(Path dir, SandboxSettings settings) {
    this(dir, settings, vertx -> new LocalSandboxStrategy(vertx, settings));
  }

  public SandboxFixture(Path dir, SandboxSettings settings, Function<Vertx, SandboxStrategy> strategy) {
    this(dir, settings, strategy, List.of());
  }

  /** @param ports what {@link #create()} asks for (docker sandboxes publish the ports of their dev servers) */
  public SandboxFixture(Path dir, SandboxSettings settings, Function<Vertx, SandboxStrategy> strategy, List<Integer> ports) {
    this.dir = dir;
    SandboxStrategy made = strategy.apply(vertx);
    this.type = made.type();
    this.ports = ports;
    this.manager = new SandboxManager(vertx, settings, List.of(made));
  }

  /** Whether the sandboxes are local ones, whose files {@link #sandboxDir} finds on this host. */
  public boolean isLocal() {
    return type.equals("local");
  }

  /** Settings for tests: sandboxes under {@code dir}, 30 s deadlines, 1 MiB of output, 64 MiB files, the local sandbox image. */
  public static SandboxSettings settings(Path dir, String bubblewrap, int maxLive) {
    return new SandboxSettings(maxLive, Duration.ofMinutes(5), Duration.ofSeconds(30), 1 << 20, 64L << 20, true,
        bubblewrap, dir, System.getenv().getOrDefault("TOOLHOST_SANDBOX_DOCKER_IMAGE", "toolhost/sandbox:local"));
  }

  /** @param bubblewrap {@code auto} or {@code off} */
  public static SandboxFixture start(String bubblewrap, int maxLive) {
    try {
      Path dir = Files.createTempDirectory("toolhost-sandbox-test");
      return new SandboxFixture(dir, settings(dir, bubblewrap, maxLive));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static SandboxFixture start() {
    return start("auto", 4);
  }

  /** Where the local strategy keeps the sandbox of this id: under a directory named by this engine's pid. */
  public Path sandboxDir(String id) {
    return dir.resolve(Long.toString(ProcessHandle.current().pid())).resolve(id);
  }

  public Sandbox create() {
    return await(manager.create(new SandboxSpec(type, null, ports, null, null, null)));
  }

  /** The error a future fails with, asserted to be a ToolException of {@code type}. */
  public static <T extends ToolError> T failure(Future<?> future, Class<T> type) {
    try {
      future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      ToolException te = assertInstanceOf(ToolException.class, e.getCause());
      return assertInstanceOf(type, te.error(), te.getMessage());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("no answer within 60 s", e);
    }
    return fail("expected " + type.getSimpleName() + ", but it succeeded");
  }

  /** Waits up to 30 s for {@code condition}, checking every 20 ms. */
  public static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) fail("not within 30 s: " + what);
      Thread.sleep(20);
    }
  }

  @Override
  public void close() throws IOException {
    await(manager.close());
    await(vertx.close());
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
