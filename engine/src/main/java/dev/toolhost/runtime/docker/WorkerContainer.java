package dev.toolhost.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.WaitResponse;
import dev.toolhost.runtime.process.LaunchedWorker;
import dev.toolhost.runtime.process.WorkerExit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A started worker container. Its exit is watched with the daemon's wait call; on exit it is
 * inspected (the kernel's OOM kill shows only there) and the tail of its output is read from the
 * daemon's log. It is removed when its worker is forgotten.
 *
 * <p>Losing the daemon is not losing the container: frames travel over the bind-mounted channel
 * socket, so a call in flight goes on, and the wait is made again (with backoff) until the daemon
 * answers. Only a kill that cannot reach the daemon (a timeout, or the channel closing because
 * the container died with the daemon) ends the worker as "lost contact"; a container that could
 * not be removed then is handed to {@code unremoved}, to be removed once the daemon is back.
 */
final class WorkerContainer implements LaunchedWorker {
  /** docker-init and the worker: anything beyond them was started by a call. */
  private static final int WORKER_PROCESSES = 2;

  private static final long REWATCH_INITIAL_MS = 100;
  private static final long REWATCH_MAX_MS = 5_000;

  private final DockerClient client;
  private final String containerId;
  private final long memoryLimit;
  private final Consumer<String> unremoved;
  private final CompletableFuture<WorkerExit> exit = new CompletableFuture<>();

  WorkerContainer(DockerClient client, String containerId, long memoryLimit, Consumer<String> unremoved) {
    this.client = client;
    this.containerId = containerId;
    this.memoryLimit = memoryLimit;
    this.unremoved = unremoved;
  }

  /** Starts watching for the container's exit (the daemon's wait runs on a docker-java thread). */
  WorkerContainer watch() {
    watch(REWATCH_INITIAL_MS);
    return this;
  }

  private void watch(long nextDelayMs) {
    if (exit.isDone()) return;
    client.waitContainerCmd(containerId).exec(new ResultCallback.Adapter<WaitResponse>() {
      private Integer status;

      @Override
      public void onNext(WaitResponse response) {
        status = response.getStatusCode();
      }

      @Override
      public void onError(Throwable error) {
        if (error instanceof NotFoundException) {
          exit.complete(new WorkerExit(null, null, "the container was removed by someone else", null));
        } else {
          watchAgain();
        }
      }

      @Override
      public void onComplete() {
        if (status == null) {
          watchAgain();  // the daemon closed the wait without a status: it is stopping
        } else {
          exit.complete(exited(status));
        }
      }

      private void watchAgain() {
        CompletableFuture.delayedExecutor(nextDelayMs, TimeUnit.MILLISECONDS)
            .execute(() -> watch(Math.min(nextDelayMs * 2, REWATCH_MAX_MS)));
      }
    });
  }

  String containerId() {
    return containerId;
  }

  @Override
  public CompletionStage<WorkerExit> exit() {
    return exit;
  }

  @Override
  public void kill() {
    try {
      client.killContainerCmd(containerId).exec();
    } catch (NotFoundException | ConflictException e) {
      // not running any more: its exit is being reported
    } catch (RuntimeException e) {
      // the daemon cannot be reached: nobody can say how the container ends, so the worker ends here
      exit.complete(new WorkerExit(null, null, "lost contact with the Docker daemon ("
          + String.valueOf(e.getMessage()).strip() + ")", null));
    }
  }

  @Override
  public boolean hasLeftovers() {
    try {
      String[][] processes = client.topContainerCmd(containerId).exec().getProcesses();
      return processes != null && processes.length > WORKER_PROCESSES;
    } catch (RuntimeException e) {
      return true;  // cannot tell: do not reuse it
    }
  }

  @Override
  public void forget() {
    try {
      ContainerReaper.remove(client, containerId);
    } catch (RuntimeException e) {
      unremoved.accept(containerId);  // the daemon is unreachable
    }
  }

  private WorkerExit exited(int status) {
    String cause = null;
    try {
      InspectContainerResponse.ContainerState state = client.inspectContainerCmd(containerId).exec().getState();
      if (Boolean.TRUE.equals(state.getOOMKilled())) {
        cause = "out of memory: the container was killed at its memory limit of " + (memoryLimit >> 20) + " MiB (OOMKilled)";
      }
    } catch (RuntimeException e) {
      // removed meanwhile: the status is all there is
    }
    return WorkerExit.ofStatus(status, cause, ContainerOutput.tail(client, containerId));
  }
}
