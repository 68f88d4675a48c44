package dev.toolhost.sandbox;

import static dev.toolhost.sandbox.SandboxFixture.eventually;
import static dev.toolhost.sandbox.SandboxFixture.failure;
import static dev.toolhost.testing.TestEngines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.api.InvalidRequest;
import dev.toolhost.api.OutputLimitExceeded;
import dev.toolhost.api.Timeout;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Commands in a local sandbox, in bubblewrap ({@code auto}, where it works) and as plain processes ({@code off}). */
class SandboxExecTest {
  @ParameterizedTest
  @ValueSource(strings = {"auto", "off"})
  void outputIsStreamedBeforeTheCommandEnds(String bubblewrap) throws Exception {
    try (SandboxFixture f = SandboxFixture.start(bubblewrap, 2)) {
      Sandbox sandbox = f.create();
      SandboxProcess process = await(sandbox.exec("bash", List.of("-c", "echo one; read line; echo two; echo oops >&2"),
          ExecOptions.DEFAULT.withInteractive(true)));
      BlockingQueue<String> chunks = new LinkedBlockingQueue<>();
      process.stdoutHandler(b -> chunks.add(b.toString()));
      assertEquals("one\n", chunks.poll(30, TimeUnit.SECONDS));
      // the command waits for its stdin, so "one" came while it was still running
      assertTrue(ProcessHandle.of(process.pid()).map(ProcessHandle::isAlive).orElse(false));
      await(process.write(Buffer.buffer("go\n")));
      await(process.endInput());
      ExecResult result = await(process.result());
      assertEquals(0, result.exitCode());
      assertEquals("one\ntwo\n", result.stdout());
      assertEquals("oops\n", result.stderr());
      assertEquals("two\n", chunks.poll(30, TimeUnit.SECONDS));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"auto", "off"})
  void aCommandThatNeverEndsIsKilledWithAllItsChildren(String bubblewrap) throws Exception {
    try (SandboxFixture f = SandboxFixture.start(bubblewrap, 2)) {
      Sandbox sandbox = f.create();
      SandboxProcess process = await(sandbox.exec("bash", List.of("-c", "sleep 1000 & sleep 1000 & wait"),
          ExecOptions.DEFAULT.withTimeout(Duration.ofMillis(1500))));
      ProcessHandle root = ProcessHandle.of(process.pid()).orElseThrow();
      eventually("both sleeps started", () -> root.descendants().filter(p -> p.info().command().orElse("").endsWith("sleep")).count() == 2);
      List<ProcessHandle> tree = root.descendants().toList();

      Timeout timeout = failure(process.result(), Timeout.class);
      assertEquals(1500, timeout.timeoutMs());
      eventually("every process of the command is gone", () -> tree.stream().noneMatch(ProcessHandle::isAlive) && !root.isAlive());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"auto", "off"})
  void aCommandThatDoesNotExistIsAnInvalidRequest(String bubblewrap) throws Exception {
    try (SandboxFixture f = SandboxFixture.start(bubblewrap, 2)) {
      InvalidRequest e = failure(f.create().exec("no-such-command-7", List.of(), ExecOptions.DEFAULT), InvalidRequest.class);
      assertTrue(e.message().contains("command 'no-such-command-7' not found"), e.message());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"auto", "off"})
  void processesSeeTheSandboxEnvNeverTheEngines(String bubblewrap) throws Exception {
    try (SandboxFixture f = SandboxFixture.start(bubblewrap, 2)) {
      Sandbox sandbox = await(f.manager.create(new SandboxSpec("local", null, null, Map.of("GREETING", "hi"), null, null)));
      ExecResult result = await(await(sandbox.exec("env", List.of(), ExecOptions.DEFAULT.withEnv(Map.of("EXTRA", "1")))).result());
      // bubblewrap sets PWD to the directory it changed to
      List<String> keys = result.stdout().lines().map(l -> l.substring(0, l.indexOf('=')))
          .filter(k -> !k.equals("PWD")).sorted().toList();
      assertEquals(List.of("EXTRA", "GREETING", "HOME", "LANG", "PATH", "TMPDIR"), keys);
      assertTrue(result.stdout().contains("GREETING=hi\n"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"auto", "off"})
  void outputOverTheLimitStopsTheCommand(String bubblewrap) throws Exception {
    try (SandboxFixture f = SandboxFixture.start(bubblewrap, 2)) {
      OutputLimitExceeded e = failure(await(f.create().exec("yes", List.of(), ExecOptions.DEFAULT)).result(),
          OutputLimitExceeded.class);
      assertEquals(1 << 20, e.limitBytes());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"auto", "off"})
  void killEndsTheCommandAndEveryProcessExitIsAnEvent(String bubblewrap) throws Exception {
    try (SandboxFixture f = SandboxFixture.start(bubblewrap, 2)) {
      Sandbox sandbox = f.create();
      BlockingQueue<SandboxEvent> events = new LinkedBlockingQueue<>();
      sandbox.onEvent(events::add);
      SandboxProcess process = await(sandbox.exec("sleep", List.of("1000"), ExecOptions.DEFAULT));
      await(process.kill());
      assertEquals(137, await(process.result()).exitCode());
      assertEquals(new SandboxEvent.ProcessExit(process.pid(), 137), events.poll(30, TimeUnit.SECONDS));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"auto"})
  void inBubblewrapTheHostIsOutOfSight(String bubblewrap) throws Exception {
    try (SandboxFixture f = SandboxFixture.start(bubblewrap, 2)) {
      Assumptions.assumeTrue(f.manager.strategies().iterator().next().availability().detail().startsWith("bubblewrap"),
          "skipped: bubblewrap does not work here (the local strategy runs plain processes)");
      Sandbox sandbox = f.create();
      await(sandbox.writeFile("mine.txt", Buffer.buffer("x")));
      ExecResult result = await(await(sandbox.exec("bash", List.of("-c",
          "pwd; ls; test -e /etc/shadow && echo shadow; test -e " + f.dir + " && echo host-dir; grep CapEff /proc/self/status; echo $$"),
          ExecOptions.DEFAULT)).result());
      assertEquals("/workspace\nmine.txt\n", result.stdout().substring(0, result.stdout().lastIndexOf("mine.txt\n") + 9));
      assertFalse(result.stdout().contains("shadow"));
      assertFalse(result.stdout().contains("host-dir"));
      // no capabilities, even when the engine runs as root
      assertTrue(result.stdout().contains("CapEff:\t0000000000000000\n"), result.stdout());
      // its own PID namespace: the shell is one of the first processes there
      int pid = Integer.parseInt(result.stdout().strip().substring(result.stdout().strip().lastIndexOf('\n') + 1));
      assertTrue(pid < 10, "pid " + pid);
    }
  }
}
