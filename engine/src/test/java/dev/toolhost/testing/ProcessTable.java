package dev.toolhost.testing;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Finding the processes a tool started, in the machine's process table. There is no event to
 * wait on when a process ends, so tests poll it with a deadline.
 */
public final class ProcessTable {
  private ProcessTable() {}

  /**
   * {@code sleep SECONDS} processes started since {@code sinceMillis} (a second of slack: start
   * times are coarse). A test picks its own SECONDS so it never counts another test's sleepers.
   */
  public static List<ProcessHandle> sleepers(String seconds, long sinceMillis) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().command().map(c -> c.endsWith("/sleep")).orElse(false))
        .filter(p -> p.info().arguments().map(a -> a.length == 1 && a[0].equals(seconds)).orElse(false))
        .filter(p -> p.info().startInstant().map(t -> t.toEpochMilli() >= sinceMillis - 1_000).orElse(false))
        .toList();
  }

  /** The processes of {@code pids} still running. */
  public static List<Long> alive(List<Long> pids) {
    return pids.stream().filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).toList();
  }

  /** Polls {@code condition} until it holds or {@code timeoutMillis} pass; says whether it held. */
  public static boolean waitFor(BooleanSupplier condition, long timeoutMillis) {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() >= deadline) return false;
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
