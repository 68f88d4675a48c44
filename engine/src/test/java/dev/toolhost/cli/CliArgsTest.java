package dev.toolhost.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CliArgsTest {
  private static final Set<String> VALUED = Set.of("input", "env", "runtime", "calls");
  private static final Set<String> SWITCHES = Set.of("json");

  private static CliArgs parse(String... args) {
    return CliArgs.parse(List.of(args), VALUED, SWITCHES);
  }

  private static String usage(String... args) {
    return assertThrows(UsageException.class, () -> parse(args)).getMessage();
  }

  @Test
  void flagTakesTheNextArgumentAsItsValue() {
    CliArgs a = parse("--runtime", "bun");
    assertEquals("bun", a.get("runtime"));
    assertEquals(List.of(), a.positionals());
  }

  @Test
  void flagTakesItsValueAfterEquals() {
    CliArgs a = parse("--input={\"a\":\"x=y\"}", "--runtime=");
    assertEquals("{\"a\":\"x=y\"}", a.get("input"), "only the first = separates name and value");
    assertEquals("", a.get("runtime"));
  }

  @Test
  void repeatedFlagKeepsEveryValueInOrderAndGetReturnsTheLast() {
    CliArgs a = parse("--env", "A=1", "--env=B=2", "--env", "C=3");
    assertEquals(List.of("A=1", "B=2", "C=3"), a.all("env"));
    assertEquals("C=3", a.get("env"));
    assertEquals(List.of(), a.all("input"));
  }

  @Test
  void switchTakesNoValue() {
    CliArgs a = parse("--json", "greet");
    assertTrue(a.has("json"));
    assertEquals(List.of("greet"), a.positionals(), "the word after a switch is not its value");
    assertFalse(parse("greet").has("json"));
  }

  @Test
  void positionalsKeepTheirOrderAroundFlags() {
    CliArgs a = parse("invoke", "--runtime", "node", "greet", "-x", "--json", "extra");
    assertEquals(List.of("invoke", "greet", "-x", "extra"), a.positionals());
    assertEquals("node", a.get("runtime"));
  }

  @Test
  void doubleDashEndsTheOptions() {
    CliArgs a = parse("--json", "--", "--runtime", "-weird");
    assertEquals(List.of("--runtime", "-weird"), a.positionals());
    assertNull(a.get("runtime"));
  }

  @Test
  void absentFlagFallsBack() {
    CliArgs a = parse();
    assertNull(a.get("runtime"));
    assertEquals("node", a.get("runtime", "node"));
    assertEquals(7, a.integer("calls", 7));
  }

  @Test
  void integerFlagMustBePositive() {
    assertEquals(12, parse("--calls", "12").integer("calls", 1));
    for (String bad : List.of("0", "-3", "ten", "1.5")) {
      UsageException e = assertThrows(UsageException.class, () -> parse("--calls", bad).integer("calls", 1));
      assertTrue(e.getMessage().contains("--calls"), e.getMessage());
    }
  }

  @Test
  void unknownFlagIsAUsageErrorNamingIt() {
    assertTrue(usage("--runtim", "bun").contains("--runtim"));
    assertTrue(usage("--verbose=true").contains("--verbose"));
  }

  @Test
  void missingValueIsAUsageErrorNamingTheFlag() {
    String message = usage("greet", "--input");
    assertTrue(message.contains("--input") && message.contains("value"), message);
  }

  @Test
  void switchGivenAValueIsAUsageError() {
    String message = usage("--json=false");
    assertTrue(message.contains("--json") && message.contains("no value"), message);
  }
}
