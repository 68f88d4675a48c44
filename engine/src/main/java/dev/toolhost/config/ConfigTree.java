package dev.toolhost.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Typed reads of one object of the merged configuration; every failure names its full key. */
final class ConfigTree {
  private final String prefix;
  private final ObjectNode node;

  ConfigTree(String prefix, ObjectNode node) {
    this.prefix = prefix;
    this.node = node;
  }

  String key(String name) {
    return prefix.isEmpty() ? name : prefix + "." + name;
  }

  /** Fails on any key not in {@code known}: a misspelt key must not be silently ignored. */
  void rejectUnknown(Set<String> known) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) throw new ConfigException(key(name), "unknown key; known keys: " + known);
    }
  }

  boolean has(String name) {
    JsonNode value = node.get(name);
    return value != null && !value.isNull();
  }

  JsonNode raw(String name) {
    return node.get(name);
  }

  String text(String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) return null;
    if (value.isContainerNode()) throw new ConfigException(key(name), "expected a single value");
    return value.asText();
  }

  Duration duration(String name) {
    String text = text(name);
    return text == null ? null : Quantities.duration(key(name), text);
  }

  long bytes(String name) {
    String text = text(name);
    return text == null ? 0 : Quantities.bytes(key(name), text);
  }

  int integer(String name, int min) {
    return (int) integer(name, min, Integer.MAX_VALUE);
  }

  long longInteger(String name, long min) {
    return integer(name, min, Long.MAX_VALUE);
  }

  private long integer(String name, long min, long max) {
    String text = text(name);
    try {
      long value = Long.parseLong(text.trim());
      if (value >= min && value <= max) return value;
    } catch (NumberFormatException | NullPointerException ignored) {
      // reported below
    }
    throw new ConfigException(key(name), "expected an integer from " + min + " to " + max + ", got '" + text + "'");
  }

  boolean bool(String name) {
    String text = text(name);
    if (text == null || text.equals("false")) return false;
    if (text.equals("true")) return true;
    throw new ConfigException(key(name), "expected true or false, got '" + text + "'");
  }

  /** A list of strings; a comma-separated string (as env variables give) is accepted too. */
  List<String> strings(String name) {
    JsonNode value = node.get(name);
    List<String> out = new ArrayList<>();
    if (value == null || value.isNull()) return out;
    if (value.isTextual()) {
      for (String part : value.asText().split(",")) if (!part.isBlank()) out.add(part.trim());
      return out;
    }
    if (!value.isArray()) throw new ConfigException(key(name), "expected a list of strings");
    for (JsonNode item : value) {
      if (!item.isValueNode()) throw new ConfigException(key(name), "expected a list of strings");
      out.add(item.asText());
    }
    return out;
  }

  ConfigTree child(String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) return new ConfigTree(key(name), node.objectNode());
    if (!value.isObject()) throw new ConfigException(key(name), "expected an object");
    return new ConfigTree(key(name), (ObjectNode) value);
  }

  Iterator<String> names() {
    return node.fieldNames();
  }
}
