package dev.toolhost.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantitiesTest {

  @ParameterizedTest(name = "{0} = {1} ms")
  @CsvSource({
      "250ms, 250",
      "30s, 30000",
      "5m, 300000",
      "1h, 3600000",
      "1500, 1500",
      "0, 0",
      "' 30s ', 30000",
      "30S, 30000",
      "10 s, 10000"})
  void parsesDurations(String text, long millis) {
    assertEquals(Duration.ofMillis(millis), Quantities.duration("timeout", text));
  }

  @ParameterizedTest(name = "{0} = {1} us")
  @CsvSource({"100us, 100", "0us, 0", "2500 us, 2500"})
  void parsesMicroseconds(String text, long micros) {
    assertEquals(Duration.ofNanos(micros * 1000), Quantities.duration("graaljs.idleSpin", text));
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"", "soon", "1.5us", "99999999999999999us", "1.5s", "-5s", "5 minutes", "5d", "s", "ms5", "1h30m",
      "99999999999999999999ms", "9999999999999999h"})
  void rejectsBadDurationsNamingTheKey(String text) {
    ConfigException e = assertThrows(ConfigException.class, () -> Quantities.duration("backoff.maxInterval", text));
    assertTrue(e.getMessage().startsWith("configuration key 'backoff.maxInterval':"), e.getMessage());
  }

  @ParameterizedTest(name = "{0} = {1} bytes")
  @CsvSource({
      "512k, 524288",
      "10MiB, 10485760",
      "1g, 1073741824",
      "256m, 268435456",
      "100, 100",
      "100b, 100",
      "2kb, 2048",
      "3GiB, 3221225472",
      "1 MiB, 1048576",
      "2MB, 2097152"})
  void parsesSizes(String text, long bytes) {
    assertEquals(bytes, Quantities.bytes("outputLimit", text));
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"", "lots", "1.5m", "-1k", "10tb", "k", "10 MiB extra", "9999999999g",
      "99999999999999999999"})
  void rejectsBadSizesNamingTheKey(String text) {
    ConfigException e = assertThrows(ConfigException.class,
        () -> Quantities.bytes("toolOverrides.x.permissions.memory", text));
    assertTrue(e.getMessage().startsWith("configuration key 'toolOverrides.x.permissions.memory':"), e.getMessage());
  }
}
