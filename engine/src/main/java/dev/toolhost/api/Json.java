package dev.toolhost.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one JSON mapper of the engine (thread-safe once configured). */
public final class Json {
  public static final ObjectMapper MAPPER = JsonMapper.builder().build();
  /** A request is one JSON value: text after it is an error, not silently dropped. */
  private static final ObjectReader REQUEST_READER = MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {}

  /** Reads request JSON; text that is not JSON is INVALID_REQUEST saying where it breaks. */
  public static JsonNode parse(byte[] json) {
    JsonNode node;
    try {
      node = REQUEST_READER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ToolException(new InvalidRequest("the request is not valid JSON", e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
              + ", column " + e.getLocation().getColumnNr())));
    } catch (java.io.IOException e) {
      throw new ToolException(new InvalidRequest("the request cannot be read", e.getMessage()));
    }
    if (node == null || node.isMissingNode()) {
      throw new ToolException(new InvalidRequest("the request is not valid JSON", "no JSON value (empty input)"));
    }
    return node;
  }

  /** A tree as UTF-8 JSON; a tree of JSON nodes always serializes. */
  public static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree failed to serialize", e);
    }
  }
}
