package dev.toolhost.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolhost.api.Json;
import java.util.List;

/** One entry of {@link Sandbox#list}: its path relative to the sandbox root, with {@code /} separators. */
public record FileEntry(String path, boolean directory, long size) {
  /** {@code {entries: [{path, directory, size}]}}, as every transport answers a listing. */
  public static ObjectNode toJson(List<FileEntry> entries) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    ArrayNode list = body.putArray("entries");
    entries.forEach(e -> list.addObject().put("path", e.path()).put("directory", e.directory()).put("size", e.size()));
    return body;
  }
}
