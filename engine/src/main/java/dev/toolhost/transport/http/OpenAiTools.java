package dev.toolhost.transport.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolhost.api.Json;
import dev.toolhost.api.ToolDescriptor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The catalog as OpenAI function-calling tool definitions:
 * {@code [{"type": "function", "function": {"name", "description", "parameters"}}]}, where
 * {@code parameters} is the tool's inputSchema, or {@code {"type": "object"}} for a tool without one.
 *
 * <p>OpenAI function names must match {@code ^[a-zA-Z0-9_-]{1,64}$}, while a tool id may also hold
 * {@code .} and {@code /} and be longer. A tool id that already matches is its own function name.
 * Any other id maps to its characters with each one outside {@code [A-Za-z0-9_-]} replaced by
 * {@code _}, cut to 55 characters, then {@code _} and the first 8 hex digits of the SHA-256 of the
 * id (UTF-8): {@code files/read.v2} becomes {@code files_read_v2_} and 8 hex digits. The
 * mapping depends on the id alone, and the hash keeps ids that sanitize alike apart.
 * The HTTP API accepts a mapped name wherever it takes a tool id, so a function call can be
 * invoked under the name the model used.
 */
final class OpenAiTools {
  private static final Pattern VALID = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");
  private static final Pattern INVALID_CHAR = Pattern.compile("[^A-Za-z0-9_-]");
  private static final int HASH_HEX = 8;
  private static final int MAX = 64;

  private final Set<String> toolIds = new HashSet<>();
  private final ArrayNode definitions;
  /** Function name to tool id, for the tools whose id is not a valid function name. */
  private final Map<String, String> toolByFunction = new HashMap<>();

  OpenAiTools(List<ToolDescriptor> tools) {
    definitions = Json.MAPPER.createArrayNode();
    for (ToolDescriptor tool : tools) {
      toolIds.add(tool.name());
      String name = functionName(tool.name());
      if (!name.equals(tool.name())) toolByFunction.put(name, tool.name());
      ObjectNode function = definitions.addObject().put("type", "function").putObject("function");
      function.put("name", name);
      if (tool.description() != null && !tool.description().isEmpty()) function.put("description", tool.description());
      if (tool.inputSchema() != null && tool.inputSchema().isObject()) {
        function.set("parameters", tool.inputSchema());
      } else {
        function.putObject("parameters").put("type", "object");
      }
    }
  }

  ArrayNode definitions() {
    return definitions;
  }

  /** The tool a path names: a tool id as it is, or the tool whose function name it is. */
  String resolve(String id) {
    if (toolIds.contains(id)) return id;
    return toolByFunction.getOrDefault(id, id);
  }

  static String functionName(String toolId) {
    if (VALID.matcher(toolId).matches()) return toolId;
    String sanitized = INVALID_CHAR.matcher(toolId).replaceAll("_");
    String suffix = "_" + sha256Hex(toolId).substring(0, HASH_HEX);
    return sanitized.substring(0, Math.min(sanitized.length(), MAX - suffix.length())) + suffix;
  }

  private static String sha256Hex(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
