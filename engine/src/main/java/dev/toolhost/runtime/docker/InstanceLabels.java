package dev.toolhost.runtime.docker;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.UUID;

/**
 * The labels that tie a container to the engine instance that made it: the instance id (to
 * remove its own on shutdown) and the host and pid of its process (to recognise the leftovers of
 * an instance that crashed).
 */
public final class InstanceLabels {
  static final String INSTANCE = "dev.toolhost.instance";
  static final String HOST = "dev.toolhost.host";
  static final String PID = "dev.toolhost.pid";
  static final String WORKER = "dev.toolhost.worker";

  private final String instance = UUID.randomUUID().toString();
  private final String host = hostName();
  private final long pid = ProcessHandle.current().pid();

  public String instance() {
    return instance;
  }

  public Map<String, String> forWorker(String workerId) {
    return Map.of(INSTANCE, instance, HOST, host, PID, Long.toString(pid), WORKER, workerId);
  }

  /** Whether a container with these labels belongs to an engine process of this host that is gone. */
  boolean ownerIsGone(Map<String, String> labels) {
    if (!host.equals(labels.get(HOST)) || instance.equals(labels.get(INSTANCE))) return false;
    try {
      return ProcessHandle.of(Long.parseLong(labels.getOrDefault(PID, ""))).isEmpty();
    } catch (NumberFormatException e) {
      return false;  // not labelled by us: somebody else's to clean
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
