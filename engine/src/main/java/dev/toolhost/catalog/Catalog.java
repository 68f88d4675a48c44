package dev.toolhost.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.toolhost.api.InvalidInput;
import dev.toolhost.api.ToolDescriptor;
import dev.toolhost.runtime.ToolSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tools of one tools root, as a worker described them, with their compiled JSON Schemas.
 * A tool whose schema does not compile is left out and reported among the load errors.
 */
public final class Catalog {
  private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private static final SchemaValidatorsConfig SCHEMA_CONFIG =
      SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build();
  /** The dialects whose meta-schemas ship inside the validator (read from its jar, never fetched). */
  private static final List<String> DIALECTS =
      List.of(SchemaId.V4, SchemaId.V6, SchemaId.V7, SchemaId.V201909, SchemaId.V202012);
  private static final Map<String, JsonSchema> META_SCHEMAS = new ConcurrentHashMap<>();

  private record Entry(ToolDescriptor descriptor, JsonSchema input, JsonSchema output) {}

  private final Map<String, Entry> tools = new LinkedHashMap<>();
  private final List<ToolSet.LoadError> errors = new ArrayList<>();

  public Catalog(ToolSet set) {
    errors.addAll(set.errors());
    for (ToolDescriptor tool : set.tools()) {
      try {
        tools.put(tool.name(), new Entry(tool, compile(tool.inputSchema()), compile(tool.outputSchema())));
      } catch (RuntimeException e) {
        errors.add(new ToolSet.LoadError(tool.module(),
            "tool '" + tool.name() + "' has a schema that does not compile: " + e.getMessage()));
      }
    }
  }

  private static JsonSchema compile(JsonNode schema) {
    if (schema == null) return null;
    checkAgainstMetaSchema(schema);
    JsonSchema compiled = SCHEMAS.getSchema(schema, SCHEMA_CONFIG);
    compiled.initializeValidators();  // fail here, at load time, not on the first call
    return compiled;
  }

  /**
   * The validator takes nonsense such as {@code {"type": 12}} and then rejects every input; a
   * schema must be valid against its dialect's meta-schema (2020-12 unless {@code $schema} names
   * another known one) to be admitted.
   */
  private static void checkAgainstMetaSchema(JsonNode schema) {
    String declared = schema.path("$schema").asText("");
    String dialect = declared.isEmpty() ? SchemaId.V202012 : DIALECTS.stream()
        .filter(id -> stripHash(id).equals(stripHash(declared))).findFirst().orElse(null);
    if (dialect == null) return;  // another dialect: compiling it reports what is wrong
    JsonSchema meta = META_SCHEMAS.computeIfAbsent(dialect, id -> SCHEMAS.getSchema(SchemaLocation.of(id), SCHEMA_CONFIG));
    Set<String> problems = new LinkedHashSet<>();
    for (ValidationMessage m : meta.validate(schema)) problems.add(m.getMessage());
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("not a valid JSON Schema: " + String.join("; ", problems));
    }
  }

  private static String stripHash(String id) {
    return id.endsWith("#") ? id.substring(0, id.length() - 1) : id;
  }

  public List<ToolDescriptor> tools() {
    return tools.values().stream().map(Entry::descriptor).toList();
  }

  public List<ToolSet.LoadError> errors() {
    return List.copyOf(errors);
  }

  public Optional<ToolDescriptor> find(String name) {
    Entry entry = tools.get(name);
    return entry == null ? Optional.empty() : Optional.of(entry.descriptor());
  }

  /** Violations of the tool's input schema, empty when valid or when the tool has none. */
  public List<InvalidInput.Violation> validateInput(String tool, JsonNode input) {
    return violations(tools.get(tool).input(), input);
  }

  /** Violations of the tool's output schema, empty when valid or when the tool has none. */
  public List<InvalidInput.Violation> validateOutput(String tool, JsonNode output) {
    return violations(tools.get(tool).output(), output);
  }

  private static List<InvalidInput.Violation> violations(JsonSchema schema, JsonNode value) {
    if (schema == null) return List.of();
    Set<ValidationMessage> messages = schema.validate(value);
    List<InvalidInput.Violation> out = new ArrayList<>(messages.size());
    for (ValidationMessage m : messages) {
      String pointer = m.getInstanceLocation().toString();
      // a missing required property is reported on its parent; point at the property itself
      if ("required".equals(m.getType()) && m.getProperty() != null) {
        pointer = pointer + "/" + m.getProperty().replace("~", "~0").replace("/", "~1");  // RFC 6901
      }
      out.add(new InvalidInput.Violation(pointer, m.getError()));
    }
    out.sort(Comparator.comparing(InvalidInput.Violation::pointer));
    return out;
  }

  /** Up to five known names closest to {@code name}, for TOOL_NOT_FOUND answers. */
  public List<String> nearest(String name) {
    String wanted = name.toLowerCase();
    int bound = Math.max(2, wanted.length() / 3);
    return tools.keySet().stream()
        .filter(known -> distance(wanted, known.toLowerCase()) <= bound
            || known.toLowerCase().contains(wanted) || wanted.contains(known.toLowerCase()))
        .sorted(Comparator.comparingInt((String known) -> distance(wanted, known.toLowerCase()))
            .thenComparing(Comparator.naturalOrder()))
        .limit(5)
        .toList();
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
