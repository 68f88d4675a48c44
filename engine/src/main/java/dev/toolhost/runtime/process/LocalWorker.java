package dev.toolhost.runtime.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;

/** A worker running as a local process; its output goes to its log file in the {@link WorkerHome}. */
final class LocalWorker implements LaunchedWorker {
  private static final int OUTPUT_TAIL_BYTES = 4096;

  private final Process process;
  private final boolean groupLeader;
  private final WorkerHome home;
  private final String id;

  LocalWorker(Process process, boolean groupLeader, WorkerHome home, String id) {
    this.process = process;
    this.groupLeader = groupLeader;
    this.home = home;
    this.id = id;
  }

  @Override
  public CompletionStage<WorkerExit> exit() {
    return process.onExit().thenApply(p -> WorkerExit.ofStatus(p.exitValue(), null, outputTail()));
  }

  @Override
  public void kill() {
    ProcessTree.kill(process, groupLeader);
  }

  @Override
  public boolean hasLeftovers() {
    return ProcessTree.hasLeftovers(process, groupLeader);
  }

  @Override
  public void forget() {
    home.forget(id);
  }

  private String outputTail() {
    try (RandomAccessFile file = new RandomAccessFile(home.logFile(id).toFile(), "r")) {
      long length = file.length();
      long start = Math.max(0, length - OUTPUT_TAIL_BYTES);
      byte[] bytes = new byte[(int) (length - start)];
      file.seek(start);
      file.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    }
  }
}
