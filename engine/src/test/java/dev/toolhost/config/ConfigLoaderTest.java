package dev.toolhost.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.api.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {
  private static final long MIB = 1024 * 1024;

  @TempDir Path dir;

  private Path file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  private EngineConfig loadYaml(String yaml) throws IOException {
    return ConfigLoader.load(file("toolhost.yaml", yaml), Map.of(), Map.of());
  }

  /** The message of the ConfigException the given configuration fails with. */
  private static String failure(Path file, Map<String, String> env, Map<String, String> flags) {
    return assertThrows(ConfigException.class, () -> ConfigLoader.load(file, env, flags)).getMessage();
  }

  private static void assertNamesKey(String key, String message) {
    assertTrue(message.startsWith("configuration key '" + key + "':"), () -> "expected key '" + key + "' in: " + message);
  }

  @Test
  void bundlingIsConfiguredByFileOrEnvAndCachesInTheUserCacheByDefault() throws IOException {
    EngineConfig defaults = ConfigLoader.load(file("empty.yaml", ""), Map.of("XDG_CACHE_HOME", "/xdg"), Map.of());
    assertNull(defaults.esbuildPath());
    assertEquals(Path.of("/xdg/toolhost"), defaults.bundleCacheDir());
    assertEquals(Path.of(System.getProperty("user.home"), ".cache/toolhost"),
        ConfigLoader.load(file("empty.yaml", ""), Map.of(), Map.of()).bundleCacheDir());

    EngineConfig fromFile = loadYaml("bundle: { esbuild: /opt/esbuild, cacheDir: /var/cache/th }\n");
    assertEquals("/opt/esbuild", fromFile.esbuildPath());
    assertEquals(Path.of("/var/cache/th"), fromFile.bundleCacheDir());

    EngineConfig fromEnv = ConfigLoader.load(file("empty.yaml", ""),
        Map.of("TOOLHOST_ESBUILD_PATH", "/e/esbuild", "TOOLHOST_BUNDLE_CACHE_DIR", "/c"), Map.of());
    assertEquals("/e/esbuild", fromEnv.esbuildPath());
    assertEquals(Path.of("/c"), fromEnv.bundleCacheDir());
    assertNamesKey("bundle.minify", failure(file("bad.yaml", "bundle: { minify: true }\n"), Map.of(), Map.of()));
  }

  @Test
  void defaultsApplyWhenNothingIsSet() throws IOException {
    EngineConfig c = ConfigLoader.load(file("empty.yaml", ""), Map.of(), Map.of());

    assertEquals(Duration.ofSeconds(60), c.timeout());
    assertEquals(10 * MIB, c.outputLimitBytes());
    assertEquals(MIB, c.logLimitBytes());
    assertEquals(Isolation.REUSE, c.isolation());
    assertEquals(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(30)), c.backoff());
    assertEquals(Set.of("PROCESS_ERROR", "RUNTIME_UNAVAILABLE"), c.retryOn());
    assertEquals("127.0.0.1", c.httpHost());
    assertEquals(8080, c.httpPort());
    assertNull(c.httpToken());
    assertEquals(MIB, c.httpBodyLimitBytes());
    assertEquals(List.of(), c.nodeOptions());
    assertEquals(Map.of(), c.toolOverrides());
    assertEquals(PermissionPolicy.DEFAULT, c.settingsFor("anything").permissions());
    assertEquals(Enforcement.STRICT, c.enforcement());
  }

  @Test
  void theEngineWideEnforcementIsEveryPolicysDefault() throws IOException {
    EngineConfig c = loadYaml("""
        permissions: { enforcement: best-effort }
        toolOverrides:
          own: { permissions: { subprocess: true } }
          strict: { permissions: { enforcement: strict } }
        """);
    assertEquals(Enforcement.BEST_EFFORT, c.settingsFor("anything").permissions().enforcement());
    assertEquals(Enforcement.BEST_EFFORT, c.settingsFor("own").permissions().enforcement());
    assertEquals(Enforcement.STRICT, c.settingsFor("strict").permissions().enforcement(), "a tool's own word wins");
  }

  @Test
  void yamlFileOverridesDefaultsAndMergesNestedBlocks() throws IOException {
    EngineConfig c = loadYaml("""
        runtime: bun
        tools: ./my-tools
        timeout: 10s
        outputLimit: 512k
        isolation: recycle:5
        backoff: { maxInterval: 2s }
        http: { host: 0.0.0.0, port: 9090, token: secret, bodyLimit: 64k }
        """);

    assertEquals("bun", c.runtime());
    assertEquals(Path.of("./my-tools"), c.tools());
    assertEquals(Duration.ofSeconds(10), c.timeout());
    assertEquals(512 * 1024, c.outputLimitBytes());
    assertEquals(MIB, c.logLimitBytes(), "a key the file leaves out keeps its default");
    assertEquals(new Isolation("recycle", 5), c.isolation());
    assertEquals(Duration.ofSeconds(2), c.backoff().maxInterval());
    assertEquals(Duration.ofMillis(100), c.backoff().initialInterval(), "a nested block merges, it does not replace");
    assertEquals(Duration.ofSeconds(30), c.backoff().maxElapsedTime());
    assertEquals("0.0.0.0", c.httpHost());
    assertEquals(9090, c.httpPort());
    assertEquals("secret", c.httpToken());
    assertEquals(64 * 1024, c.httpBodyLimitBytes());
  }

  @Test
  void jsonFileIsAccepted() throws IOException {
    Path json = file("toolhost.json", """
        {"runtime": "docker", "timeout": "250ms", "logLimit": "2MiB",
         "backoff": {"initialInterval": "1s"}, "retry": {"on": ["TIMEOUT"]},
         "toolOverrides": {"t": {"isolation": "fresh"}}}
        """);

    EngineConfig c = ConfigLoader.load(json, Map.of(), Map.of());

    assertEquals("docker", c.runtime());
    assertEquals(Duration.ofMillis(250), c.timeout());
    assertEquals(2 * MIB, c.logLimitBytes());
    assertEquals(Duration.ofSeconds(1), c.backoff().initialInterval());
    assertEquals(Set.of("TIMEOUT"), c.retryOn(), "a list in the file replaces the default list");
    assertEquals(Isolation.FRESH, c.settingsFor("t").isolation());
  }

  @Test
  void environmentOverridesFile() throws IOException {
    Path yaml = file("toolhost.yaml", "runtime: bun\ntimeout: 10s\nbackoff: { maxInterval: 2s }\n");
    Map<String, String> env = Map.of(
        "TOOLHOST_TOOL_TIMEOUT", "20s",
        "TOOLHOST_BACKOFF_MAX_INTERVAL", "7s",
        "TOOLHOST_RETRY_ON", "TIMEOUT, PROCESS_ERROR",
        "TOOLHOST_NODE_OPTIONS", "--max-old-space-size=256  --no-warnings",
        "TOOLHOST_HTTP_PORT", "8181",
        "TOOLHOST_HTTP_HOST", "::1",
        "TOOLHOST_HTTP_BODY_LIMIT", "2MiB",
        "TIMEOUT", "1s");

    EngineConfig c = ConfigLoader.load(yaml, env, Map.of());

    assertEquals("bun", c.runtime(), "what the environment does not set comes from the file");
    assertEquals(Duration.ofSeconds(20), c.timeout());
    assertEquals(Duration.ofSeconds(7), c.backoff().maxInterval());
    assertEquals(Set.of("TIMEOUT", "PROCESS_ERROR"), c.retryOn());
    assertEquals(List.of("--max-old-space-size=256", "--no-warnings"), c.nodeOptions());
    assertEquals(8181, c.httpPort());
    assertEquals("::1", c.httpHost());
    assertEquals(2 * MIB, c.httpBodyLimitBytes());
  }

  @Test
  void emptyEnvironmentValueCountsAsUnset() throws IOException {
    Path yaml = file("toolhost.yaml", "timeout: 10s\n");

    EngineConfig c = ConfigLoader.load(yaml, Map.of("TOOLHOST_TOOL_TIMEOUT", ""), Map.of());

    assertEquals(Duration.ofSeconds(10), c.timeout());
  }

  @Test
  void flagsOverrideEnvironmentAndFile() throws IOException {
    Path yaml = file("toolhost.yaml", "runtime: bun\ntimeout: 10s\nisolation: fresh\n");
    Map<String, String> env = Map.of("TOOLHOST_TOOL_TIMEOUT", "20s", "TOOLHOST_RUNTIME", "docker");
    Map<String, String> flags = Map.of("timeout", "30s", "backoff.maxElapsedTime", "1m");

    EngineConfig c = ConfigLoader.load(yaml, env, flags);

    assertEquals(Duration.ofSeconds(30), c.timeout());
    assertEquals(Duration.ofMinutes(1), c.backoff().maxElapsedTime());
    assertEquals("docker", c.runtime(), "the environment still wins over the file where no flag is given");
    assertEquals(Isolation.FRESH, c.isolation(), "the file still wins over defaults where nothing else is set");
  }

  @Test
  void mcpSandboxToolsAreOnByDefaultAndSwitchedOffByFileEnvironmentOrFlag() throws IOException {
    Path empty = file("empty.yaml", "");
    assertTrue(ConfigLoader.load(empty, Map.of(), Map.of()).mcpSandboxTools());
    Path off = file("toolhost.yaml", "mcp: { sandboxTools: false }\n");
    assertEquals(false, ConfigLoader.load(off, Map.of(), Map.of()).mcpSandboxTools());
    assertEquals(true, ConfigLoader.load(off, Map.of("TOOLHOST_MCP_SANDBOX_TOOLS", "true"), Map.of()).mcpSandboxTools(),
        "the environment wins over the file");
    assertEquals(false, ConfigLoader.load(off, Map.of("TOOLHOST_MCP_SANDBOX_TOOLS", "true"),
        Map.of("mcp.sandboxTools", "false")).mcpSandboxTools(), "a flag wins over the environment");
    assertNamesKey("mcp.sandboxTools", failure(empty, Map.of("TOOLHOST_MCP_SANDBOX_TOOLS", "yes"), Map.of()));
    assertNamesKey("mcp.tools", failure(file("bad.yaml", "mcp: { tools: false }\n"), Map.of(), Map.of()));
  }

  @Test
  void graalIdleSpinIsAHundredMicrosecondsByDefaultAndComesFromFileOrEnvironment() throws IOException {
    assertEquals(Duration.ofNanos(100_000), ConfigLoader.load(file("empty.yaml", ""), Map.of(), Map.of()).graalIdleSpin());
    Path off = file("toolhost.yaml", "graaljs: { idleSpin: 0 }\n");
    assertEquals(Duration.ZERO, ConfigLoader.load(off, Map.of(), Map.of()).graalIdleSpin());
    assertEquals(Duration.ofNanos(50_000),
        ConfigLoader.load(off, Map.of("TOOLHOST_GRAALJS_IDLE_SPIN", "50us"), Map.of()).graalIdleSpin());
    assertNamesKey("graaljs.idleSpin", failure(off, Map.of("TOOLHOST_GRAALJS_IDLE_SPIN", "a while"), Map.of()));
  }

  @Test
  void bunPathIsUnsetByDefaultAndComesFromFileOrEnvironment() throws IOException {
    assertNull(ConfigLoader.load(file("empty.yaml", ""), Map.of(), Map.of()).bunPath(),
        "unset: the engine searches PATH, then the project-local install");
    Path yaml = file("toolhost.yaml", "bun: { path: /opt/bun/bin/bun }\n");
    assertEquals("/opt/bun/bin/bun", ConfigLoader.load(yaml, Map.of(), Map.of()).bunPath());
    assertEquals("/usr/local/bin/bun",
        ConfigLoader.load(yaml, Map.of("TOOLHOST_BUN_PATH", "/usr/local/bin/bun"), Map.of()).bunPath());
    assertNamesKey("bun.options", failure(file("bad.yaml", "bun: { options: --smol }\n"), Map.of(), Map.of()));
  }

  @Test
  void toolhostConfigVariableNamesTheFileAndConfigFlagWinsOverIt() throws IOException {
    Path fromEnv = file("env.yaml", "timeout: 11s\n");
    Path fromFlag = file("flag.yaml", "timeout: 12s\n");
    Map<String, String> env = Map.of("TOOLHOST_CONFIG", fromEnv.toString());

    assertEquals(Duration.ofSeconds(11), ConfigLoader.load(null, env, Map.of()).timeout());
    assertEquals(Duration.ofSeconds(12), ConfigLoader.load(fromFlag, env, Map.of()).timeout());
  }

  @Test
  void nullInFileKeepsTheDefault() throws IOException {
    EngineConfig c = loadYaml("""
        tools: ~
        isolation: null
        timeout: ~
        http: { port: 8081, token: null }
        """);

    assertEquals(Path.of("sample-tools"), c.tools());
    assertEquals(Isolation.REUSE, c.isolation());
    assertEquals(Duration.ofSeconds(60), c.timeout());
    assertEquals(8081, c.httpPort());
    assertNull(c.httpToken());
  }

  @Test
  void toolOverridesBecomeToolSettings() throws IOException {
    EngineConfig c = loadYaml("""
        toolOverrides:
          fetch_weather:
            runtime: bun
            timeout: 10s
            isolation: recycle:100
            config: { units: metric, retries: 2 }
            permissions:
              fsRead: [./data]
              fsWrite: []
              net: ["api.example.com:443", "127.0.0.1:9000"]
              env: [API_KEY]
              subprocess: true
              memory: 256m
              cpus: 1.5
              enforcement: best-effort
          plain: {}
        """);

    ToolSettings s = c.settingsFor("fetch_weather");
    assertEquals("bun", s.runtime());
    assertEquals(Duration.ofSeconds(10), s.timeout());
    assertEquals(new Isolation("recycle", 100), s.isolation());
    assertEquals(Json.MAPPER.createObjectNode().put("units", "metric").put("retries", 2), s.config());
    PermissionPolicy p = s.permissions();
    assertEquals(List.of("./data"), p.fsRead());
    assertEquals(List.of(), p.fsWrite());
    assertEquals(List.of("api.example.com:443", "127.0.0.1:9000"), p.net());
    assertEquals(List.of("API_KEY"), p.env());
    assertTrue(p.subprocess());
    assertEquals(256 * MIB, p.memoryBytes());
    assertEquals(1.5, p.cpus());
    assertEquals(Enforcement.BEST_EFFORT, p.enforcement());

    ToolSettings plain = c.settingsFor("plain");
    assertNull(plain.runtime());
    assertNull(plain.timeout());
    assertNull(plain.isolation());
    assertNull(plain.config());
    assertEquals(PermissionPolicy.DEFAULT, plain.permissions(), "no permissions block: least privilege");
    assertNull(plain.permissions().env(), "env null: no restriction on the names a caller passes");
    assertEquals(Enforcement.STRICT, plain.permissions().enforcement(), "a policy holds fully unless a tool says otherwise");
    assertEquals(SandboxMode.AUTO, c.workerSandbox());
  }

  @Test
  void aToolMayRunFromItsOwnDockerImage() throws IOException {
    EngineConfig c = loadYaml("""
        docker: { image: "toolhost/node-worker:local" }
        toolOverrides:
          heavy:
            docker: { image: "registry.example.com:5000/team/heavy-worker:1.2@sha256:%s" }
          plain: {}
        """.formatted("a".repeat(64)));
    assertEquals("registry.example.com:5000/team/heavy-worker:1.2@sha256:" + "a".repeat(64), c.dockerImageFor("heavy"));
    assertEquals("toolhost/node-worker:local", c.dockerImageFor("plain"), "no image of its own: the engine's");
    assertEquals("toolhost/node-worker:local", c.dockerImageFor("unconfigured"));
  }

  static Stream<Arguments> badFiles() {
    return Stream.of(
        Arguments.of("timout: 5s", "timout"),
        Arguments.of("timeout: soon", "timeout"),
        Arguments.of("timeout: 0s", "timeout"),
        Arguments.of("timeout: 99999999999999999999s", "timeout"),
        Arguments.of("tools: [a, b]", "tools"),
        Arguments.of("runtime: nodejs", "runtime"),
        Arguments.of("isolation: sometimes", "isolation"),
        Arguments.of("outputLimit: lots", "outputLimit"),
        Arguments.of("logLimit: 0", "logLimit"),
        Arguments.of("poolSize: 0", "poolSize"),
        Arguments.of("backoff: 5s", "backoff"),
        Arguments.of("backoff: { maxInterval: fast }", "backoff.maxInterval"),
        Arguments.of("backoff: { initialInterval: -1s }", "backoff.initialInterval"),
        Arguments.of("backoff: { maxIntervall: 5s }", "backoff.maxIntervall"),
        Arguments.of("retry: { on: [TIMEOUT, BANANA] }", "retry.on"),
        Arguments.of("retry: { on: [INVALID_INPUT] }", "retry.on"),
        Arguments.of("retry: { maxAttempts: 0 }", "retry.maxAttempts"),
        Arguments.of("queue: { capacity: -1 }", "queue.capacity"),
        Arguments.of("http: { port: abc }", "http.port"),
        Arguments.of("http: { port: 70000 }", "http.port"),
        Arguments.of("http: { bodyLimit: 0 }", "http.bodyLimit"),
        Arguments.of("http: { bodyLimit: huge }", "http.bodyLimit"),
        Arguments.of("http: { hots: 0.0.0.0 }", "http.hots"),
        Arguments.of("node: { opts: x }", "node.opts"),
        Arguments.of("toolOverrides: [x]", "toolOverrides"),
        Arguments.of("toolOverrides: { x: fresh }", "toolOverrides.x"),
        Arguments.of("toolOverrides: { x: { isolation: \"recycle:0\" } }", "toolOverrides.x.isolation"),
        Arguments.of("toolOverrides: { x: { runtime: nodejs } }", "toolOverrides.x.runtime"),
        Arguments.of("toolOverrides: { x: { timeout: 10 seconds } }", "toolOverrides.x.timeout"),
        Arguments.of("toolOverrides: { x: { timeoutt: 1s } }", "toolOverrides.x.timeoutt"),
        Arguments.of("toolOverrides: { x: { config: 5 } }", "toolOverrides.x.config"),
        Arguments.of("toolOverrides: { x: { permissions: 5 } }", "toolOverrides.x.permissions"),
        Arguments.of("toolOverrides: { x: { permissions: { memory: lots } } }", "toolOverrides.x.permissions.memory"),
        Arguments.of("toolOverrides: { x: { permissions: { cpus: many } } }", "toolOverrides.x.permissions.cpus"),
        Arguments.of("toolOverrides: { x: { permissions: { cpus: -1 } } }", "toolOverrides.x.permissions.cpus"),
        Arguments.of("toolOverrides: { x: { permissions: { cpus: NaN } } }", "toolOverrides.x.permissions.cpus"),
        Arguments.of("toolOverrides: { x: { permissions: { cpus: Infinity } } }", "toolOverrides.x.permissions.cpus"),
        Arguments.of("toolOverrides: { x: { permissions: { subprocess: maybe } } }", "toolOverrides.x.permissions.subprocess"),
        Arguments.of("toolOverrides: { x: { permissions: { net: [{ host: a }] } } }", "toolOverrides.x.permissions.net"),
        Arguments.of("toolOverrides: { x: { permissions: { network: [] } } }", "toolOverrides.x.permissions.network"),
        Arguments.of("docker: { image: \"Node:22\" }", "docker.image"),
        Arguments.of("docker: { image: \"node:22 --privileged\" }", "docker.image"),
        Arguments.of("docker: { host: /var/run/docker.sock }", "docker.host"),
        Arguments.of("docker: { host: \"ssh://me@box\" }", "docker.host"),
        Arguments.of("toolOverrides: { x: { docker: { image: \"\" } } }", "toolOverrides.x.docker.image"),
        Arguments.of("toolOverrides: { x: { docker: { image: \"a b\" } } }", "toolOverrides.x.docker.image"),
        Arguments.of("toolOverrides: { x: { docker: { host: \"tcp://a:1\" } } }", "toolOverrides.x.docker.host"),
        Arguments.of("toolOverrides: { x: { image: node:22 } }", "toolOverrides.x.image"),
        Arguments.of("toolOverrides: { x: { permissions: { enforcement: lax } } }", "toolOverrides.x.permissions.enforcement"),
        Arguments.of("toolOverrides: { x: { permissions: { enforcement: [strict] } } }", "toolOverrides.x.permissions.enforcement"),
        Arguments.of("workerSandbox: firejail", "workerSandbox"),
        Arguments.of("permissions: { enforcement: lax }", "permissions.enforcement"),
        Arguments.of("permissions: { subprocess: true }", "permissions.subprocess"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFiles")
  void badValueInFileNamesItsFullKey(String yaml, String key) throws IOException {
    assertNamesKey(key, failure(file("toolhost.yaml", yaml + "\n"), Map.of(), Map.of()));
  }

  @Test
  void badEnvironmentValueNamesTheConfigurationKey() throws IOException {
    Path empty = file("empty.yaml", "");
    assertNamesKey("backoff.maxInterval", failure(empty, Map.of("TOOLHOST_BACKOFF_MAX_INTERVAL", "soon"), Map.of()));
    assertNamesKey("retry.on", failure(empty, Map.of("TOOLHOST_RETRY_ON", "TIMEOUT,NOPE"), Map.of()));
    assertNamesKey("runtime", failure(empty, Map.of("TOOLHOST_RUNTIME", "nodejs"), Map.of()));
  }

  @Test
  void badFlagNamesItsKey() throws IOException {
    Path empty = file("empty.yaml", "");
    assertNamesKey("isolation", failure(empty, Map.of(), Map.of("isolation", "recycle:x")));
    assertNamesKey("queue.capacity", failure(empty, Map.of(), Map.of("queue.capacity", "many")));
    assertNamesKey("timout", failure(empty, Map.of(), Map.of("timout", "5s")));
  }

  @Test
  void fileThatIsNotAMappingFails() throws IOException {
    String list = failure(file("list.yaml", "- a\n- b\n"), Map.of(), Map.of());
    assertNamesKey("--config", list);
    assertTrue(list.contains("mapping"), list);

    assertNamesKey("--config", failure(file("scalar.yaml", "just some text\n"), Map.of(), Map.of()));
  }

  @Test
  void malformedFileFails() throws IOException {
    String message = failure(file("broken.yaml", "timeout: [10s\n"), Map.of(), Map.of());
    assertNamesKey("--config", message);
    assertTrue(message.contains("broken.yaml"), message);
  }

  @Test
  void missingFileFailsNamingTheKeyThatChoseIt() {
    Path missing = dir.resolve("nope.yaml");

    String viaFlag = failure(missing, Map.of(), Map.of());
    assertNamesKey("--config", viaFlag);
    assertTrue(viaFlag.contains("nope.yaml"), viaFlag);

    String viaEnv = failure(null, Map.of("TOOLHOST_CONFIG", missing.toString()), Map.of());
    assertNamesKey("TOOLHOST_CONFIG", viaEnv);
    assertTrue(viaEnv.contains("nope.yaml"), viaEnv);
  }
}
