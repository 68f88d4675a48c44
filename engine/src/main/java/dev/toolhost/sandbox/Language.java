package dev.toolhost.sandbox;

import java.util.Locale;
import java.util.Optional;

/** The languages {@link Sandbox#execute} runs, with the interpreter each needs and the file extension of a snippet. */
public enum Language {
  PYTHON("python3", ".py"),
  JAVASCRIPT("node", ".mjs"),
  TYPESCRIPT("bun", ".ts"),
  BASH("bash", ".sh"),
  SH("sh", ".sh"),
  RUBY("ruby", ".rb");

  private final String interpreter;
  private final String extension;

  Language(String interpreter, String extension) {
    this.interpreter = interpreter;
    this.extension = extension;
  }

  /** The executable that runs it, as named on PATH. */
  public String interpreter() {
    return interpreter;
  }

  public String extension() {
    return extension;
  }

  /** By name as a caller writes it: {@code python}, {@code js}, {@code ts}, {@code bash}, ... */
  public static Optional<Language> parse(String name) {
    if (name == null) return Optional.empty();
    return Optional.ofNullable(switch (name.toLowerCase(Locale.ROOT)) {
      case "python", "python3", "py" -> PYTHON;
      case "javascript", "js", "node" -> JAVASCRIPT;
      case "typescript", "ts" -> TYPESCRIPT;
      case "bash" -> BASH;
      case "sh", "shell" -> SH;
      case "ruby", "rb" -> RUBY;
      default -> null;
    });
  }
}
