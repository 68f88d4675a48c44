package dev.toolhost.runtime.graal;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The platform threads guest code runs on: a task goes to an idle thread at once, or to a new
 * one (a guest may loop until its deadline, so no task ever waits behind another). A thread
 * that finishes a task spins briefly (yielding) before it parks: on a virtual machine an idle
 * vCPU halts, and waking it costs tens of microseconds, more than a whole warm call, while a
 * caller that waits on each answer sends its next call within that time. At most one thread per
 * core but one spins, so spinning never takes every core; threads idle for a minute end.
 */
final class GuestThreads implements Executor {
  private static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(60);
  private static final Runnable STOP = () -> { };

  private final long stackBytes;
  private final long spinNanos;
  private final int maxSpinners;
  private final AtomicInteger spinners = new AtomicInteger();
  private final AtomicInteger threadNumber = new AtomicInteger();
  private final AtomicInteger ended = new AtomicInteger();
  private final ConcurrentLinkedDeque<Worker> idle = new ConcurrentLinkedDeque<>();
  private volatile boolean shutdown;

  GuestThreads(long stackBytes, long spinNanos, int maxSpinners) {
    this.stackBytes = stackBytes;
    this.spinNanos = spinNanos;
    this.maxSpinners = maxSpinners;
  }

  /** Spinning {@code spin} (zero: never) on at most all cores but one. */
  static GuestThreads forThisMachine(long stackBytes, Duration spin) {
    return new GuestThreads(stackBytes, spin.toNanos(), Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
  }

  @Override
  public void execute(Runnable task) {
    if (shutdown) throw new RejectedExecutionException("the GraalJS runtime is closed");
    // the most recently idle thread first: it is the one still spinning
    Worker worker = idle.pollFirst();
    if (worker != null) {
      worker.hand(task);
    } else {
      new Worker(task).start();
    }
  }

  /** Ends the idle threads now and each busy one when its task returns. */
  void shutdown() {
    shutdown = true;
    for (Worker worker; (worker = idle.pollFirst()) != null; ) worker.hand(STOP);
  }

  /** Threads alive (for tests). */
  int threads() {
    return threadNumber.get() - ended.get();
  }

  /** Threads waiting for a task (for tests). */
  int idleThreads() {
    return idle.size();
  }

  private final class Worker implements Runnable {
    private final AtomicReference<Runnable> slot;
    private final Thread thread;
    private volatile boolean parked;

    Worker(Runnable first) {
      slot = new AtomicReference<>(first);
      thread = new Thread(null, this, "toolhost-graaljs-" + threadNumber.incrementAndGet(), stackBytes);
      thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    /** Only the one who took this worker off the idle deque hands it a task. */
    void hand(Runnable task) {
      slot.set(task);
      if (parked) LockSupport.unpark(thread);
    }

    @Override
    public void run() {
      try {
        for (Runnable task = slot.getAndSet(null); task != null && task != STOP; task = nextTask()) {
          task.run();
          if (shutdown) return;
        }
      } finally {
        ended.incrementAndGet();
      }
    }

    /** Waits for the next task (spinning first, if few others spin); null when idle too long. */
    private Runnable nextTask() {
      if (shutdown) return null;
      idle.addFirst(this);
      if (shutdown && idle.remove(this)) return null;
      boolean spinning = spinners.incrementAndGet() <= maxSpinners;
      if (!spinning) spinners.decrementAndGet();
      long start = System.nanoTime();
      try {
        while (true) {
          Runnable task = slot.getAndSet(null);
          if (task != null) return task;
          long waited = System.nanoTime() - start;
          if (spinning) {
            if (waited < spinNanos) {
              Thread.yield();  // keeps this vCPU awake, yet gives it to any thread ready to run
              continue;
            }
            spinning = false;
            spinners.decrementAndGet();
          }
          if (waited >= KEEP_ALIVE_NANOS && idle.remove(this)) return null;  // not removed: a task is on its way
          parked = true;
          if (slot.get() == null) LockSupport.parkNanos(this, Math.max(1, KEEP_ALIVE_NANOS - waited));
          parked = false;
        }
      } finally {
        if (spinning) spinners.decrementAndGet();
      }
    }
  }
}
