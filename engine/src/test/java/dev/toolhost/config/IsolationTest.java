package dev.toolhost.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsolationTest {

  @Test
  void reuseServesManyCalls() {
    Isolation i = Isolation.parse("isolation", "reuse");
    assertSame(Isolation.REUSE, i);
    assertEquals(0, i.callsPerWorker(), "0 means unlimited");
  }

  @Test
  void freshServesOneCall() {
    Isolation i = Isolation.parse("isolation", " fresh ");
    assertSame(Isolation.FRESH, i);
    assertEquals(1, i.callsPerWorker());
  }

  @Test
  void recycleServesNCalls() {
    Isolation i = Isolation.parse("isolation", "recycle:100");
    assertEquals("recycle", i.mode());
    assertEquals(100, i.callsPerWorker());
    assertEquals("recycle:100", i.toString());
    assertEquals(i, Isolation.parse("isolation", i.toString()), "toString reads back");
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"recycle:0", "recycle:x", "recycle:", "recycle", "recycle:-3", "recycle: 5",
      "recycle:99999999999", "Reuse", "sometimes", "", "fresh:1"})
  void rejectsOtherFormsNamingTheKey(String text) {
    ConfigException e = assertThrows(ConfigException.class, () -> Isolation.parse("toolOverrides.x.isolation", text));
    assertTrue(e.getMessage().startsWith("configuration key 'toolOverrides.x.isolation':"), e.getMessage());
  }
}
