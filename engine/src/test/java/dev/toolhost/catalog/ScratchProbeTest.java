package dev.toolhost.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolhost.api.Json;
import dev.toolhost.api.ToolDescriptor;
import dev.toolhost.runtime.ToolSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScratchProbeTest {
  static JsonNode j(String s) { try { return Json.MAPPER.readTree(s); } catch (Exception e) { throw new RuntimeException(e); } }
  @Test void probe() {
    String[] schemas = {"{\"type\": 12}", "{\"$ref\":\"#/nope\"}", "{\"$ref\":\"#/$defs/nope\"}", "{\"type\":\"strnig\"}",
        "{\"properties\":{\"a\":{\"$ref\":\"#/$defs/x\"}}}", "{\"pattern\":\"([\"}", "{\"required\":\"a\"}", "{\"minLength\":\"x\"}", "\"string\"", "12", "{\"properties\": 5}", "{\"$ref\":\"http://127.0.0.1:1/x.json\"}", "{\"$ref\":\"nope.json\"}"};
    for (String s : schemas) {
      try {
        Catalog c = new Catalog(new ToolSet(List.of(new ToolDescriptor("t", "", j(s), null, "m.js")), List.of()));
        System.out.println("PROBE " + s + " -> tools=" + c.tools().size() + " errors=" + c.errors());
        if (!c.tools().isEmpty()) System.out.println("   validate: " + c.validateInput("t", j("{\"a\":1}")));
      } catch (Throwable e) { System.out.println("PROBE " + s + " threw " + e); }
    }
    Catalog c = new Catalog(new ToolSet(List.of(new ToolDescriptor("t", "", j("{\"type\":\"object\",\"required\":[\"a/b\",\"c~d\",\"name\"],\"properties\":{\"items\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"price\":{\"type\":\"number\"}}}}, \"x/y\":{\"type\":\"string\"}}}"), null, "m.js")), List.of()));
    System.out.println("PROBE v " + c.validateInput("t", j("{\"items\":[{\"price\":1},{\"price\":\"x\"}], \"x/y\": 3}")));
  }
}
