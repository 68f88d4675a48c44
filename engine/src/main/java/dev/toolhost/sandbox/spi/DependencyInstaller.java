package dev.toolhost.sandbox.spi;

import dev.toolhost.sandbox.ExecResult;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/** A package manager's command line, with what it needs in its env, as {@code installDependencies} runs it. */
public record DependencyInstaller(List<String> command, Map<String, String> env) {
  /** The files of the root that decide the installers. */
  public static final List<String> MARKERS = List.of("package.json", "bun.lock", "bun.lockb", "requirements.txt");

  /**
   * The installers of a project, from which of {@link #MARKERS} are files at its root: npm (Bun
   * where the project has Bun's lock file and {@code bun} is given), then pip.
   */
  public static List<DependencyInstaller> detect(Predicate<String> isFile, String bun) {
    List<DependencyInstaller> installers = new ArrayList<>();
    if (isFile.test("package.json")) {
      boolean bunProject = isFile.test("bun.lock") || isFile.test("bun.lockb");
      installers.add(new DependencyInstaller(bunProject && bun != null
          ? List.of(bun, "install") : List.of("npm", "install", "--no-audit", "--no-fund"), Map.of()));
    }
    if (isFile.test("requirements.txt")) {
      // into the sandbox's home (--user); a Debian Python refuses that too unless told (PEP 668),
      // though nothing outside the sandbox changes
      installers.add(new DependencyInstaller(List.of("python3", "-m", "pip", "install", "--user", "-r", "requirements.txt"),
          Map.of("PIP_BREAK_SYSTEM_PACKAGES", "1")));
    }
    return installers;
  }

  /** Runs {@code installers} one after another with {@code run}; the results in order, or the first failure. */
  public static Future<List<ExecResult>> runInOrder(List<DependencyInstaller> installers,
      Function<DependencyInstaller, Future<ExecResult>> run) {
    List<ExecResult> results = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (DependencyInstaller installer : installers) {
      chain = chain.compose(v -> run.apply(installer).map(r -> {
        results.add(r);
        return null;
      }));
    }
    return chain.map(v -> results);
  }
}
