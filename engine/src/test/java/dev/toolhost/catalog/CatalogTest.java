package dev.toolhost.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.toolhost.api.InvalidInput.Violation;
import dev.toolhost.api.Json;
import dev.toolhost.api.ToolDescriptor;
import dev.toolhost.runtime.ToolSet;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CatalogTest {
  private static final String ORDER_SCHEMA = """
      {"type": "object",
       "properties": {
         "name": {"type": "string"},
         "items": {"type": "array", "items": {
           "type": "object",
           "properties": {"price": {"type": "number"}, "sku": {"type": "string"}},
           "required": ["sku"]}}},
       "required": ["name"]}
      """;

  private static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  private static ToolDescriptor tool(String name, String inputSchema, String outputSchema) {
    return new ToolDescriptor(name, "the " + name + " tool",
        inputSchema == null ? null : json(inputSchema), outputSchema == null ? null : json(outputSchema), name + ".js");
  }

  private static Catalog catalog(ToolDescriptor... tools) {
    return new Catalog(new ToolSet(List.of(tools), List.of()));
  }

  private static List<String> pointers(List<Violation> violations) {
    return violations.stream().map(Violation::pointer).toList();
  }

  @Test
  void validInputHasNoViolations() {
    Catalog c = catalog(tool("order", ORDER_SCHEMA, null));
    assertEquals(List.of(), c.validateInput("order", json("{\"name\": \"Ada\", \"items\": [{\"sku\": \"a\", \"price\": 2}]}")));
  }

  @Test
  void missingRequiredPropertyPointsAtTheProperty() {
    Catalog c = catalog(tool("order", ORDER_SCHEMA, null));

    List<Violation> violations = c.validateInput("order", json("{}"));

    assertEquals(List.of("/name"), pointers(violations));
    assertTrue(violations.get(0).message().contains("name"), violations.get(0).message());
  }

  @Test
  void wrongTypeInsideAnArrayPointsAtTheElementProperty() {
    Catalog c = catalog(tool("order", ORDER_SCHEMA, null));

    List<Violation> violations = c.validateInput("order",
        json("{\"name\": \"Ada\", \"items\": [{\"sku\": \"a\", \"price\": 1}, {\"sku\": \"b\", \"price\": \"ten\"}]}"));

    assertEquals(List.of("/items/1/price"), pointers(violations));
    assertTrue(violations.get(0).message().contains("number"), violations.get(0).message());
  }

  @Test
  void everyViolationIsReportedAtOnce() {
    Catalog c = catalog(tool("order", ORDER_SCHEMA, null));

    List<Violation> violations = c.validateInput("order",
        json("{\"items\": [{\"price\": \"x\"}, {\"sku\": 5, \"price\": 3}]}"));

    assertEquals(List.of("/items/0/price", "/items/0/sku", "/items/1/sku", "/name"), pointers(violations));
  }

  @Test
  void pointerToAMissingPropertyEscapesSlashAndTilde() {
    Catalog c = catalog(tool("odd", "{\"type\": \"object\", \"required\": [\"a/b\", \"c~d\"]}", null));

    assertEquals(List.of("/a~1b", "/c~0d"), pointers(c.validateInput("odd", json("{}"))));
  }

  @Test
  void toolWithoutSchemaAcceptsAnything() {
    Catalog c = catalog(tool("free", null, null));

    assertEquals(List.of(), c.validateInput("free", json("[1, \"two\", null]")));
    assertEquals(List.of(), c.validateOutput("free", json("42")));
  }

  @Test
  void outputIsValidatedAgainstTheOutputSchema() {
    Catalog c = catalog(tool("greet", null,
        "{\"type\": \"object\", \"properties\": {\"message\": {\"type\": \"string\"}}, \"required\": [\"message\"]}"));

    assertEquals(List.of(), c.validateOutput("greet", json("{\"message\": \"Hello\"}")));
    assertEquals(List.of("/message"), pointers(c.validateOutput("greet", json("{\"message\": 5}"))));
    assertEquals(List.of("/message"), pointers(c.validateOutput("greet", json("{}"))));
    assertEquals(List.of(""), pointers(c.validateOutput("greet", json("\"just text\""))), "the root is the empty pointer");
    assertEquals(List.of(), c.validateInput("greet", json("\"anything\"")), "input has no schema");
  }

  @Test
  void olderDialectNamedBySchemaKeywordIsAccepted() {
    Catalog c = catalog(tool("tuple",
        "{\"$schema\": \"http://json-schema.org/draft-07/schema#\", \"type\": \"array\","
            + " \"items\": [{\"type\": \"string\"}, {\"type\": \"number\"}]}", null));

    assertEquals(List.of("tuple"), c.tools().stream().map(ToolDescriptor::name).toList(), c.errors().toString());
    assertEquals(List.of(), c.validateInput("tuple", json("[\"a\", 1]")));
    assertEquals(List.of("/1"), pointers(c.validateInput("tuple", json("[\"a\", \"b\"]"))));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "{\"$ref\": \"#/$defs/nope\"}",
      "{\"type\": \"object\", \"properties\": {\"a\": {\"$ref\": \"#/nope\"}}}",
      "{\"type\": \"string\", \"pattern\": \"([\"}",
      "{\"type\": 12}",
      "{\"type\": \"strnig\"}",
      "{\"type\": \"object\", \"required\": \"name\"}",
      "{\"type\": \"object\", \"properties\": 5}",
      "\"string\""})
  void schemaThatDoesNotCompileLeavesTheToolOutAndIsReported(String schema) {
    Catalog c = new Catalog(new ToolSet(
        List.of(tool("good", "{\"type\": \"object\"}", null), tool("bad", schema, null)),
        List.of(new ToolSet.LoadError("broken.js", "SyntaxError: Unexpected token (3:4)"))));

    assertEquals(List.of("good"), c.tools().stream().map(ToolDescriptor::name).toList());
    assertTrue(c.find("bad").isEmpty());
    assertEquals(2, c.errors().size(), c.errors().toString());
    assertEquals(new ToolSet.LoadError("broken.js", "SyntaxError: Unexpected token (3:4)"), c.errors().get(0),
        "the tool set's own load errors come first");
    ToolSet.LoadError error = c.errors().get(1);
    assertEquals("bad.js", error.module());
    assertTrue(error.message().contains("'bad'"), error.message());
  }

  @Test
  void badOutputSchemaAlsoLeavesTheToolOut() {
    Catalog c = catalog(tool("t", "{\"type\": \"object\"}", "{\"type\": \"objekt\"}"));

    assertEquals(List.of(), c.tools());
    assertEquals(1, c.errors().size());
  }

  @Test
  void findReturnsTheDescriptor() {
    ToolDescriptor greet = tool("greet", "{\"type\": \"object\"}", null);
    Catalog c = catalog(greet, tool("shout", null, null));

    assertEquals(greet, c.find("greet").orElseThrow());
    assertTrue(c.find("Greet").isEmpty(), "names are case-sensitive");
    assertEquals(List.of("greet", "shout"), c.tools().stream().map(ToolDescriptor::name).toList());
  }

  private static Catalog named(String... names) {
    return catalog(Arrays.stream(names).map(n -> tool(n, null, null)).toArray(ToolDescriptor[]::new));
  }

  @Test
  void nearestNamesATypo() {
    Catalog c = named("greet", "shout", "lookup", "json/parse");

    assertEquals(List.of("greet"), c.nearest("gret"));
    assertEquals(List.of("shout"), c.nearest("SHOUT"), "case does not matter");
    assertEquals(List.of("json/parse"), c.nearest("parse"), "a name containing the request is near");
  }

  @Test
  void nearestListsClosestFirstAndAtMostFive() {
    Catalog c = named("tool7", "tool1", "tool2", "tool3", "tool4", "tool5", "tool6", "toolx1");

    List<String> near = c.nearest("tool");

    assertEquals(5, near.size(), near.toString());
    assertEquals(List.of("tool1", "tool2", "tool3", "tool4", "tool5"), near);
    assertEquals("toolx1", named("toolx1", "greet").nearest("tool").get(0));
  }

  @Test
  void nearestIsEmptyForUnrelatedNames() {
    Catalog c = named("greet", "shout", "lookup");

    assertEquals(List.of(), c.nearest("kubernetes"));
    assertEquals(List.of(), c.nearest("zzzz"));
  }
}
