package dev.toolhost.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads the configuration with DESIGN.md's precedence: built-in defaults &lt; config file &lt;
 * {@code TOOLHOST_*} environment &lt; CLI flags. Per-call fields override later, in the engine.
 */
public final class ConfigLoader {
  /** The default file, used when present and no other file is named. */
  public static final Path DEFAULT_FILE = Path.of("config", "toolhost.yaml");

  /** Environment variable to configuration key; TOOLHOST_CONFIG names the file itself. */
  private static final Map<String, String> ENV_KEYS = Map.ofEntries(
      Map.entry("TOOLHOST_RUNTIME", "runtime"),
      Map.entry("TOOLHOST_TOOLS", "tools"),
      Map.entry("TOOLHOST_TOOL_TIMEOUT", "timeout"),
      Map.entry("TOOLHOST_DRAIN_TIMEOUT", "drainTimeout"),
      Map.entry("TOOLHOST_OUTPUT_LIMIT", "outputLimit"),
      Map.entry("TOOLHOST_LOG_LIMIT", "logLimit"),
      Map.entry("TOOLHOST_ISOLATION", "isolation"),
      Map.entry("TOOLHOST_POOL_SIZE", "poolSize"),
      Map.entry("TOOLHOST_QUEUE_CAPACITY", "queue.capacity"),
      Map.entry("TOOLHOST_BACKOFF_INITIAL_INTERVAL", "backoff.initialInterval"),
      Map.entry("TOOLHOST_BACKOFF_MAX_INTERVAL", "backoff.maxInterval"),
      Map.entry("TOOLHOST_BACKOFF_MAX_ELAPSED_TIME", "backoff.maxElapsedTime"),
      Map.entry("TOOLHOST_RETRY_MAX_ATTEMPTS", "retry.maxAttempts"),
      Map.entry("TOOLHOST_RETRY_ON", "retry.on"),
      Map.entry("TOOLHOST_HTTP_HOST", "http.host"),
      Map.entry("TOOLHOST_HTTP_PORT", "http.port"),
      Map.entry("TOOLHOST_HTTP_TOKEN", "http.token"),
      Map.entry("TOOLHOST_HTTP_BODY_LIMIT", "http.bodyLimit"),
      Map.entry("TOOLHOST_NODE_PATH", "node.path"),
      Map.entry("TOOLHOST_NODE_OPTIONS", "node.options"),
      Map.entry("TOOLHOST_BUN_PATH", "bun.path"),
      Map.entry("TOOLHOST_DOCKER_IMAGE", "docker.image"),
      Map.entry("TOOLHOST_DOCKER_HOST", "docker.host"),
      Map.entry("TOOLHOST_GRAALJS_STATEMENT_LIMIT", "graaljs.statementLimit"),
      Map.entry("TOOLHOST_GRAALJS_IDLE_SPIN", "graaljs.idleSpin"),
      Map.entry("TOOLHOST_WORKER_SANDBOX", "workerSandbox"),
      Map.entry("TOOLHOST_PERMISSIONS_ENFORCEMENT", "permissions.enforcement"),
      Map.entry("TOOLHOST_ESBUILD_PATH", "bundle.esbuild"),
      Map.entry("TOOLHOST_BUNDLE_CACHE_DIR", "bundle.cacheDir"),
      Map.entry("TOOLHOST_SANDBOX_MAX_LIVE", "sandbox.maxLive"),
      Map.entry("TOOLHOST_SANDBOX_IDLE_TIMEOUT", "sandbox.idleTimeout"),
      Map.entry("TOOLHOST_SANDBOX_TIMEOUT", "sandbox.timeout"),
      Map.entry("TOOLHOST_SANDBOX_NETWORK", "sandbox.network"),
      Map.entry("TOOLHOST_SANDBOX_BUBBLEWRAP", "sandbox.bubblewrap"),
      Map.entry("TOOLHOST_SANDBOX_DIR", "sandbox.dir"),
      Map.entry("TOOLHOST_SANDBOX_DOCKER_IMAGE", "sandbox.docker.image"),
      Map.entry("TOOLHOST_MCP_SANDBOX_TOOLS", "mcp.sandboxTools"));

  private static final YAMLMapper YAML = new YAMLMapper();

  private ConfigLoader() {}

  /**
   * @param file the config file named by {@code --config}, or null for TOOLHOST_CONFIG or the
   *     default file when it exists
   * @param env the process environment (only TOOLHOST_* keys are read)
   * @param flags CLI flags as dotted keys, e.g. {@code runtime} or {@code backoff.maxInterval}
   */
  public static EngineConfig load(Path file, Map<String, String> env, Map<String, String> flags) {
    ObjectNode merged = defaults(env);
    String fromEnv = env.get("TOOLHOST_CONFIG");
    boolean envChoice = file == null && fromEnv != null && !fromEnv.isEmpty();
    Path chosen = file != null ? file
        : envChoice ? Path.of(fromEnv)
        : Files.exists(DEFAULT_FILE) ? DEFAULT_FILE : null;
    if (chosen != null) merge(merged, readFile(envChoice ? "TOOLHOST_CONFIG" : "--config", chosen));
    ENV_KEYS.forEach((var, key) -> {
      String value = env.get(var);
      if (value != null && !value.isEmpty()) put(merged, key, value);
    });
    flags.forEach((key, value) -> put(merged, key, value));
    return EngineConfig.from(merged);
  }

  private static ObjectNode defaults(Map<String, String> env) {
    ObjectNode d = YAML.createObjectNode();
    d.put("runtime", "graaljs");  // in-process: needs nothing installed
    d.put("tools", "sample-tools");
    d.put("timeout", "60s");
    d.put("drainTimeout", "10s");  // how long shutdown waits for calls in flight
    d.put("outputLimit", "10MiB");
    d.put("logLimit", "1MiB");
    d.put("isolation", "reuse");
    d.putObject("queue").put("capacity", 1024);
    d.putObject("backoff").put("initialInterval", "100ms").put("maxInterval", "5s").put("maxElapsedTime", "30s");
    ObjectNode retry = d.putObject("retry").put("maxAttempts", 3);
    retry.putArray("on").add("PROCESS_ERROR").add("RUNTIME_UNAVAILABLE");
    d.putObject("http").put("host", "127.0.0.1").put("port", 8080).put("bodyLimit", "1MiB");
    d.putObject("node").put("path", "node");
    String dockerHost = env.get("DOCKER_HOST");  // the Docker CLI's own variable, below TOOLHOST_DOCKER_HOST
    d.putObject("docker").put("image", "node:22-slim")
        .put("host", dockerHost == null || dockerHost.isBlank() ? "unix:///var/run/docker.sock" : dockerHost);
    d.put("workerSandbox", "auto");  // bubblewrap for subprocess workers wherever it works
    d.putObject("permissions").put("enforcement", "strict");  // a policy part no mechanism holds refuses the tool
    // a runaway loop is stopped by the deadline; this bounds one that a long deadline would let run
    // a guest thread that spins this long after a call takes the next one without a wake-up (GuestThreads)
    d.putObject("graaljs").put("statementLimit", 1_000_000_000L).put("idleSpin", "100us");
    d.putObject("bundle").put("cacheDir", userCacheDir(env).toString());
    // sandboxes install dependencies and serve dev servers to the host, so they reach the network by default
    d.putObject("sandbox").put("maxLive", 16).put("idleTimeout", "15m").put("timeout", "60s")
        .put("outputLimit", "10MiB").put("fileLimit", "64MiB").put("network", true).put("bubblewrap", "auto")
        .put("dir", Path.of(System.getProperty("java.io.tmpdir"), "toolhost-sandboxes").toString())
        .putObject("docker").put("image", "toolhost/sandbox:local");  // config/docker/build-sandbox-image.sh makes it
    d.putObject("mcp").put("sandboxTools", true);  // execute_code and run_command beside the catalog's tools
    return d;
  }

  /**
   * {@code $XDG_CACHE_HOME/toolhost} or {@code ~/.cache/toolhost}: bundles cached there survive
   * restarts (the point of caching) and stay private to the user (in a shared temp directory,
   * another user could plant code the engine would run).
   */
  private static Path userCacheDir(Map<String, String> env) {
    String xdg = env.get("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
        ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("toolhost");
  }

  private static ObjectNode readFile(String key, Path file) {
    JsonNode node;
    try {
      node = YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new ConfigException(key, "cannot read " + file + ": " + e.getMessage());
    }
    if (node == null || node.isMissingNode() || node.isNull()) return YAML.createObjectNode();
    if (!node.isObject()) throw new ConfigException(key, file + " must hold a mapping of keys");
    return (ObjectNode) node;
  }

  private static void merge(ObjectNode into, ObjectNode from) {
    for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isNull()) continue;  // `key: null` (or `key: ~`) keeps the default
      JsonNode existing = into.get(e.getKey());
      if (existing instanceof ObjectNode target && e.getValue() instanceof ObjectNode source) {
        merge(target, source);
      } else {
        into.set(e.getKey(), e.getValue());
      }
    }
  }

  private static void put(ObjectNode root, String dottedKey, String value) {
    String[] parts = dottedKey.split("\\.");
    ObjectNode node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode child = node.get(parts[i]);
      node = child instanceof ObjectNode o ? o : node.putObject(parts[i]);
    }
    node.put(parts[parts.length - 1], value);
  }
}
