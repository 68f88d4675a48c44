package dev.toolhost.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolhost.api.Json;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.function.Consumer;

/**
 * An environment an agent keeps for a while: files under one root, commands and code run in it,
 * a dev server watched until its port opens. Every path is relative to the root; one that
 * leaves it ({@code ..}, absolute, a symlink pointing out) fails with INVALID_REQUEST. Every
 * method returns at once; failures are {@link dev.toolhost.api.ToolException}s. After
 * {@link #teardown()} every call fails with INVALID_REQUEST.
 */
public interface Sandbox {
  String id();

  /** The strategy that backs it: {@code local}, {@code docker}, ... */
  String type();

  /** Makes the sandbox usable; the manager calls it once before handing the sandbox out. */
  Future<Void> boot();

  /** Booted and not torn down. */
  boolean isReady();

  /** Writes every file of {@code tree} (directories made as needed), replacing files of the same path. */
  Future<Void> mount(FileTree tree);

  Future<Void> writeFile(String path, Buffer content);

  Future<Buffer> readFile(String path);

  /** Deletes a file, or a directory with everything in it. */
  Future<Void> deleteFile(String path);

  /** Everything under {@code path} ({@code ""} for the root), recursively, directories included. */
  Future<List<FileEntry>> list(String path);

  /** Starts {@code command} with {@code args}; the handle streams its output and gives its exit code. */
  Future<SandboxProcess> exec(String command, List<String> args, ExecOptions options);

  /**
   * Starts a snippet of {@code language}; the handle can kill it. A missing interpreter is
   * RUNTIME_UNAVAILABLE naming it. The snippet's file goes when the process ends.
   */
  Future<SandboxProcess> startExecution(String code, Language language, ExecOptions options);

  /** Runs a snippet of {@code language} to its end. */
  default Future<ExecutionResult> execute(String code, Language language, ExecOptions options) {
    return startExecution(code, language, options).compose(SandboxProcess::result).map(ExecutionResult::of);
  }

  /** Installs what the project at the root declares (package.json, requirements.txt), one installer after another. */
  Future<List<ExecResult>> installDependencies();

  /** Starts a server and completes once its port accepts connections (or fails with its log tail). */
  Future<DevServer> startDevServer(DevServerRequest request);

  /** Tells {@code listener} of server-ready, process-exit and error events until the registration is cancelled. */
  Registration onEvent(Consumer<SandboxEvent> listener);

  /** Kills every process with all its children and removes the sandbox's files. Idempotent. */
  Future<Void> teardown();

  /** {@code {id, type, status}} ({@code ready} or {@code stopped}), as every transport describes it. */
  default ObjectNode toJson() {
    return Json.MAPPER.createObjectNode().put("id", id()).put("type", type()).put("status", isReady() ? "ready" : "stopped");
  }

  /** Stops a listener's events. */
  @FunctionalInterface
  interface Registration {
    void cancel();
  }
}
