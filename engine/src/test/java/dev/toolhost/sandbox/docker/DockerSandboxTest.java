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
import dev.toolhost.sandbox.ExecutionResult;
import dev.toolhost.sandbox.FileEntry;
import dev.toolhost.sandbox.FileTree;
import dev.toolhost.sandbox.Language;
import dev.toolhost.sandbox.Sandbox;
import dev.toolhost.sandbox.SandboxEvent;
import dev.toolhost.sandbox.SandboxFixture;
import dev.toolhost.sandbox.SandboxProcess;
import dev.toolhost.sandbox.SandboxSpec;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
  void filesGoInAndOutAndAreListed() throws Exception {
    try (SandboxFixture f = DockerSandboxFixture.start(2)) {
      Sandbox sandbox = create(f, null);
      String longName = "d/" + "n".repeat(150) + ".txt";
      await(sandbox.mount(FileTree.builder().file("src/app.py", "print('hi')\n").file(longName, new byte[] {0, 1, 2})
          .directory("lib", FileTree.builder().file("a/b.txt", "b").build()).build()));
      await(sandbox.writeFile("top.txt", Buffer.buffer("top")));
      assertEquals("print('hi')\n", await(sandbox.readFile("src/app.py")).toString());
      assertEquals(Buffer.buffer(new byte[] {0, 1, 2}), await(sandbox.readFile(longName)));
      List<FileEntry> entries = await(sandbox.list(""));
      assertTrue(entries.contains(new FileEntry("lib/a/b.txt", false, 1)), entries.toString());
      assertTrue(entries.contains(new FileEntry("lib/a", true, 0)), entries.toString());
      assertEquals(List.of(new FileEntry("lib/a", true, 0), new FileEntry("lib/a/b.txt", false, 1)), await(sandbox.list("lib")));
      assertEquals("hi\n", await(await(sandbox.exec("python3", List.of("app.py"), ExecOptions.DEFAULT.withCwd("src"))).result()).stdout());
      await(sandbox.deleteFile("lib"));
      assertFalse(await(sandbox.list("")).stream().anyMatch(e -> e.path().startsWith("lib")));
      assertTrue(failure(sandbox.readFile("lib/a/b.txt"), InvalidRequest.class).message().contains("no file 'lib/a/b.txt'"));
      assertTrue(failure(sandbox.writeFile("big.bin", Buffer.buffer(new byte[(64 << 20) + 1])), InvalidRequest.class)
          .message().contains("over the sandbox's file limit"));
    }
  }

  @Test
  void tenThousandFilesMountAtOnce() throws Exception {
    try (SandboxFixture f = DockerSandboxFixture.start(2)) {
      Sandbox sandbox = create(f, null);
      FileTree.Builder tree = FileTree.builder();
      for (int i = 0; i < 10_000; i++) tree.file("many/d" + (i % 100) + "/file-" + i + ".txt", Integer.toString(i));
      await(sandbox.mount(tree.build()));
      assertEquals("10000\n", run(sandbox, "find many -type f | wc -l").stdout());
      assertEquals("9999", await(sandbox.readFile("many/d99/file-9999.txt")).toString());
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
  void pathTraversalIsRefusedInEveryFileCall() throws Exception {
    try (SandboxFixture f = DockerSandboxFixture.start(2)) {
      Sandbox sandbox = create(f, null);
      assertEquals(0, run(sandbox, "ln -s /etc out && ln -s /nowhere dangling && mkdir in && ln -s in inside").exitCode());
      for (String path : List.of("../x", "/etc/passwd", "a/../../x", "out/passwd", "dangling/x")) {
        assertTrue(failure(sandbox.readFile(path), InvalidRequest.class).message().startsWith("path '" + path + "'"), path);
        failure(sandbox.writeFile(path, Buffer.buffer("x")), InvalidRequest.class);
        failure(sandbox.mount(FileTree.builder().file("fine.txt", "ok").file(path, "x").build()), InvalidRequest.class);
        failure(sandbox.deleteFile(path), InvalidRequest.class);
        failure(sandbox.list(path), InvalidRequest.class);
        failure(sandbox.exec("true", List.of(), ExecOptions.DEFAULT.withCwd(path)), InvalidRequest.class);
      }
      assertTrue(failure(sandbox.readFile("out/passwd"), InvalidRequest.class).message().contains("symlink pointing outside"));
      // a refused mount wrote nothing; a link that stays inside is followed
      failure(sandbox.readFile("fine.txt"), InvalidRequest.class);
      await(sandbox.writeFile("inside/f.txt", Buffer.buffer("in")));
      assertEquals("in", await(sandbox.readFile("in/f.txt")).toString());
      assertEquals("0\n", run(sandbox, "ls /etc | grep -c passwdx || true").stdout());
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
      assertEquals(new SandboxEvent.ProcessExit(sleeper.pid(), 137), events.poll(30, TimeUnit.SECONDS));
      Timeout never = failure(sandbox.execute("while True: pass", Language.PYTHON, ExecOptions.DEFAULT.withTimeout(Duration.ofSeconds(1))),
          Timeout.class);
      assertEquals(1000, never.timeoutMs());
    }
  }

  @Test
  void snippetsRunInEveryLanguageOfTheImage() throws Exception {
    try (SandboxFixture f = DockerSandboxFixture.start(2)) {
      Sandbox sandbox = create(f, null);
      Map<Language, String> code = Map.of(Language.PYTHON, "print(6 * 7)", Language.JAVASCRIPT, "console.log(6 * 7)",
          Language.BASH, "echo $((6 * 7))", Language.SH, "echo 42", Language.RUBY, "puts 6 * 7");
      for (var e : code.entrySet()) {
        ExecutionResult r = await(sandbox.execute(e.getValue(), e.getKey(), ExecOptions.DEFAULT));
        assertEquals("42\n", r.stdout(), e.getKey() + ": " + r.stderr());
        assertTrue(r.success());
      }
      ExecutionResult failed = await(sandbox.execute("raise ValueError('bad')", Language.PYTHON, ExecOptions.DEFAULT));
      assertFalse(failed.success());
      assertEquals("ValueError: bad", failed.error());
      boolean bun = run(sandbox, "command -v bun || true").stdout().contains("bun");
      if (bun) {
        assertEquals("42\n", await(sandbox.execute("const n: number = 42; console.log(n)", Language.TYPESCRIPT, ExecOptions.DEFAULT)).stdout());
      } else {
        RuntimeUnavailable e = failure(sandbox.execute("console.log(1)", Language.TYPESCRIPT, ExecOptions.DEFAULT), RuntimeUnavailable.class);
        assertTrue(e.message().contains("'bun'"), e.message());
      }
    }
  }

  @Test
  void aDevServerIsReachedFromTheHostThroughItsPublishedPort() throws Exception {
    try (SandboxFixture f = DockerSandboxFixture.start(2)) {
      Sandbox sandbox = create(f, List.of(8000, 8001));
      BlockingQueue<SandboxEvent> events = new LinkedBlockingQueue<>();
      sandbox.onEvent(events::add);
      await(sandbox.writeFile("index.html", Buffer.buffer("hello from the container")));
      DevServer server = await(sandbox.startDevServer(new DevServerRequest("sh",
          List.of("-c", "exec python3 -m http.server $PORT --bind $HOST"), 0, Duration.ofSeconds(30))));
      assertEquals(8000, server.port());
      assertTrue(server.url().startsWith("http://127.0.0.1:"), server.url());
      assertEquals(new SandboxEvent.ServerReady(8000, server.url()), events.poll(30, TimeUnit.SECONDS));
      HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + "/index.html"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals("hello from the container", page.body());

      Timeout never = failure(sandbox.startDevServer(new DevServerRequest("sh", List.of("-c", "echo starting; sleep 1000"),
          0, Duration.ofMillis(1500))), Timeout.class);
      // the first port free of a dev server
      assertTrue(never.message().contains("did not open port 8001") && never.message().contains("starting"), never.message());
      assertTrue(failure(sandbox.startDevServer(new DevServerRequest("true", List.of(), 9999, null)), InvalidRequest.class)
          .message().contains("port 9999 is not published"));
      Sandbox closed = create(f, null);
      failure(closed.startDevServer(new DevServerRequest("true", List.of(), 0, null)), InvalidRequest.class);
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
