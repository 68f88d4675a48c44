package dev.toolhost.sandbox;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What sandbox to create: its strategy {@code type} ({@code local}, {@code docker}), the image
 * (strategies with images only), ports to expose, env every process gets, limits, and how long
 * it may stay unused before the manager tears it down.
 */
public record SandboxSpec(
    String type, String image, List<Integer> ports, Map<String, String> env, SandboxLimits limits,
    Duration idleTimeout) {
  public SandboxSpec {
    ports = ports == null ? List.of() : List.copyOf(ports);
    env = env == null ? Map.of() : Map.copyOf(env);
  }
}
