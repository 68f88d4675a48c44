package dev.toolhost.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The engine's whole configuration, immutable; read it with {@link ConfigLoader}. */
public record EngineConfig(
    String runtime,
    Path tools,
    Duration timeout,
    Duration drainTimeout,
    long outputLimitBytes,
    long logLimitBytes,
    Isolation isolation,
    int poolSize,
    int queueCapacity,
    Backoff backoff,
    int retryMaxAttempts,
    Set<String> retryOn,
    String httpHost,
    int httpPort,
    String httpToken,
    long httpBodyLimitBytes,
    String nodePath,
    List<String> nodeOptions,
    String bunPath,
    String dockerImage,
    URI dockerHost,
    long graalStatementLimit,
    Duration graalIdleSpin,
    SandboxMode workerSandbox,
    Enforcement enforcement,
    String esbuildPath,
    Path bundleCacheDir,
    Map<String, ToolSettings> toolOverrides,
    SandboxSettings sandbox,
    boolean mcpSandboxTools) {

  static final Set<String> KNOWN_RUNTIMES = Set.of("node", "bun", "graaljs", "docker");
  /** A Docker image reference: [registry[:port]/]name[/name...][:tag][@digest], as the Docker CLI accepts it. */
  private static final Pattern IMAGE_REFERENCE = Pattern.compile(
      "([a-zA-Z0-9.-]+(:[0-9]+)?/)?[a-z0-9]+([._-]+[a-z0-9]+)*(/[a-z0-9]+([._-]+[a-z0-9]+)*)*"
          + "(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?");
  private static final Set<String> DOCKER_HOST_SCHEMES = Set.of("unix", "tcp");
  private static final Set<String> ERROR_TYPES =
      Set.of("TOOL_ERROR", "INVALID_OUTPUT", "TIMEOUT", "PROCESS_ERROR", "RUNTIME_UNAVAILABLE",
          "OUTPUT_LIMIT_EXCEEDED", "PERMISSION_DENIED");

  public EngineConfig {
    nodeOptions = List.copyOf(nodeOptions);
    retryOn = Set.copyOf(retryOn);
    toolOverrides = Map.copyOf(toolOverrides);
  }

  /** A tool's overrides; a tool without any gets the {@link #defaultPolicy()}. */
  public ToolSettings settingsFor(String tool) {
    ToolSettings settings = toolOverrides.get(tool);
    return settings != null ? settings : new ToolSettings(null, null, null, null, defaultPolicy(), null);
  }

  /** The policy of a tool without its own: everything refused, held as {@code permissions.enforcement} says. */
  public PermissionPolicy defaultPolicy() {
    return defaultPolicy(enforcement);
  }

  /** The image the docker runtime runs a tool's workers from: the tool's own, else the engine's. */
  public String dockerImageFor(String tool) {
    String own = settingsFor(tool).dockerImage();
    return own != null ? own : dockerImage;
  }

  /** Binds a merged configuration tree; a bad value fails naming its key. */
  static EngineConfig from(ObjectNode merged) {
    ConfigTree root = new ConfigTree("", merged);
    root.rejectUnknown(Set.of("runtime", "tools", "timeout", "drainTimeout", "outputLimit", "logLimit", "isolation",
        "poolSize", "queue", "backoff", "retry", "http", "node", "bun", "docker", "graaljs", "bundle", "workerSandbox",
        "permissions", "toolOverrides", "sandbox", "mcp"));
    ConfigTree backoff = root.child("backoff");
    backoff.rejectUnknown(Set.of("initialInterval", "maxInterval", "maxElapsedTime"));
    ConfigTree retry = root.child("retry");
    retry.rejectUnknown(Set.of("maxAttempts", "on"));
    ConfigTree queue = root.child("queue");
    queue.rejectUnknown(Set.of("capacity"));
    ConfigTree http = root.child("http");
    http.rejectUnknown(Set.of("host", "port", "token", "bodyLimit"));
    ConfigTree node = root.child("node");
    node.rejectUnknown(Set.of("path", "options"));
    ConfigTree bun = root.child("bun");
    bun.rejectUnknown(Set.of("path"));
    ConfigTree docker = root.child("docker");
    docker.rejectUnknown(Set.of("image", "host"));
    ConfigTree graaljs = root.child("graaljs");
    graaljs.rejectUnknown(Set.of("statementLimit", "idleSpin"));
    ConfigTree bundle = root.child("bundle");
    ConfigTree permissions = root.child("permissions");
    permissions.rejectUnknown(Set.of("enforcement"));
    Enforcement enforcement = Enforcement.parse(permissions.key("enforcement"), permissions.text("enforcement"));
    bundle.rejectUnknown(Set.of("esbuild", "cacheDir"));
    ConfigTree mcp = root.child("mcp");
    mcp.rejectUnknown(Set.of("sandboxTools"));

    Set<String> retryOn = new LinkedHashSet<>(retry.strings("on"));
    for (String type : retryOn) {
      if (!ERROR_TYPES.contains(type)) {
        throw new ConfigException(retry.key("on"), "'" + type + "' is not a retryable error type; use " + ERROR_TYPES);
      }
    }
    String options = node.text("options");
    return new EngineConfig(
        runtimeName(root, "runtime"),
        Path.of(root.text("tools")),
        positive(root, "timeout"),
        positive(root, "drainTimeout"),
        positiveBytes(root, "outputLimit"),
        positiveBytes(root, "logLimit"),
        Isolation.parse(root.key("isolation"), root.text("isolation")),
        root.has("poolSize") ? root.integer("poolSize", 1) : Runtime.getRuntime().availableProcessors(),
        queue.integer("capacity", 1),
        new Backoff(positive(backoff, "initialInterval"), positive(backoff, "maxInterval"),
            positive(backoff, "maxElapsedTime")),
        retry.integer("maxAttempts", 1),
        retryOn,
        http.text("host"),
        port(http, "port"),
        http.text("token"),
        positiveBytes(http, "bodyLimit"),
        node.text("path"),
        options == null || options.isBlank() ? List.of() : List.of(options.trim().split("\\s+")),
        bun.text("path"),
        imageReference(docker, "image"),
        dockerHost(docker, "host"),
        graaljs.longInteger("statementLimit", 0),
        graaljs.duration("idleSpin"),
        SandboxMode.parse(root.key("workerSandbox"), root.text("workerSandbox")),
        enforcement,
        bundle.text("esbuild"),
        Path.of(bundle.text("cacheDir")),
        overrides(root.child("toolOverrides"), enforcement),
        SandboxSettings.from(root.child("sandbox")),
        mcp.bool("sandboxTools"));
  }

  private static String runtimeName(ConfigTree tree, String name) {
    String value = tree.text(name);
    if (value != null && !KNOWN_RUNTIMES.contains(value)) {
      throw new ConfigException(tree.key(name), "unknown runtime '" + value + "'; use one of " + KNOWN_RUNTIMES);
    }
    return value;
  }

  private static String imageReference(ConfigTree tree, String name) {
    String value = tree.text(name);
    if (value != null && !IMAGE_REFERENCE.matcher(value).matches()) {
      throw new ConfigException(tree.key(name), "'" + value + "' is not a Docker image reference "
          + "(such as node:22-slim or toolhost/node-worker:local)");
    }
    return value;
  }

  private static URI dockerHost(ConfigTree tree, String name) {
    String value = tree.text(name);
    try {
      URI uri = new URI(value);
      if (DOCKER_HOST_SCHEMES.contains(uri.getScheme())) return uri;
    } catch (URISyntaxException | NullPointerException e) {
      // reported below
    }
    throw new ConfigException(tree.key(name), "expected unix:///path/to/docker.sock or tcp://host:port, got '" + value + "'");
  }

  private static int port(ConfigTree tree, String name) {
    int port = tree.integer(name, 0);
    if (port > 65535) throw new ConfigException(tree.key(name), "expected a port of 0-65535, got " + port);
    return port;
  }

  static Duration positive(ConfigTree tree, String name) {
    Duration d = tree.duration(name);
    if (d == null || d.isZero()) throw new ConfigException(tree.key(name), "must be a positive duration");
    return d;
  }

  static long positiveBytes(ConfigTree tree, String name) {
    long n = tree.bytes(name);
    if (n <= 0) throw new ConfigException(tree.key(name), "must be a positive size");
    return n;
  }

  private static Map<String, ToolSettings> overrides(ConfigTree tree, Enforcement enforcement) {
    Map<String, ToolSettings> out = new LinkedHashMap<>();
    for (Iterator<String> it = tree.names(); it.hasNext(); ) {
      String tool = it.next();
      ConfigTree t = tree.child(tool);
      t.rejectUnknown(Set.of("runtime", "timeout", "isolation", "config", "permissions", "docker"));
      ConfigTree docker = t.child("docker");
      docker.rejectUnknown(Set.of("image"));
      JsonNode config = t.raw("config");
      if (config != null && !config.isNull() && !config.isObject()) {
        throw new ConfigException(t.key("config"), "expected an object (it becomes ctx.config)");
      }
      out.put(tool, new ToolSettings(
          runtimeName(t, "runtime"),
          t.has("timeout") ? positive(t, "timeout") : null,
          t.has("isolation") ? Isolation.parse(t.key("isolation"), t.text("isolation")) : null,
          config == null || config.isNull() ? null : config,
          permissions(t.child("permissions"), enforcement),
          imageReference(docker, "image")));
    }
    return out;
  }

  /** Everything refused, held as {@code enforcement} says. */
  private static PermissionPolicy defaultPolicy(Enforcement enforcement) {
    return new PermissionPolicy(List.of(), List.of(), List.of(), null, false, 0, 0, enforcement);
  }

  /** A tool's policy; its enforcement defaults to the engine's. */
  private static PermissionPolicy permissions(ConfigTree p, Enforcement enforcement) {
    p.rejectUnknown(Set.of("fsRead", "fsWrite", "net", "env", "subprocess", "memory", "cpus", "enforcement"));
    double cpus = 0;
    if (p.has("cpus")) {
      try {
        cpus = Double.parseDouble(p.text("cpus"));
      } catch (NumberFormatException e) {
        cpus = Double.NaN;
      }
      if (!(cpus >= 0) || Double.isInfinite(cpus)) {
        throw new ConfigException(p.key("cpus"), "expected a number >= 0, got '" + p.text("cpus") + "'");
      }
    }
    return new PermissionPolicy(p.strings("fsRead"), p.strings("fsWrite"), p.strings("net"),
        p.has("env") ? p.strings("env") : null, p.bool("subprocess"), p.bytes("memory"), cpus,
        p.has("enforcement") ? Enforcement.parse(p.key("enforcement"), p.text("enforcement")) : enforcement);
  }
}
