package dev.toolhost.transport.eventbus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.DatabindCodec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jackson trees to Vert.x JSON and back by walking them. Every event bus call converts twice,
 * and Jackson's {@code convertValue}/{@code valueToTree} go through a token buffer at several
 * times the cost of this walk.
 */
final class VertxJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private VertxJson() {}

  static JsonObject toJsonObject(ObjectNode node) {
    Map<String, Object> map = new LinkedHashMap<>(Math.max(4, node.size() * 2));
    node.fields().forEachRemaining(e -> map.put(e.getKey(), toValue(e.getValue())));
    return new JsonObject(map);
  }

  static ObjectNode toTree(JsonObject object) {
    return objectNode(object.getMap());
  }

  private static Object toValue(JsonNode node) {
    return switch (node.getNodeType()) {
      case OBJECT -> toJsonObject((ObjectNode) node);
      case ARRAY -> {
        List<Object> list = new ArrayList<>(node.size());
        node.forEach(item -> list.add(toValue(item)));
        yield new JsonArray(list);
      }
      case STRING -> node.textValue();
      case NUMBER -> node.numberValue();
      case BOOLEAN -> node.booleanValue();
      case BINARY -> node.asText(); // base64, as Jackson writes it
      default -> null;
    };
  }

  private static ObjectNode objectNode(Map<?, ?> map) {
    ObjectNode node = NODES.objectNode();
    map.forEach((k, v) -> node.set(String.valueOf(k), toNode(v)));
    return node;
  }

  private static JsonNode toNode(Object value) {
    if (value == null) return NODES.nullNode();
    if (value instanceof String s) return NODES.textNode(s);
    if (value instanceof Boolean b) return NODES.booleanNode(b);
    if (value instanceof Integer i) return NODES.numberNode(i);
    if (value instanceof Long l) return NODES.numberNode(l);
    if (value instanceof Double d) return NODES.numberNode(d);
    if (value instanceof Float f) return NODES.numberNode(f);
    if (value instanceof BigInteger b) return NODES.numberNode(b);
    if (value instanceof BigDecimal b) return NODES.numberNode(b);
    if (value instanceof Number n) return NODES.numberNode(n.doubleValue());
    if (value instanceof JsonObject o) return objectNode(o.getMap());
    if (value instanceof Map<?, ?> m) return objectNode(m);
    List<?> list = value instanceof JsonArray a ? a.getList() : value instanceof List<?> l ? l : null;
    if (list != null) {
      ArrayNode array = NODES.arrayNode(list.size());
      list.forEach(item -> array.add(toNode(item)));
      return array;
    }
    // the rare rest a JsonObject may hold (byte[], Instant, Buffer): as Vert.x's own mapper encodes it
    return DatabindCodec.mapper().valueToTree(value);
  }
}
