package dev.toolhost.runtime.graal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Guest threads: one per task in flight, reused when idle, never a task behind another. */
class GuestThreadsTest {
  private final GuestThreads threads = new GuestThreads(1 << 20, TimeUnit.MICROSECONDS.toNanos(100), 1);

  @AfterEach
  void shutdown() {
    threads.shutdown();
  }

  @Test
  void tasksOneAfterAnotherShareOneThread() throws Exception {
    Set<Thread> used = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < 50; i++) {
      CountDownLatch done = new CountDownLatch(1);
      threads.execute(() -> {
        used.add(Thread.currentThread());
        done.countDown();
      });
      assertTrue(done.await(5, TimeUnit.SECONDS));
      awaitIdle();
      if (i % 10 == 0) Thread.sleep(2);  // some tasks come after the spin, to a parked thread
    }
    assertEquals(1, used.size(), "an idle thread takes the next task");
    assertTrue(used.iterator().next().getName().startsWith("toolhost-graaljs-"));
  }

  private void awaitIdle() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (threads.idleThreads() == 0 && System.nanoTime() < deadline) Thread.onSpinWait();
    assertEquals(1, threads.idleThreads());
  }

  @Test
  void aTaskThatNeverReturnsDelaysNoOther() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch second = new CountDownLatch(1);
    threads.execute(() -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    threads.execute(second::countDown);
    assertTrue(second.await(5, TimeUnit.SECONDS), "the second task ran while the first still ran");
    assertEquals(2, threads.threads());
    release.countDown();
  }

  @Test
  void afterShutdownIdleThreadsEndAndNoTaskIsTaken() throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    threads.execute(done::countDown);
    assertTrue(done.await(5, TimeUnit.SECONDS));
    threads.shutdown();
    assertThrows(RejectedExecutionException.class, () -> threads.execute(() -> { }));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (threads.threads() > 0 && System.nanoTime() < deadline) Thread.sleep(5);
    assertEquals(0, threads.threads());
  }
}
