package dev.toolhost.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
class VertxSchedulerTest {

  @Test
  void immediateStepRunsInlineOnTheCallingThread(Vertx vertx, VertxTestContext ctx) {
    VertxScheduler scheduler = new VertxScheduler(vertx);
    AtomicReference<Thread> ranOn = new AtomicReference<>();

    ScheduledFuture<?> zero = scheduler.schedule(() -> ranOn.getAndSet(Thread.currentThread()), 0, TimeUnit.MILLISECONDS);
    ctx.verify(() -> {
      assertSame(Thread.currentThread(), ranOn.get(), "ran before schedule returned, on this thread");
      assertTrue(zero.isDone());
      assertFalse(zero.isCancelled());
    });

    ranOn.set(null);
    ScheduledFuture<?> negative = scheduler.schedule(() -> ranOn.getAndSet(Thread.currentThread()), -5, TimeUnit.SECONDS);
    ctx.verify(() -> {
      assertSame(Thread.currentThread(), ranOn.get());
      assertTrue(negative.isDone());
    });
    ctx.completeNow();
  }

  @Test
  void delayedStepRunsOnAVertxThreadAfterItsDelay(Vertx vertx, VertxTestContext ctx) {
    VertxScheduler scheduler = new VertxScheduler(vertx);
    Promise<Long> ran = Promise.promise();
    long start = System.nanoTime();

    ScheduledFuture<?> future = scheduler.schedule(() -> {
      long elapsed = System.nanoTime() - start;
      ctx.verify(() -> assertTrue(Context.isOnEventLoopThread(), "a delayed step runs on a Vert.x timer"));
      ran.complete(elapsed);
      return null;
    }, 50, TimeUnit.MILLISECONDS);

    Thread caller = Thread.currentThread();
    ran.future().onComplete(ctx.succeeding(elapsed -> ctx.verify(() -> {
      assertNotSame(caller, Thread.currentThread());
      assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(50), "ran after " + elapsed / 1_000_000.0 + " ms");
      assertTrue(future.isDone());
      assertFalse(future.isCancelled());
      assertFalse(future.cancel(false), "a step that ran cannot be cancelled");
      assertFalse(future.isCancelled());
      ctx.completeNow();
    })));
  }

  @Test
  void subMillisecondDelayIsRoundedUpNotDown(Vertx vertx, VertxTestContext ctx) {
    VertxScheduler scheduler = new VertxScheduler(vertx);
    long start = System.nanoTime();

    scheduler.schedule(() -> {
      long elapsed = System.nanoTime() - start;
      ctx.verify(() -> assertTrue(elapsed >= 1_500_000, "ran after " + elapsed + " ns"));
      ctx.completeNow();
      return null;
    }, 1_500, TimeUnit.MICROSECONDS);
  }

  @Test
  void cancelledStepNeverRuns(Vertx vertx, VertxTestContext ctx) {
    VertxScheduler scheduler = new VertxScheduler(vertx);
    AtomicInteger runs = new AtomicInteger();

    ScheduledFuture<?> future = scheduler.schedule(runs::incrementAndGet, 100, TimeUnit.MILLISECONDS);
    ctx.verify(() -> {
      assertTrue(future.cancel(false));
      assertTrue(future.isCancelled());
      assertTrue(future.isDone());
      assertFalse(future.cancel(false), "a second cancel has nothing to cancel");
      assertTrue(future.isCancelled(), "and the future stays cancelled");
    });

    // well past the step's deadline: had the timer survived, it would have fired by now
    vertx.setTimer(300, id -> ctx.verify(() -> {
      assertEquals(0, runs.get());
      ctx.completeNow();
    }));
  }

  @Test
  void cancellingOneStepLeavesOthersScheduled(Vertx vertx, VertxTestContext ctx) {
    VertxScheduler scheduler = new VertxScheduler(vertx);
    AtomicInteger cancelledRuns = new AtomicInteger();

    ScheduledFuture<?> doomed = scheduler.schedule(cancelledRuns::incrementAndGet, 30, TimeUnit.MILLISECONDS);
    scheduler.schedule(() -> {
      // the kept step is due after the cancelled one was: it must not have run
      ctx.verify(() -> assertEquals(0, cancelledRuns.get()));
      ctx.completeNow();
      return null;
    }, 80, TimeUnit.MILLISECONDS);
    ctx.verify(() -> assertTrue(doomed.cancel(false)));
  }
}
