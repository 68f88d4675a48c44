package dev.toolhost.runtime.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolhost.api.Json;
import dev.toolhost.runtime.Toolchain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The esbuild binary tools are bundled with, and its version. Every method blocks (it runs a
 * process); callers are on worker threads.
 */
public record Esbuild(Path binary, String version) {
  /**
   * The options of every build, part of every cache key (changing them rebuilds). One ES module
   * per tool; node builtins stay imports (platform=node); names kept, because a plain exported
   * function's name is its tool name and bundling would otherwise rename clashing functions. An
   * ES module has no {@code require}, so the banner gives CommonJS code one for Node built-ins
   * where the runtime has {@code process.getBuiltinModule} (Node 20.16+, Bun); esbuild renames a
   * tool's own top-level {@code require}, so the two never clash.
   */
  static final List<String> OPTIONS = List.of("--bundle", "--format=esm", "--platform=node", "--keep-names",
      "--charset=utf8", "--log-level=error", "--color=false",
      "--banner:js=var require = globalThis.process?.getBuiltinModule"
          + " ? (id) => globalThis.process.getBuiltinModule(id) : undefined;");
  private static final long BUILD_TIMEOUT_SECONDS = 120;

  /** What one build gave: the files it read, or the messages of why it failed. */
  public sealed interface Outcome {
    record Built(List<Path> inputs) implements Outcome {}

    record Failed(String message) implements Outcome {}
  }

  /**
   * Finds esbuild ({@link Toolchain#find}) and learns its version, remembered in the cache per
   * binary (path, size, mtime) so that a later start runs no esbuild at all when every bundle is
   * cached.
   */
  public static Optional<Esbuild> locate(String configured, BundleCache cache) throws IOException {
    Optional<Path> found = Toolchain.find("esbuild", configured);
    if (found.isEmpty()) return Optional.empty();
    Path binary = found.get();
    Path real = binary.toRealPath();
    String identity = real + "\n" + Files.size(real) + "\n" + Files.getLastModifiedTime(real).toMillis();
    Optional<String> remembered = cache.esbuildVersion(identity);
    if (remembered.isPresent()) return Optional.of(new Esbuild(binary, remembered.get()));
    String version = run(List.of(binary.toString(), "--version")).trim();
    if (!version.matches("[0-9][0-9A-Za-z.+-]*")) {
      throw new IOException("'" + binary + " --version' answered '" + version + "', not a version");
    }
    cache.rememberEsbuildVersion(identity, version);
    return Optional.of(new Esbuild(binary, version));
  }

  /** Where {@link #locate} looks, for what doctor and catalog errors say when it finds nothing. */
  public static String searched(String configured) {
    return Toolchain.searched("esbuild", configured);
  }

  /**
   * Bundles {@code entry} (relative to {@code workDir}, the tools root, where it resolves npm
   * packages from) into {@code outFile}, with {@code @toolhost/sdk} taken from {@code sdkEntry}.
   */
  Outcome build(Path workDir, String entry, Path sdkEntry, Path outFile, Path metaFile) throws IOException {
    List<String> command = new ArrayList<>(List.of(binary.toString(), entry));
    command.addAll(OPTIONS);
    command.add("--alias:@toolhost/sdk=" + sdkEntry);
    command.add("--outfile=" + outFile);
    command.add("--metafile=" + metaFile);
    Process process = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    process.getOutputStream().close();
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = await(process);
    if (exit != 0) return new Outcome.Failed(EsbuildMessages.summary(stderr, exit));
    List<Path> inputs = new ArrayList<>();
    JsonNode meta = Json.MAPPER.readTree(metaFile.toFile());
    for (Iterator<String> it = meta.path("inputs").fieldNames(); it.hasNext(); ) {
      String input = it.next();
      // "<define:...>" and other virtual modules have no file to hash
      if (!input.contains("<") && !input.contains(":")) inputs.add(workDir.resolve(input).normalize());
    }
    return new Outcome.Built(inputs);
  }

  private static String run(List<String> command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = await(process);
    if (exit != 0) throw new IOException("'" + String.join(" ", command) + "' failed (exit " + exit + "): " + out.trim());
    return out;
  }

  private static int await(Process process) throws IOException {
    try {
      if (!process.waitFor(BUILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("esbuild did not finish within " + BUILD_TIMEOUT_SECONDS + " s");
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while esbuild ran", e);
    }
  }
}
