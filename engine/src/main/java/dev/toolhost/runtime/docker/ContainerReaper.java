package dev.toolhost.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import java.util.List;
import java.util.Map;

/** Removes worker containers nobody will use again: an earlier crashed instance's, or this instance's at shutdown. Blocking. */
public final class ContainerReaper {
  private static final long REMOVAL_WAIT_NANOS = 10_000_000_000L;

  private ContainerReaper() {}

  /** Removes containers left by engine processes of this host that are gone; returns how many. */
  public static int removeLeftovers(DockerClient client, InstanceLabels labels) {
    int removed = 0;
    for (Container c : workerContainers(client, Map.of())) {
      if (labels.ownerIsGone(c.getLabels())) {
        remove(client, c.getId());
        removed++;
      }
    }
    return removed;
  }

  /** Removes every container of this instance. */
  public static void removeOwn(DockerClient client, InstanceLabels labels) {
    for (Container c : workerContainers(client, Map.of(InstanceLabels.INSTANCE, labels.instance()))) {
      remove(client, c.getId());
    }
  }

  /** Removes a container; when another caller is already removing it, waits (boundedly) until it is gone. */
  public static void remove(DockerClient client, String containerId) {
    try {
      client.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException e) {
      // already gone
    } catch (ConflictException e) {
      awaitGone(client, containerId);
    }
  }

  private static void awaitGone(DockerClient client, String containerId) {
    long deadline = System.nanoTime() + REMOVAL_WAIT_NANOS;
    try {
      while (System.nanoTime() < deadline) {
        client.inspectContainerCmd(containerId).exec();
        Thread.sleep(50);
      }
    } catch (NotFoundException e) {
      // gone
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static List<Container> workerContainers(DockerClient client, Map<String, String> labelValues) {
    var list = client.listContainersCmd().withShowAll(true);
    return labelValues.isEmpty()
        ? list.withLabelFilter(List.of(InstanceLabels.WORKER)).exec()
        : list.withLabelFilter(labelValues).exec();
  }
}
