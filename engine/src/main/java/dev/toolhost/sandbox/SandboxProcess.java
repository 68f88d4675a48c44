package dev.toolhost.sandbox;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * A command running in a sandbox, in its own process group. Output is kept up to the sandbox's
 * output limit; a handler set late first gets what came before, then each chunk as it comes,
 * on the sandbox's Vert.x context; {@link #result()} asked after setting handlers completes after
 * they were handed every chunk. Going over the limit or the timeout kills the process with
 * all its children and fails {@link #result()} with OUTPUT_LIMIT_EXCEEDED or TIMEOUT.
 */
public interface SandboxProcess {
  long pid();

  SandboxProcess stdoutHandler(Handler<Buffer> handler);

  SandboxProcess stderrHandler(Handler<Buffer> handler);

  /** Writes to stdin (only with {@link ExecOptions#interactive()}). */
  Future<Void> write(Buffer data);

  /** Closes stdin. */
  Future<Void> endInput();

  /** The exit code once the process ended and its output was read; fails as {@link #result()} does. */
  default Future<Integer> exitCode() {
    return result().map(ExecResult::exitCode);
  }

  /** Its exit code and whole output (up to the limit) once it ended. */
  Future<ExecResult> result();

  /** Kills it with all its children; {@link #result()} then completes with the signal's exit code. */
  Future<Void> kill();
}
