package dev.toolhost.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * The {@code sandbox} block: how many sandboxes may live at once, when an unused one is torn
 * down, the defaults of their limits, where local sandboxes keep their files, and whether local
 * processes run in bubblewrap ({@code auto}: when it is installed; {@code off}: plain processes),
 * and the image docker sandboxes run when their spec names none ({@code docker.image}).
 */
public record SandboxSettings(
    int maxLive, Duration idleTimeout, Duration timeout, long outputLimitBytes, long fileLimitBytes,
    boolean network, String bubblewrap, Path dir, String dockerImage) {
  static final Set<String> BUBBLEWRAP_MODES = Set.of("auto", "off");

  static SandboxSettings from(ConfigTree tree) {
    tree.rejectUnknown(Set.of("maxLive", "idleTimeout", "timeout", "outputLimit", "fileLimit", "network",
        "bubblewrap", "dir", "docker"));
    // YAML 1.1 reads an unquoted `off` as false
    String bubblewrap = "false".equals(tree.text("bubblewrap")) ? "off" : tree.text("bubblewrap");
    if (!BUBBLEWRAP_MODES.contains(bubblewrap)) {
      throw new ConfigException(tree.key("bubblewrap"), "expected one of " + BUBBLEWRAP_MODES + ", got '" + bubblewrap + "'");
    }
    ConfigTree docker = tree.child("docker");
    docker.rejectUnknown(Set.of("image"));
    return new SandboxSettings(tree.integer("maxLive", 1), EngineConfig.positive(tree, "idleTimeout"),
        EngineConfig.positive(tree, "timeout"),
        EngineConfig.positiveBytes(tree, "outputLimit"),
        EngineConfig.positiveBytes(tree, "fileLimit"), tree.bool("network"), bubblewrap,
        Path.of(tree.text("dir")), docker.text("image"));
  }
}
