package dev.toolhost.runtime.process;

import java.util.Map;

/**
 * How a worker ended: an exit code or a signal (either may be unknown), the cause when the
 * launcher knows better than the code (the kernel's OOM killer, a lost daemon), and the tail of
 * what it wrote to stdout/stderr.
 */
public record WorkerExit(Integer exitCode, String signal, String cause, String outputTail) {
  private static final Map<Integer, String> SIGNALS =
      Map.of(1, "SIGHUP", 2, "SIGINT", 6, "SIGABRT", 9, "SIGKILL", 11, "SIGSEGV", 15, "SIGTERM");

  /** An exit status as shells report it: above 128 means killed by signal (status - 128). */
  public static WorkerExit ofStatus(int status, String cause, String outputTail) {
    if (status > 128) {
      return new WorkerExit(null, SIGNALS.getOrDefault(status - 128, "signal " + (status - 128)), cause, outputTail);
    }
    return new WorkerExit(status, null, cause, outputTail);
  }

  /** " on SIGKILL", " with code 3", or "" when neither is known. */
  String how() {
    if (signal != null) return " on " + signal;
    return exitCode != null ? " with code " + exitCode : "";
  }
}
