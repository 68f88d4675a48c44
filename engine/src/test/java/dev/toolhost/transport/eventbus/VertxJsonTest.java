package dev.toolhost.transport.eventbus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolhost.api.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VertxJsonTest {
  private static final String SAMPLE = """
      {"s":"héllo \\u2603","i":7,"l":12345678901234,"big":123456789012345678901234567890,
       "d":0.125,"t":true,"f":false,"n":null,"a":[1,"two",[3],{"four":4}],"o":{"p":{"q":[]}},"e":{}}""";

  @Test
  void aTreeSurvivesTheRoundTripAndMatchesVertxOwnParse() {
    ObjectNode tree = (ObjectNode) Json.parse(SAMPLE.getBytes(StandardCharsets.UTF_8));
    JsonObject object = VertxJson.toJsonObject(tree);
    assertEquals(new JsonObject(SAMPLE), object);
    assertEquals(tree, VertxJson.toTree(object));
  }

  @Test
  void valuesBuiltInJavaConvertAsVertxWouldEncodeThem() {
    JsonObject built = new JsonObject().put("when", Instant.parse("2026-11-22T05:00:00Z"))
        .put("bytes", new byte[] {1, 2, 3}).put("nested", new JsonObject().put("x", 1.5f));
    assertEquals(built.encode(), VertxJson.toTree(built).toString());
  }
}
