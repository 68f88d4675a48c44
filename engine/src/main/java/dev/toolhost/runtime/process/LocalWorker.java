package dev.toolhost.runtime.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;

/**
 * A worker running as a local process, launched by a {@link LaunchRecipe} that says how to tell
 * its exit causes and what to release after it; its output goes to its log file in the {@link WorkerHome}.
 */
final class LocalWorker implements LaunchedWorker {
  private static final int OUTPUT_TAIL_BYTES = 4096;

  private final Process process;
  private final LaunchRecipe recipe;
  private final WorkerHome home;
  private final String id;

  LocalWorker(Process process, LaunchRecipe recipe, WorkerHome home, String id) {
    this.process = process;
    this.recipe = recipe;
    this.home = home;
    this.id = id;
  }

  @Override
  public CompletionStage<WorkerExit> exit() {
    return process.onExit().thenApply(p -> {
      String tail = outputTail();
      return WorkerExit.ofStatus(p.exitValue(), recipe.exitCause(id, tail), tail);
    });
  }

  @Override
  public void kill() {
    ProcessTree.kill(process, recipe.groupLeader());
  }

  @Override
  public boolean hasLeftovers() {
    return ProcessTree.hasLeftovers(process, recipe.groupLeader(), recipe.launchDescendants());
  }

  @Override
  public void forget() {
    home.forget(id);
    recipe.release(id);
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
