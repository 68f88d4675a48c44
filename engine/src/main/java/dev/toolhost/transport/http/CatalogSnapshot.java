package dev.toolhost.transport.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.toolhost.api.Json;
import dev.toolhost.api.ToolDescriptor;
import dev.toolhost.catalog.Catalog;
import dev.toolhost.engine.ToolEngine;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * What the HTTP routes serve of one catalog: its OpenAI-safe names and its lists, serialized
 * once. A reload gives the engine a new catalog, and with it a new snapshot.
 */
record CatalogSnapshot(Catalog catalog, OpenAiTools names, Buffer list, Buffer openAi) {
  static CatalogSnapshot of(Catalog catalog) {
    OpenAiTools names = new OpenAiTools(catalog.tools());
    ArrayNode tools = Json.MAPPER.createArrayNode();
    for (ToolDescriptor tool : catalog.tools()) tools.add(tool.toJson());
    return new CatalogSnapshot(catalog, names, Buffer.buffer(Json.bytes(tools)), Buffer.buffer(Json.bytes(names.definitions())));
  }

  /** The snapshot of the engine's current catalog, made again only when the catalog changed. */
  static Supplier<CatalogSnapshot> following(ToolEngine engine) {
    AtomicReference<CatalogSnapshot> last = new AtomicReference<>(of(engine.catalog()));
    return () -> {
      Catalog catalog = engine.catalog();
      CatalogSnapshot snapshot = last.get();
      if (snapshot.catalog() == catalog) return snapshot;
      // two threads seeing a new catalog at once may both make its snapshot: harmless
      snapshot = of(catalog);
      last.set(snapshot);
      return snapshot;
    };
  }
}
