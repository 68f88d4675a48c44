package dev.toolhost.sandbox.local;

import dev.toolhost.config.SandboxSettings;
import dev.toolhost.sandbox.Language;
import dev.toolhost.sandbox.SandboxStrategy;
import io.vertx.core.Vertx;

/** Local strategies for tests of other packages. */
public final class LocalStrategies {
  private LocalStrategies() {}

  /** The local strategy as on a host where {@code language}'s interpreter is not installed. */
  public static SandboxStrategy without(Vertx vertx, SandboxSettings settings, Language language) {
    return new LocalSandboxStrategy(vertx, settings, Interpreters.discover().without(language));
  }
}
