package dev.toolhost.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.runtime.Toolchain;
import dev.toolhost.testing.TestEngines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundler on its own: what is built, what comes from the cache, what is an error. */
class BundlerTest {
  @TempDir Path dir;
  private Path root;
  private Path cache;
  private Path out;
  private Path builds;      // one line per esbuild build the counting wrapper saw
  private Path esbuild;     // the counting wrapper around the real esbuild

  @BeforeEach
  void setUp() throws IOException {
    Path real = Toolchain.find("esbuild", null).orElse(null);
    Assumptions.assumeTrue(real != null, "skipped: esbuild not found (toolchain/install.sh installs it)");
    root = Files.createDirectories(dir.resolve("tools"));
    cache = dir.resolve("cache");
    out = Files.createDirectories(dir.resolve("out"));
    builds = dir.resolve("builds.log");
    esbuild = dir.resolve("esbuild");
    Files.writeString(esbuild, "#!/bin/sh\n[ \"$1\" = --version ] || echo \"$1\" >> '" + builds + "'\nexec '" + real + "' \"$@\"\n");
    Files.setPosixFilePermissions(esbuild, PosixFilePermissions.fromString("rwx------"));
  }

  private BundleManifest bundle(String esbuildPath) throws IOException {
    return Bundler.prepare(esbuildPath, cache, dir.resolve("fallback"))
        .bundle(root, null, TestEngines.repo().resolve("tools-sdk"), out);
  }

  private List<String> builds() throws IOException {
    return Files.exists(builds) ? Files.readAllLines(builds) : List.of();
  }

  private static Map<String, BundleManifest.Entry> byModule(BundleManifest manifest) {
    return manifest.entries().stream().collect(Collectors.toMap(BundleManifest.Entry::module, e -> e));
  }

  @Test
  void aCacheHitRunsNoEsbuildAndAChangedImportRebuildsOnlyItsImporters() throws IOException {
    Files.writeString(root.resolve("helper.mjs"), "export const twice = (n) => n * 2;\n");
    Files.writeString(root.resolve("a.js"), "import { twice } from './helper.mjs';\nexport const a = (i) => twice(i.n);\n");
    Files.writeString(root.resolve("b.ts"), "export function b(i: { n: number }): number { return i.n; }\n");

    BundleManifest first = bundle(esbuild.toString());
    assertEquals(List.of("./a.js", "./b.ts", "./helper.mjs"), builds().stream().sorted().toList());
    assertTrue(first.entries().stream().allMatch(e -> e instanceof BundleManifest.Bundled), first.toString());

    Files.delete(builds);
    BundleManifest second = bundle(esbuild.toString());
    assertEquals(List.of(), builds(), "a cache hit must not run esbuild");
    assertEquals(first, second);

    Files.writeString(root.resolve("helper.mjs"), "export const twice = (n) => n + n;\n");
    bundle(esbuild.toString());
    assertEquals(List.of("./a.js", "./helper.mjs"), builds().stream().sorted().toList());
    Path bundleOfA = ((BundleManifest.Bundled) byModule(second).get("a.js")).bundle();
    assertTrue(Files.readString(bundleOfA).contains("n + n"), "the bundle in use is the rebuilt one");
  }

  @Test
  void bundlesUnusedForAMonthArePrunedAndThoseInUseAreKept() throws IOException {
    Files.writeString(root.resolve("a.js"), "export const a = () => 1;\n");
    bundle(esbuild.toString());
    Path bundles = cache.resolve("bundles");
    FileTime longAgo = FileTime.from(Instant.now().minus(Duration.ofDays(40)));
    List<Path> inUse;
    try (Stream<Path> files = Files.list(bundles)) {
      inUse = files.toList();
    }
    for (Path f : inUse) Files.setLastModifiedTime(f, longAgo);
    Path stale = Files.writeString(bundles.resolve("stale.mjs"), "export {};\n");
    Files.setLastModifiedTime(stale, longAgo);

    bundle(esbuild.toString());
    assertFalse(Files.exists(stale));
    for (Path f : inUse) assertTrue(Files.exists(f), f + " is in use and must stay");
  }

  @Test
  void bundleErrorsNameFileAndLineAndTheOtherModulesStillBundle() throws IOException {
    Files.writeString(root.resolve("fine.ts"), "export const fine = (): boolean => true;\n");
    Files.writeString(root.resolve("syntax.ts"), "export const broken = (i: number => i;\n");
    Files.writeString(root.resolve("missing.js"), "import pad from 'toolhost-no-such-package';\nexport const m = () => pad;\n");

    Map<String, BundleManifest.Entry> entries = byModule(bundle(esbuild.toString()));
    assertInstanceOf(BundleManifest.Bundled.class, entries.get("fine.ts"));
    String syntax = assertInstanceOf(BundleManifest.Failed.class, entries.get("syntax.ts")).message();
    assertTrue(syntax.contains("syntax.ts:1:33: Expected \")\" but found \"=>\""), syntax);
    String missing = assertInstanceOf(BundleManifest.Failed.class, entries.get("missing.js")).message();
    assertTrue(missing.contains("missing.js:1:16: Could not resolve \"toolhost-no-such-package\""), missing);
  }

  @Test
  void withoutEsbuildJavaScriptRunsUnbundledAndTypeScriptSaysWhatToInstall() throws IOException {
    Files.writeString(root.resolve("plain.js"), "export const plain = () => 1;\n");
    Files.writeString(root.resolve("typed.ts"), "export const typed = (): number => 1;\n");
    Path nowhere = dir.resolve("no/esbuild");

    Bundler bundler = Bundler.prepare(nowhere.toString(), cache, dir.resolve("fallback"));
    assertFalse(bundler.availability().usable());
    assertTrue(bundler.availability().detail().contains(nowhere.toString()), bundler.availability().detail());
    Map<String, BundleManifest.Entry> entries = byModule(bundler.bundle(root, null, TestEngines.repo().resolve("tools-sdk"), out));
    assertEquals(new BundleManifest.Source("plain.js"), entries.get("plain.js"));
    String typed = assertInstanceOf(BundleManifest.Failed.class, entries.get("typed.ts")).message();
    assertTrue(typed.contains("esbuild was not found") && typed.contains("TOOLHOST_ESBUILD_PATH"), typed);
  }

  @Test
  void theManifestReadsBackAsWrittenWithBundlesRelativeToIt() throws IOException {
    BundleManifest manifest = new BundleManifest(List.of(new BundleManifest.Bundled("a.js", out.resolve("a.js.mjs")),
        new BundleManifest.Source("b.js"), new BundleManifest.Failed("c.ts", "c.ts:1:1: bad")));
    Path file = out.resolve("manifest.json");
    manifest.write(file);
    assertTrue(Files.readString(file).contains("\"bundle\":\"a.js.mjs\""), "bundles are named relative to the manifest");
    assertEquals(manifest, BundleManifest.read(file));
  }
}
