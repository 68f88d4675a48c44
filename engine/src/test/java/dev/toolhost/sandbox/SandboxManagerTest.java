package dev.toolhost.sandbox;

import static dev.toolhost.sandbox.SandboxFixture.eventually;
import static dev.toolhost.sandbox.SandboxFixture.failure;
import static dev.toolhost.testing.TestEngines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.api.InvalidRequest;
import dev.toolhost.api.NotFound;
import dev.toolhost.api.Overloaded;
import dev.toolhost.api.RuntimeUnavailable;
import dev.toolhost.api.ToolException;
import dev.toolhost.config.SandboxSettings;
import dev.toolhost.sandbox.local.LocalSandboxStrategy;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The manager: strategy by type, the bound on live sandboxes, idle teardown, teardown of all on close. */
class SandboxManagerTest {
  @Test
  void moreSandboxesThanTheLimitIsOverloadedAndCreatesNothing() throws Exception {
    try (SandboxFixture f = SandboxFixture.start("auto", 2)) {
      Sandbox first = f.create();
      f.create();
      Overloaded e = failure(f.manager.create(spec("local")), Overloaded.class);
      assertTrue(e.message().contains("sandbox.maxLive"), e.message());
      assertEquals(2, f.manager.list().size());
      try (var dirs = Files.list(f.sandboxDir("x").getParent())) {
        assertEquals(2, dirs.count());
      }
      await(f.manager.teardown(first.id()));
      assertTrue(f.create().isReady());
    }
  }

  @Test
  void anUnusedSandboxIsTornDownAfterItsIdleTimeout() throws Exception {
    try (SandboxFixture f = SandboxFixture.start()) {
      Sandbox idle = await(f.manager.create(new SandboxSpec("local", null, null, null, null, Duration.ofMillis(300))));
      Sandbox kept = f.create();
      eventually("the idle sandbox is torn down and its files are gone",
          () -> !idle.isReady() && !Files.exists(f.sandboxDir(idle.id())));
      assertEquals(List.of(kept), f.manager.list());
      assertTrue(kept.isReady());
    }
  }

  @Test
  void closeTearsDownEverySandboxAndKillsItsProcesses() throws Exception {
    SandboxFixture f = SandboxFixture.start();
    Sandbox a = f.create();
    Sandbox b = f.create();
    SandboxProcess sleeper = await(a.exec("sleep", List.of("1000"), ExecOptions.DEFAULT));
    ProcessHandle handle = ProcessHandle.of(sleeper.pid()).orElseThrow();
    await(f.manager.close());
    assertFalse(Files.exists(f.sandboxDir(a.id()).getParent()), "the engine's directory is removed on close");
    f.close();
    assertFalse(a.isReady());
    assertFalse(b.isReady());
    assertFalse(handle.isAlive());
    assertFalse(Files.exists(f.dir));
  }

  @Test
  void tornDownCompletesWhicheverWayTheSandboxEndsAndRequireAnswersNotFoundAfter() throws Exception {
    SandboxFixture f = SandboxFixture.start();
    Sandbox deleted = f.create();
    Sandbox idle = await(f.manager.create(new SandboxSpec("local", null, null, null, null, Duration.ofMillis(300))));
    Sandbox atShutdown = f.create();
    Future<Void> byDelete = f.manager.tornDown(deleted.id());
    Future<Void> byIdle = f.manager.tornDown(idle.id());
    Future<Void> byClose = f.manager.tornDown(atShutdown.id());
    assertFalse(byDelete.isComplete() || byIdle.isComplete() || byClose.isComplete());
    assertEquals(deleted, f.manager.require(deleted.id()));

    await(f.manager.teardown(deleted.id()));
    assertTrue(byDelete.succeeded());
    assertFalse(deleted.isReady());
    NotFound gone = assertInstanceOf(NotFound.class,
        assertThrows(ToolException.class, () -> f.manager.require(deleted.id())).error());
    assertEquals("sandbox", gone.resource());
    assertEquals(deleted.id(), gone.name());
    assertTrue(f.manager.tornDown(deleted.id()).succeeded(), "a sandbox no longer live is torn down already");

    await(byIdle);
    assertFalse(idle.isReady());
    assertFalse(byClose.isComplete());
    f.close();
    assertTrue(byClose.succeeded());
    assertFalse(atShutdown.isReady());
  }

  @Test
  void typesAreCheckedAndDockerIsNotAvailableYet() throws Exception {
    try (SandboxFixture f = SandboxFixture.start()) {
      RuntimeUnavailable docker = failure(f.manager.create(spec("docker")), RuntimeUnavailable.class);
      assertEquals("docker", docker.runtime());
      assertEquals("field: type", failure(f.manager.create(spec("vm")), InvalidRequest.class).details());
      assertEquals("field: env.1BAD", failure(f.manager.create(new SandboxSpec("local", null, null,
          Map.of("1BAD", "x"), null, null)), InvalidRequest.class).details());
      assertEquals(List.of(), f.manager.list());
    }
  }

  @Test
  void directoriesLeftByAnEngineThatIsGoneAreRemovedAtStart() throws Exception {
    try (SandboxFixture f = SandboxFixture.start()) {
      // pids never go above 2^22 on Linux: no process has this one
      Path gone = Files.createDirectories(f.dir.resolve("999999999/some-sandbox/workspace"));
      Path alive = Files.createDirectories(f.dir.resolve("1/other"));  // init's: still running
      SandboxSettings settings = f.manager.settings();
      await(new LocalSandboxStrategy(f.vertx, settings).close());
      assertFalse(Files.exists(gone.getParent().getParent()));
      assertTrue(Files.exists(alive));
    }
  }

  private static SandboxSpec spec(String type) {
    return new SandboxSpec(type, null, null, null, null, null);
  }
}
