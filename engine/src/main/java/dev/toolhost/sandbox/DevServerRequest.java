package dev.toolhost.sandbox;

import java.time.Duration;
import java.util.List;

/**
 * A dev server to start: the command gets {@code PORT} and {@code HOST=127.0.0.1} in its env;
 * {@code port} 0 picks a free one. {@code readyTimeout} (null: the sandbox's default timeout)
 * bounds the wait for the port to open.
 */
public record DevServerRequest(String command, List<String> args, int port, Duration readyTimeout) {
  public DevServerRequest {
    args = args == null ? List.of() : List.copyOf(args);
  }
}
