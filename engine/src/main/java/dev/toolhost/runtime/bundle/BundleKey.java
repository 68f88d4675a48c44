package dev.toolhost.runtime.bundle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cache key of a bundle: a SHA-256 of the esbuild version, the build options and every input
 * file's content. Inputs are named by labels that do not change between engine instances: a path
 * relative to the tools root, {@code sdk:FILE} for the SDK (extracted to a new directory by each
 * instance), else the absolute path. Content hashes are remembered for one bundling run, so the
 * SDK and shared helpers are read once, not once per tool.
 */
final class BundleKey {
  private static final String SDK = "sdk:";

  private final Path root;
  private final Path sdk;
  private final String prefix;
  /** Content hashes by path, size and mtime: a file edited during the run is hashed again. */
  private final Map<String, String> contentHashes = new ConcurrentHashMap<>();

  BundleKey(Path root, Path sdk, Esbuild esbuild) {
    this.root = root;
    this.sdk = sdk;
    this.prefix = "esbuild " + esbuild.version() + "\n" + String.join(" ", Esbuild.OPTIONS) + "\n";
  }

  String label(Path input) {
    if (input.startsWith(sdk)) return SDK + sdk.relativize(input).toString().replace('\\', '/');
    if (input.startsWith(root)) return root.relativize(input).toString().replace('\\', '/');
    return input.toString();
  }

  Path file(String label) {
    if (label.startsWith(SDK)) return sdk.resolve(label.substring(SDK.length()));
    return root.resolve(label);  // an absolute label resolves to itself
  }

  /** The key of a build from these inputs as they are now; empty when one of them is gone. */
  Optional<String> of(List<String> labels) {
    MessageDigest digest = BundleCache.sha256();
    digest.update(prefix.getBytes(StandardCharsets.UTF_8));
    for (String label : labels.stream().sorted().toList()) {
      String content;
      try {
        content = contentHash(file(label));
      } catch (IOException e) {
        return Optional.empty();
      }
      digest.update((label + "\n" + content + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return Optional.of(HexFormat.of().formatHex(digest.digest()));
  }

  private String contentHash(Path file) throws IOException {
    String identity = file + "\n" + Files.size(file) + "\n" + Files.getLastModifiedTime(file).toMillis();
    String known = contentHashes.get(identity);
    if (known != null) return known;
    String hash = HexFormat.of().formatHex(BundleCache.sha256().digest(Files.readAllBytes(file)));
    contentHashes.put(identity, hash);
    return hash;
  }
}
