package dev.toolhost.runtime.docker;

import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import dev.toolhost.config.PermissionPolicy;
import java.util.List;
import java.util.Map;

/**
 * The host configuration of every worker container: no network, a read-only root with a small
 * tmpfs /tmp, no capabilities, no privilege gain, an init that reaps zombies, and memory, CPU
 * and process limits from the policy (defaults where it sets none).
 */
public final class ContainerHardening {
  static final long DEFAULT_MEMORY_BYTES = 512L << 20;
  static final double DEFAULT_CPUS = 1.0;
  /** Node alone runs about a dozen threads, which count as pids; a fork bomb stops here. */
  public static final long PIDS_LIMIT = 64;
  public static final String TMPFS_OPTIONS = "rw,nosuid,nodev,size=64m";
  /** Docker keeps what a container prints; a tool printing 100 MB must not fill the disk. */
  static final Map<String, String> LOG_OPTIONS = Map.of("max-size", "1m", "max-file", "1");

  private ContainerHardening() {}

  public static HostConfig hostConfig(PermissionPolicy policy, List<Bind> binds) {
    long memory = memoryLimit(policy);
    double cpus = policy.cpus() > 0 ? policy.cpus() : DEFAULT_CPUS;
    return HostConfig.newHostConfig()
        .withNetworkMode("none")
        .withReadonlyRootfs(true)
        .withTmpFs(Map.of("/tmp", TMPFS_OPTIONS))
        .withCapDrop(Capability.ALL)
        .withSecurityOpts(List.of("no-new-privileges"))
        .withInit(true)
        .withPidsLimit(PIDS_LIMIT)
        .withMemory(memory)
        .withMemorySwap(memory)  // equal to memory: no swap, so the limit is a hard one
        .withNanoCPUs((long) (cpus * 1e9))
        .withLogConfig(new LogConfig(LogConfig.LoggingType.JSON_FILE, LOG_OPTIONS))
        .withBinds(binds);
  }

  static long memoryLimit(PermissionPolicy policy) {
    return policy.memoryBytes() > 0 ? policy.memoryBytes() : DEFAULT_MEMORY_BYTES;
  }
}
