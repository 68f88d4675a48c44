package dev.toolhost.runtime.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolhost.api.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What every runtime loads for a tools root, module by module in path order: a bundle, the
 * source itself (no esbuild here: plain JavaScript runs unbundled), or an error to list in the
 * catalog. Catalog entries and errors name the module, never the bundle file.
 *
 * <p>On disk (read by the Node worker's {@code --manifest}, PROTOCOL.md): a JSON array of
 * {@code {"module": "greet.js", "bundle": "greet.js.mjs"}} (relative to the manifest's
 * directory, so the directory can be mounted anywhere, as in a container), {@code {"module":
 * "a.js"}} (load the source from the tools root) or {@code {"module": "b.ts", "error": "..."}}.
 */
public record BundleManifest(List<Entry> entries) {
  public sealed interface Entry {
    /** The module's path relative to the tools root, {@code /}-separated. */
    String module();
  }

  public record Bundled(String module, Path bundle) implements Entry {}

  public record Source(String module) implements Entry {}

  public record Failed(String module, String message) implements Entry {}

  public BundleManifest {
    entries = List.copyOf(entries);
  }

  public void write(Path file) throws IOException {
    ArrayNode array = Json.MAPPER.createArrayNode();
    for (Entry e : entries) {
      ObjectNode o = array.addObject().put("module", e.module());
      if (e instanceof Bundled b) o.put("bundle", file.toAbsolutePath().getParent().relativize(b.bundle()).toString());
      if (e instanceof Failed f) o.put("error", f.message());
    }
    Files.write(file, Json.MAPPER.writeValueAsBytes(array));
  }

  public static BundleManifest read(Path file) throws IOException {
    List<Entry> entries = new ArrayList<>();
    for (JsonNode o : Json.MAPPER.readTree(file.toFile())) {
      String module = o.path("module").asText();
      if (o.has("bundle")) entries.add(new Bundled(module, file.toAbsolutePath().getParent().resolve(o.get("bundle").asText())));
      else if (o.has("error")) entries.add(new Failed(module, o.get("error").asText()));
      else entries.add(new Source(module));
    }
    return new BundleManifest(entries);
  }
}
