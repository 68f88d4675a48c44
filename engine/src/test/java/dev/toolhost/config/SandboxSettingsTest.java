package dev.toolhost.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code sandbox} block: defaults, file, environment, and bad values named by key. */
class SandboxSettingsTest {
  @TempDir Path dir;

  @Test
  void defaultsFileAndEnvironment() throws IOException {
    SandboxSettings defaults = load("", Map.of());
    assertEquals(new SandboxSettings(16, Duration.ofMinutes(15), Duration.ofSeconds(60), 10L << 20, 64L << 20, true, "auto",
        Path.of(System.getProperty("java.io.tmpdir"), "toolhost-sandboxes"), "toolhost/sandbox:local"), defaults);

    SandboxSettings fromFile = load("sandbox: { maxLive: 2, fileLimit: 1MiB, network: false, bubblewrap: off, dir: /srv/sb, "
        + "docker: { image: 'debian:12' } }\n", Map.of());
    assertEquals("debian:12", fromFile.dockerImage());
    assertEquals(2, fromFile.maxLive());
    assertEquals(1L << 20, fromFile.fileLimitBytes());
    assertEquals(false, fromFile.network());
    assertEquals("off", fromFile.bubblewrap());
    assertEquals(Path.of("/srv/sb"), fromFile.dir());

    SandboxSettings fromEnv = load("sandbox: { maxLive: 2 }\n", Map.of("TOOLHOST_SANDBOX_MAX_LIVE", "5",
        "TOOLHOST_SANDBOX_IDLE_TIMEOUT", "30s", "TOOLHOST_SANDBOX_BUBBLEWRAP", "off", "TOOLHOST_SANDBOX_DOCKER_IMAGE", "mine:1"));
    assertEquals("mine:1", fromEnv.dockerImage());
    assertEquals(5, fromEnv.maxLive());
    assertEquals(Duration.ofSeconds(30), fromEnv.idleTimeout());
    assertEquals("off", fromEnv.bubblewrap());
  }

  @Test
  void badValuesNameTheirKey() {
    assertNames("sandbox.bubblewrap", "sandbox: { bubblewrap: maybe }\n");
    assertNames("sandbox.maxLive", "sandbox: { maxLive: 0 }\n");
    assertNames("sandbox.timeout", "sandbox: { timeout: soon }\n");
    assertNames("sandbox.image", "sandbox: { image: debian }\n");
    assertNames("sandbox.docker.tag", "sandbox: { docker: { tag: x } }\n");
  }

  private void assertNames(String key, String yaml) {
    ConfigException e = assertThrows(ConfigException.class, () -> load(yaml, Map.of()));
    assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
  }

  private SandboxSettings load(String yaml, Map<String, String> env) throws IOException {
    Path file = Files.writeString(dir.resolve("toolhost.yaml"), yaml);
    return ConfigLoader.load(file, env, Map.of()).sandbox();
  }
}
