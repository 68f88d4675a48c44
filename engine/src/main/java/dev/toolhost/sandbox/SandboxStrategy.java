package dev.toolhost.sandbox;

import dev.toolhost.runtime.Availability;
import io.vertx.core.Future;

/** Makes sandboxes of one type; the {@link SandboxManager} picks it by {@link SandboxSpec#type()}. */
public interface SandboxStrategy {
  String type();

  /** Whether it works here, and how it isolates. */
  Availability availability();

  /** A new sandbox, not booted yet. */
  Sandbox create(String id, SandboxSpec spec);

  /** Releases what the strategy holds (its threads); the manager tore its sandboxes down before. */
  Future<Void> close();
}
