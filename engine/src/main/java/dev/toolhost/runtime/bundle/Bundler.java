package dev.toolhost.runtime.bundle;

import dev.toolhost.runtime.Availability;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

/**
 * Makes the {@link BundleManifest} of a tools root: each module bundled by esbuild into one ES
 * module, or taken from the {@link BundleCache} when nothing it was built from has changed (then
 * esbuild does not run at all). Without esbuild, JavaScript modules are loaded as they are and
 * TypeScript ones are catalog errors saying what to install. Every method blocks.
 */
public final class Bundler {
  private static final Pattern TYPESCRIPT = Pattern.compile(".*\\.[mc]?ts$");
  /** Bundles unused this long leave the cache (each load marks those it uses). */
  private static final Duration UNUSED = Duration.ofDays(30);
  private static final String HINT = "run toolchain/install.sh (needs npm), put esbuild on PATH, "
      + "or set TOOLHOST_ESBUILD_PATH (config bundle.esbuild)";

  private final BundleCache cache;
  private final Esbuild esbuild;  // null: not found
  private final String missing;   // why, when esbuild is null

  private Bundler(BundleCache cache, Esbuild esbuild, String missing) {
    this.cache = cache;
    this.esbuild = esbuild;
    this.missing = missing;
  }

  /**
   * Opens the cache ({@code cacheDir}, or {@code fallbackCacheDir} when it cannot be used) and
   * finds esbuild ({@code configuredEsbuild}, may be null: PATH, then the project's toolchain).
   */
  public static Bundler prepare(String configuredEsbuild, Path cacheDir, Path fallbackCacheDir) throws IOException {
    BundleCache cache;
    try {
      cache = BundleCache.open(cacheDir);
    } catch (IOException e) {
      cache = BundleCache.open(fallbackCacheDir);  // bundling still works, cached for this load only
    }
    try {
      Optional<Esbuild> found = Esbuild.locate(configuredEsbuild, cache);
      if (found.isPresent()) return new Bundler(cache, found.get(), null);
      return new Bundler(cache, null, "esbuild was not found (looked in " + Esbuild.searched(configuredEsbuild) + ")");
    } catch (IOException e) {
      return new Bundler(cache, null, "esbuild does not work: " + e.getMessage());
    }
  }

  /** For doctor: the esbuild bundling runs with and the cache, or what is missing. */
  public Availability availability() {
    if (esbuild == null) {
      return Availability.unusable("bundling", missing + "; TypeScript tools and npm imports are unavailable, "
          + "plain JavaScript tools run unbundled", HINT);
    }
    return Availability.usable("bundling", "esbuild " + esbuild.version(),
        esbuild.binary() + "; cache " + cache.dir());
  }

  /**
   * Bundles the modules of {@code root} (only {@code entry} when not null) into {@code outDir},
   * resolving {@code @toolhost/sdk} to the SDK in {@code sdk}.
   */
  public BundleManifest bundle(Path toolsRoot, String entry, Path sdk, Path outDir) throws IOException {
    Path root = toolsRoot.toAbsolutePath().normalize();  // esbuild's input paths resolve against it
    List<String> modules = ToolsRootScan.modules(root, entry);
    if (esbuild == null) return new BundleManifest(modules.stream().map(this::unbundled).toList());
    BundleKey keys = new BundleKey(root, sdk, esbuild);
    ExecutorService builds = Executors.newFixedThreadPool(Math.max(1, Math.min(modules.size(),
        Runtime.getRuntime().availableProcessors())));
    try {
      List<Future<BundleManifest.Entry>> pending = new ArrayList<>();
      for (String module : modules) {
        pending.add(builds.submit(() -> bundleOne(module, root, sdk.resolve("index.js"), outDir, keys)));
      }
      List<BundleManifest.Entry> entries = new ArrayList<>();
      for (Future<BundleManifest.Entry> f : pending) entries.add(f.get());
      cache.prune(UNUSED);
      return new BundleManifest(entries);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while bundling", e);
    } catch (ExecutionException e) {
      throw new IOException("bundling failed: " + e.getCause(), e.getCause());
    } finally {
      builds.shutdownNow();
    }
  }

  private BundleManifest.Entry unbundled(String module) {
    if (!TYPESCRIPT.matcher(module).matches()) return new BundleManifest.Source(module);
    return new BundleManifest.Failed(module, "TypeScript tools need bundling, and " + missing + ": " + HINT);
  }

  private BundleManifest.Entry bundleOne(String module, Path root, Path sdkEntry, Path outDir, BundleKey keys) {
    Path source = root.resolve(module);
    Path target = outDir.resolve(module + ".mjs");
    try {
      Files.createDirectories(target.getParent());
      Optional<Path> cached = cache.inputsOf(source).flatMap(keys::of).flatMap(cache::bundle);
      if (cached.isPresent()) {
        Files.copy(cached.get(), target, StandardCopyOption.REPLACE_EXISTING);
        return new BundleManifest.Bundled(module, target);
      }
      Path built = cache.temporary(".mjs");
      Path meta = cache.temporary(".json");
      try {
        long started = System.currentTimeMillis();
        Esbuild.Outcome outcome = esbuild.build(root, "./" + module, sdkEntry, built, meta);
        if (outcome instanceof Esbuild.Outcome.Failed failed) return new BundleManifest.Failed(module, failed.message());
        List<Path> inputs = ((Esbuild.Outcome.Built) outcome).inputs();
        Files.copy(built, target, StandardCopyOption.REPLACE_EXISTING);
        // an input edited while esbuild ran may not be in the bundle: use it now, cache it never
        if (unchangedSince(inputs, started)) {
          List<String> labels = inputs.stream().map(keys::label).toList();
          Optional<String> key = keys.of(labels);
          if (key.isPresent()) {
            cache.store(key.get(), built);
            cache.rememberInputs(source, labels);
          }
        }
        return new BundleManifest.Bundled(module, target);
      } finally {
        Files.deleteIfExists(built);
        Files.deleteIfExists(meta);
      }
    } catch (IOException | UncheckedIOException e) {
      return new BundleManifest.Failed(module, "bundling failed: " + e.getMessage());
    }
  }

  private static boolean unchangedSince(List<Path> inputs, long millis) throws IOException {
    for (Path input : inputs) {
      if (Files.getLastModifiedTime(input).toMillis() >= millis) return false;
    }
    return true;
  }
}
