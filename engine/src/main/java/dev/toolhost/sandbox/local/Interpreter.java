package dev.toolhost.sandbox.local;

import dev.toolhost.sandbox.Language;
import java.nio.file.Path;

/**
 * Where a language's interpreter is: the executable to run, and its installation directory, which
 * a bubblewrap sandbox binds read-only when it lies outside the system directories (pyenv, the
 * npm-installed Bun).
 */
record Interpreter(Language language, Path executable, Path installation) {
  Path binDirectory() {
    return executable.getParent();
  }
}
