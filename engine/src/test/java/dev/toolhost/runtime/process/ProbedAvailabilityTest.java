package dev.toolhost.runtime.process;

import static dev.toolhost.testing.TestEngines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.config.Backoff;
import dev.toolhost.config.PermissionPolicy;
import dev.toolhost.runtime.Availability;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A failed probe is asked again when the availability is asked for, once its backoff interval has passed; a usable one never. */
class ProbedAvailabilityTest {
  private static final Availability MISSING = Availability.unusable("fake", "no daemon", "start it");
  private static final Availability THERE = Availability.usable("fake", "1.0", "fine");

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    await(vertx.close());
  }

  @Test
  void aFailedProbeIsRepeatedWhenAskedAgainAndAUsableOneIsKept() {
    ScriptedLauncher launcher = new ScriptedLauncher(MISSING, MISSING, THERE);
    ProbedAvailability probed = await(ProbedAvailability.probe(vertx, launcher, backoff(Duration.ofNanos(1))));
    assertEquals(MISSING, await(probed.current()), "the second probe still fails");
    assertEquals(THERE, await(probed.current()), "the third finds it");
    assertEquals(THERE, await(probed.current()));
    assertEquals(3, launcher.probes.get(), "a usable runtime is not probed again");
  }

  @Test
  void withinTheBackoffIntervalTheLastAnswerStandsWithoutAProbe() {
    ScriptedLauncher launcher = new ScriptedLauncher(MISSING, THERE);
    ProbedAvailability probed = await(ProbedAvailability.probe(vertx, launcher, backoff(Duration.ofHours(1))));
    assertFalse(await(probed.current()).usable());
    assertEquals(1, launcher.probes.get());
  }

  @Test
  void aProbeThatThrowsIsUnusableSayingWhy() {
    WorkerLauncher throwing = new ScriptedLauncher() {
      @Override
      public Availability probe() {
        throw new IllegalStateException("boom");
      }
    };
    Availability a = await(await(ProbedAvailability.probe(vertx, throwing, backoff(Duration.ofHours(1)))).current());
    assertFalse(a.usable());
    assertTrue(a.detail().contains("boom"), a.detail());
  }

  private static Backoff backoff(Duration initial) {
    return new Backoff(initial, initial, Duration.ofHours(1));
  }

  /** Answers its probes from a script; the last answer repeats. */
  private static class ScriptedLauncher implements WorkerLauncher {
    final AtomicInteger probes = new AtomicInteger();
    private final Deque<Availability> answers;

    ScriptedLauncher(Availability... answers) {
      this.answers = new ArrayDeque<>(List.of(answers));
    }

    @Override
    public String runtime() {
      return "fake";
    }

    @Override
    public synchronized Availability probe() {
      probes.incrementAndGet();
      return answers.size() > 1 ? answers.poll() : answers.peek();
    }

    @Override
    public LaunchedWorker launch(String workerId, PermissionPolicy policy) {
      throw new UnsupportedOperationException("a probe test starts no worker");
    }
  }
}
