package dev.toolhost.sandbox;

import java.time.Duration;
import java.util.Map;

/**
 * How to run a command: {@code cwd} relative to the sandbox root (null: the root), env added to
 * the sandbox's, {@code timeout} (null: the sandbox's default), and whether stdin stays open for
 * {@link SandboxProcess#write} ({@code interactive}); otherwise the command reads an empty stdin.
 */
public record ExecOptions(String cwd, Map<String, String> env, Duration timeout, boolean interactive) {
  public static final ExecOptions DEFAULT = new ExecOptions(null, Map.of(), null, false);

  public ExecOptions {
    env = env == null ? Map.of() : Map.copyOf(env);
  }

  public ExecOptions withTimeout(Duration timeout) {
    return new ExecOptions(cwd, env, timeout, interactive);
  }

  public ExecOptions withCwd(String cwd) {
    return new ExecOptions(cwd, env, timeout, interactive);
  }

  public ExecOptions withEnv(Map<String, String> env) {
    return new ExecOptions(cwd, env, timeout, interactive);
  }

  public ExecOptions withInteractive(boolean interactive) {
    return new ExecOptions(cwd, env, timeout, interactive);
  }
}
