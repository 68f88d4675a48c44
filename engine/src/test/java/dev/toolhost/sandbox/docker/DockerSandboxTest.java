package dev.toolhost.sandbox.docker;

import static dev.toolhost.sandbox.SandboxFixture.failure;
import static dev.toolhost.testing.TestEngines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.api.InvalidRequest;
import dev.toolhost.api.OutputLimitExceeded;
import dev.toolhost.api.RuntimeUnavailable;
import dev.toolhost.api.Timeout;
import dev.toolhost.runtime.docker.DockerDaemon;
import dev.toolhost.sandbox.DevServer;
import dev.toolhost.sandbox.DevServerRequest;
import dev.toolhost.sandbox.ExecOptions;
import dev.toolhost.sandbox.ExecResult;
import dev.toolhost.sandbox.FileEntry;
import dev.toolhost.sandbox.Language;
import dev.toolhost.sandbox.Sandbox;
import dev.toolhost.sandbox.SandboxEvent;
import dev.toolhost.sandbox.SandboxFixture;
import dev.toolhost.sandbox.SandboxProcess;
import dev.toolhost.sandbox.SandboxSpec;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Docker sandboxes against the real daemon: what the local sandbox tests check, and what only a container can get wrong. */
class DockerSandboxTest {
  private static Sandbox create(SandboxFixture f, List<Integer> ports) {
    return await(f.manager.create(new SandboxSpec("docker", null, ports, Map.of("GREETING", "hi"), null, null)));
  }

  private static ExecResult run(Sandbox sandbox, String script) {
    return await(await(sandbox.exec("sh", List.of("-c", script), ExecOptions.DEFAULT)).result());
  }

  @Test
  void pathsLongerThanATarHeaderHoldGoInAndOut() throws Exception {
    try (SandboxFixture f = DockerSandboxFixture.start(2)) {
      Sandbox sandbox = create(f, null);
      String longName = "d/" + "n".repeat(150) + "/" + "m".repeat(120) + ".bin";
      await(sandbox.writeFile(longName, Buffer.buffer(new byte[] {0, 1, 2})));
      assertEquals(Buffer.buffer(new byte[] {0, 1, 2}), await(sandbox.readFile(longName)));
      assertEquals(new FileEntry(longName, false, 3), await(sandbox.list("d")).get(1));
    }
  }

  @Test
  void theContainerIsHardenedAsToolContainersAre() throws Exception {
    try (SandboxFixture f = DockerSandboxFixture.start(2)) {
      Sandbox sandbox = create(f, null);
      ExecResult r = run(sandbox, "id -u; grep CapEff /proc/self/status; ls /sys/class/net; touch /etc/x 2>&1 || echo read-only; pwd");
      assertEquals("10001\nCapEff:\t0000000000000000\nlo\nread-only\n/workspace\n",
          r.stdout().replaceAll("touch: cannot touch '/etc/x': Read-only file system\n", ""), r.stdout());
    }
  }

  @Test
  void outputIsStreamedAndStdinReachesTheCommand() throws Exception {
    try (SandboxFixture f = DockerSandboxFixture.start(2)) {
      Sandbox sandbox = create(f, null);
      SandboxProcess process = await(sandbox.exec("bash", List.of("-c", "echo one; read line; echo \"two $line\"; echo oops >&2"),
          ExecOptions.DEFAULT.withInteractive(true)));
      BlockingQueue<String> chunks = new LinkedBlockingQueue<>();
      process.stdoutHandler(b -> chunks.add(b.toString()));
      assertEquals("one\n", chunks.poll(30, TimeUnit.SECONDS));
      await(process.write(Buffer.buffer("go\n")));
      await(process.endInput());
      ExecResult result = await(process.result());
      assertEquals(0, result.exitCode());
      assertEquals("one\ntwo go\n", result.stdout());
      assertEquals("oops\n", result.stderr());
      ExecResult env = await(await(sandbox.exec("env", List.of(), ExecOptions.DEFAULT.withEnv(Map.of("EXTRA", "1")))).result());
      assertTrue(env.stdout().contains("GREETING=hi\n") && env.stdout().contains("EXTRA=1\n"), env.stdout());
      assertFalse(env.stdout().contains("JAVA_HOME"), env.stdout());
      assertEquals(3, await(await(sandbox.exec("sh", List.of("-c", "exit 3"), ExecOptions.DEFAULT)).result()).exitCode());
    }
  }

  @Test
  void badCommandsAndRunawaysGetTypedErrors() throws Exception {
    try (SandboxFixture f = DockerSandboxFixture.start(2)) {
      Sandbox sandbox = create(f, null);
      BlockingQueue<SandboxEvent> events = new LinkedBlockingQueue<>();
      sandbox.onEvent(events::add);
      assertTrue(failure(sandbox.exec("no-such-command-7", List.of(), ExecOptions.DEFAULT), InvalidRequest.class)
          .message().contains("command 'no-such-command-7' not found"));
      SandboxProcess runaway = await(sandbox.exec("bash", List.of("-c", "sleep 1000 & setsid sleep 1001 & wait"),
          ExecOptions.DEFAULT.withTimeout(Duration.ofMillis(1500))));
      assertEquals(1500, failure(runaway.result(), Timeout.class).timeoutMs());
      // every process of the command is gone, the one that left its session too
      assertEquals("", run(sandbox, "cat /proc/[0-9]*/cmdline 2>/dev/null | tr '\\0' ' ' | grep -o 'sleep 100[01]' || true").stdout());
      assertEquals(1 << 20, failure(await(sandbox.exec("yes", List.of(), ExecOptions.DEFAULT)).result(),
          OutputLimitExceeded.class).limitBytes());
      events.clear();
      SandboxProcess sleeper = await(sandbox.exec("sleep", List.of("1000"), ExecOptions.DEFAULT));
      await(sleeper.kill());
      assertEquals(137, await(sleeper.result()).exitCode());
      // the exits of the commands before may come late, but this one's comes
      SandboxFixture.eventually("the kill's exit event", () -> events.contains(new SandboxEvent.ProcessExit(sleeper.pid(), 137)));
      assertTrue(sleeper.pid() > 0);
      Timeout never = failure(sandbox.execute("while True: pass", Language.PYTHON, ExecOptions.DEFAULT.withTimeout(Duration.ofSeconds(1))),
          Timeout.class);
      assertEquals(1000, never.timeoutMs());
    }
  }

  @Test
  void aLanguageWithoutItsInterpreterInTheImageIsRuntimeUnavailableNamingIt() throws Exception {
    try (SandboxFixture f = DockerSandboxFixture.start(2)) {
      Sandbox sandbox = create(f, null);
      // the image's interpreters are the ones on its PATH: with a PATH leading nowhere, none is found
      Sandbox bare = await(f.manager.create(new SandboxSpec("docker", null, null, Map.of("PATH", "/nowhere"), null, null)));
      RuntimeUnavailable e = failure(bare.execute("puts 1", Language.RUBY, ExecOptions.DEFAULT), RuntimeUnavailable.class);
      assertTrue(e.message().contains("no 'ruby' interpreter in the sandbox's image"), e.message());
      assertEquals("ruby", e.runtime());
      assertEquals("1\n", await(sandbox.execute("puts 1", Language.RUBY, ExecOptions.DEFAULT)).stdout());
    }
  }

  @Test
  void aDevServerListensOnAPublishedPortOnly() throws Exception {
    try (SandboxFixture f = DockerSandboxFixture.start(2)) {
      Sandbox sandbox = create(f, List.of(8000, 8001));
      DevServer server = await(sandbox.startDevServer(new DevServerRequest("sh",
          List.of("-c", "exec python3 -m http.server $PORT --bind $HOST"), 0, Duration.ofSeconds(30))));
      assertEquals(8000, server.port());
      // the next free published port; a port the sandbox does not publish is refused
      Timeout never = failure(sandbox.startDevServer(new DevServerRequest("sh", List.of("-c", "echo starting; sleep 1000"),
          0, Duration.ofMillis(1500))), Timeout.class);
      assertTrue(never.message().contains("did not open port 8001"), never.message());
      assertTrue(failure(sandbox.startDevServer(new DevServerRequest("true", List.of(), 9999, null)), InvalidRequest.class)
          .message().contains("port 9999 is not published"));
      assertTrue(failure(create(f, null).startDevServer(new DevServerRequest("true", List.of(), 0, null)), InvalidRequest.class)
          .message().contains("publishes no ports"));
    }
  }

  @Test
  void aContainerRemovedFromOutsideIsDroppedAndNothingIsLeftBehind() throws Exception {
    try (SandboxFixture f = DockerSandboxFixture.start(3);
         DockerDaemon daemon = DockerDaemon.connect(DockerSandboxFixture.HOST)) {
      Sandbox gone = create(f, null);
      Sandbox kept = create(f, null);
      Sandbox tornDown = create(f, null);
      daemon.client().removeContainerCmd("toolhost-sandbox-" + gone.id()).withForce(true).exec();
      RuntimeUnavailable e = failure(gone.exec("true", List.of(), ExecOptions.DEFAULT), RuntimeUnavailable.class);
      assertTrue(e.message().contains("is gone"), e.message());
      failure(gone.readFile("x"), RuntimeUnavailable.class);
      assertFalse(gone.isReady());
      assertTrue(f.manager.get(gone.id()).isEmpty());
      // the engine keeps serving: the others work, and the freed slot takes a new sandbox
      assertEquals(0, run(kept, "true").exitCode());
      Sandbox another = create(f, null);
      assertEquals(0, run(another, "true").exitCode());

      await(f.manager.teardown(tornDown.id()));
      assertEquals("sandbox '" + tornDown.id() + "' was torn down",
          failure(tornDown.exec("true", List.of(), ExecOptions.DEFAULT), InvalidRequest.class).message());
      assertEquals(0, containers(daemon, tornDown));
      await(f.manager.close());
      assertEquals(0, containers(daemon, kept) + containers(daemon, another));
    }
  }

  @Test
  void withoutADaemonCreateIsRuntimeUnavailable() throws Exception {
    SandboxFixture f = new SandboxFixture(java.nio.file.Files.createTempDirectory("toolhost-docker-sandbox-test"),
        SandboxFixture.settings(java.nio.file.Path.of("."), "off", 1),
        vertx -> new DockerSandboxStrategy(vertx, SandboxFixture.settings(java.nio.file.Path.of("."), "off", 1),
            URI.create("unix:///nonexistent/docker.sock")));
    try (f) {
      assertFalse(f.manager.strategies().iterator().next().availability().usable());
      RuntimeUnavailable e = failure(f.manager.create(new SandboxSpec("docker", null, null, null, null, null)), RuntimeUnavailable.class);
      assertTrue(e.message().contains("no Docker daemon socket at /nonexistent/docker.sock"), e.message());
      assertTrue(f.manager.list().isEmpty());
    }
  }

  private static int containers(DockerDaemon daemon, Sandbox sandbox) {
    return daemon.client().listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of("dev.toolhost.worker", "sandbox-" + sandbox.id())).exec().size();
  }
}
