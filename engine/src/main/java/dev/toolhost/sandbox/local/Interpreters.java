package dev.toolhost.sandbox.local;

import dev.toolhost.runtime.Toolchain;
import dev.toolhost.sandbox.Language;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds the interpreters of {@link Language} once, when the strategy starts. Python is asked for
 * its own executable and prefix, since {@code python3} on PATH may be a shim (pyenv) that needs
 * the user's home; Bun comes from {@link Toolchain} (PATH or the npm-installed one).
 */
final class Interpreters {
  private final Map<Language, Interpreter> found;

  private Interpreters(Map<Language, Interpreter> found) {
    this.found = found;
  }

  /** Blocking: it looks on PATH and runs {@code python3} once. */
  static Interpreters discover() {
    Map<Language, Interpreter> found = new EnumMap<>(Language.class);
    for (Language language : Language.values()) {
      Optional<Interpreter> interpreter = language == Language.PYTHON ? python() : onToolchain(language);
      interpreter.ifPresent(i -> found.put(language, i));
    }
    return new Interpreters(found);
  }

  /** These without {@code language}: for tests of a host where it is not installed. */
  Interpreters without(Language language) {
    Map<Language, Interpreter> rest = new EnumMap<>(Language.class);
    rest.putAll(found);
    rest.remove(language);
    return new Interpreters(rest);
  }

  Optional<Interpreter> find(Language language) {
    return Optional.ofNullable(found.get(language));
  }

  /** Every interpreter found, for binding and PATH. */
  List<Interpreter> all() {
    return List.copyOf(found.values());
  }

  private static Optional<Interpreter> onToolchain(Language language) {
    return Toolchain.find(language.interpreter(), null).flatMap(path -> {
      try {
        Path real = path.toRealPath();
        Path bin = real.getParent();
        return Optional.of(new Interpreter(language, real, bin.getParent() == null ? bin : bin.getParent()));
      } catch (IOException e) {
        return Optional.empty();
      }
    });
  }

  private static Optional<Interpreter> python() {
    Optional<Path> onPath = Toolchain.find("python3", null);
    if (onPath.isEmpty()) return Optional.empty();
    try {
      Process p = new ProcessBuilder(onPath.get().toString(), "-c", "import sys; print(sys.executable); print(sys.prefix)")
          .redirectErrorStream(true).start();
      List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0 || lines.size() < 2) return Optional.empty();
      Path executable = Path.of(lines.get(0));
      return Files.isExecutable(executable)
          ? Optional.of(new Interpreter(Language.PYTHON, executable, Path.of(lines.get(1)))) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
