package dev.toolhost.sandbox.local;

import dev.toolhost.api.InvalidRequest;
import dev.toolhost.api.NotFound;
import dev.toolhost.api.OutputLimitExceeded;
import dev.toolhost.api.RuntimeUnavailable;
import dev.toolhost.api.ToolException;
import dev.toolhost.sandbox.DevServer;
import dev.toolhost.sandbox.DevServerRequest;
import dev.toolhost.sandbox.ExecOptions;
import dev.toolhost.sandbox.ExecResult;
import dev.toolhost.sandbox.FileEntry;
import dev.toolhost.sandbox.FileTree;
import dev.toolhost.sandbox.Language;
import dev.toolhost.sandbox.SandboxEnv;
import dev.toolhost.sandbox.SandboxEvent;
import dev.toolhost.sandbox.SandboxProcess;
import dev.toolhost.sandbox.SandboxSpec;
import dev.toolhost.sandbox.spi.DependencyInstaller;
import dev.toolhost.sandbox.spi.DevServerWatch;
import dev.toolhost.sandbox.spi.OutputCapture;
import dev.toolhost.sandbox.spi.PortProbe;
import dev.toolhost.sandbox.spi.SandboxBase;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A sandbox in a private directory on the host ({@link SandboxDirs}). Its file calls and process
 * starts run on worker threads; process output and events come on the context it was created on.
 * Processes get a cleared environment: PATH, HOME, LANG, TMPDIR, then the sandbox's env, then the
 * command's — never the engine's own.
 */
final class LocalSandbox extends SandboxBase {
  private static final int LOG_TAIL_CHARS = 2000;

  private final LocalSandboxStrategy strategy;
  private final SandboxDirs dirs;
  private final Set<LocalProcess> processes = ConcurrentHashMap.newKeySet();
  private volatile RootedPaths paths;

  LocalSandbox(String id, SandboxSpec spec, LocalSandboxStrategy strategy, Context context) {
    super(id, spec, context);
    this.strategy = strategy;
    this.dirs = SandboxDirs.under(strategy.base().resolve(id));
  }

  @Override public String type() { return "local"; }

  @Override
  public Future<Void> boot() {
    if (isTornDown()) return tornDown();
    return blocking(() -> {
      for (Path dir : List.of(dirs.workspace(), dirs.home(), dirs.snippets())) Files.createDirectories(dir);
      paths = new RootedPaths(dirs.workspace().toRealPath());
      booted();
      return null;
    });
  }

  @Override
  public Future<Void> mount(FileTree tree) {
    return whenReady(() -> {
      // every path is checked before anything is written: a bad one leaves the sandbox as it was
      Map<Path, Buffer> targets = new LinkedHashMap<>();
      tree.files().forEach((path, content) -> {
        checkSize(path, content);
        targets.put(paths.resolveEntry(path), content);
      });
      for (Map.Entry<Path, Buffer> e : targets.entrySet()) write(e.getKey(), e.getValue());
      return null;
    });
  }

  @Override
  public Future<Void> writeFile(String path, Buffer content) {
    return whenReady(() -> {
      checkSize(path, content);
      write(paths.resolveEntry(path), content);
      return null;
    });
  }

  @Override
  public Future<Buffer> readFile(String path) {
    return whenReady(() -> {
      Path file = paths.resolveEntry(path);
      if (!Files.isRegularFile(file)) throw notFound(path, "file", "file");
      long size = Files.size(file);
      if (size > spec.limits().fileLimitBytes()) {
        throw new ToolException(new OutputLimitExceeded("file '" + path + "' is " + size + " bytes, over the sandbox's file limit of "
            + spec.limits().fileLimitBytes() + " bytes (sandbox.fileLimit); read it in parts with exec", spec.limits().fileLimitBytes(), "file"));
      }
      return Buffer.buffer(Files.readAllBytes(file));
    });
  }

  @Override
  public Future<Void> deleteFile(String path) {
    return whenReady(() -> {
      Path target = paths.resolveEntry(path);
      if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) throw notFound(path, "file or directory", "path");
      deleteTree(target);
      return null;
    });
  }

  @Override
  public Future<List<FileEntry>> list(String path) {
    return whenReady(() -> {
      Path dir = paths.resolve(path);
      if (!RootedPaths.isDirectory(dir)) throw notFound(path, "directory", "directory");
      List<FileEntry> entries = new ArrayList<>();
      try (Stream<Path> walk = Files.walk(dir)) {  // never follows links
        walk.filter(p -> !p.equals(dir)).sorted().forEach(p -> {
          try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            entries.add(new FileEntry(paths.relative(p), a.isDirectory(), a.isDirectory() ? 0 : a.size()));
          } catch (IOException gone) {
            // removed by a process while listing
          }
        });
      }
      return entries;
    });
  }

  @Override
  public Future<SandboxProcess> exec(String command, List<String> args, ExecOptions options) {
    Duration timeout = options.timeout() != null ? options.timeout() : spec.limits().timeout();
    return spawn(command, args, options, Map.of(), OutputCapture.bounded(spec.limits().outputLimitBytes()), timeout);
  }

  @Override
  public Future<SandboxProcess> startExecution(String code, Language language, ExecOptions options) {
    Interpreter interpreter = strategy.interpreters().find(language).orElse(null);
    if (interpreter == null) {
      return Future.failedFuture(new ToolException(new RuntimeUnavailable("cannot run " + language.name().toLowerCase()
          + ": no '" + language.interpreter() + "' interpreter on this host", language.interpreter(),
          "install " + language.interpreter() + " (it must be on the engine's PATH)")));
    }
    Path snippet = dirs.snippets().resolve(UUID.randomUUID() + language.extension());
    return whenReady(() -> {
      Files.writeString(snippet, code);
      return null;
    }).compose(v -> exec(interpreter.executable().toString(),
            interpreterArgs(language, strategy.confinement().visible(dirs, snippet)), options))
        .onFailure(e -> blocking(() -> Files.deleteIfExists(snippet)))
        .onSuccess(process -> process.result().onComplete(ar -> blocking(() -> Files.deleteIfExists(snippet))));
  }

  @Override
  public Future<List<ExecResult>> installDependencies() {
    return whenReady(() -> {
      Path root = paths.root();
      String bun = strategy.interpreters().find(Language.TYPESCRIPT).map(i -> i.executable().toString()).orElse(null);
      return DependencyInstaller.detect(name -> Files.isRegularFile(root.resolve(name)), bun);
    }).compose(installers -> DependencyInstaller.runInOrder(installers, installer ->
        exec(installer.command().get(0), installer.command().subList(1, installer.command().size()),
            ExecOptions.DEFAULT.withEnv(installer.env())).compose(SandboxProcess::result)));
  }

  @Override
  public Future<DevServer> startDevServer(DevServerRequest request) {
    if (!spec.limits().network()) {
      return Future.failedFuture(new ToolException(new InvalidRequest(
          "this sandbox has no network (sandbox.network: false), so a dev server in it cannot be reached", "field: network")));
    }
    Duration wait = request.readyTimeout() != null ? request.readyTimeout() : spec.limits().timeout();
    return (request.port() > 0 ? Future.succeededFuture(request.port()) : blocking(FreePort::pick))
        .compose(port -> spawn(request.command(), request.args(), ExecOptions.DEFAULT,
                Map.of("PORT", port.toString(), "HOST", "127.0.0.1"),
                OutputCapture.tail(spec.limits().outputLimitBytes()), null)
            .compose(process -> DevServerWatch.await(context.owner(), process, ((LocalProcess) process).capture(), port,
                    "http://127.0.0.1:" + port, PortProbe.loopback(context.owner(), port, (int) DevServerWatch.POLL_MS * 4),
                    wait, LOG_TAIL_CHARS)
                .onFailure(e -> emit(new SandboxEvent.Error("dev server '" + request.command() + "' failed: "
                    + e.getMessage())))))
        .onSuccess(server -> emit(new SandboxEvent.ServerReady(server.port(), server.url())));
  }

  @Override
  public Future<Void> teardown() {
    if (!markTornDown()) return Future.succeededFuture();
    List<Future<Void>> kills = processes.stream().map(LocalProcess::kill).toList();
    return Future.join(kills).transform(ar -> this.<Void>blocking(() -> {
      deleteTree(dirs.base());
      return null;
    })).onFailure(e -> emit(new SandboxEvent.Error("teardown left files in " + dirs.base() + ": " + e.getMessage())));
  }

  private Future<SandboxProcess> spawn(String command, List<String> args, ExecOptions options,
      Map<String, String> extraEnv, OutputCapture capture, Duration timeout) {
    if (command == null || command.isBlank()) {
      return Future.failedFuture(new ToolException(new InvalidRequest("missing field 'command'", "field: command")));
    }
    return whenReady(() -> {
      SandboxEnv.check(options.env(), "env");
      Path cwd = paths.resolve(options.cwd());
      if (!RootedPaths.isDirectory(cwd)) {
        // a field of the request, not the resource it names: bad input rather than NOT_FOUND
        throw new ToolException(new InvalidRequest("no directory '" + options.cwd() + "' in the sandbox for cwd", "field: cwd"));
      }
      String executable = resolveCommand(command);
      List<String> inner = new ArrayList<>();
      inner.add(executable);
      inner.addAll(args);
      List<String> line = ProcessGroup.lead(
          strategy.confinement().wrap(inner, dirs, strategy.confinement().visible(dirs, cwd), spec.limits().network()));
      ProcessBuilder builder = new ProcessBuilder(line).directory(cwd.toFile());
      if (!options.interactive()) builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      Map<String, String> env = builder.environment();
      env.clear();  // the engine's environment never reaches a sandbox
      env.put("PATH", strategy.path());
      env.put("HOME", strategy.confinement().visible(dirs, dirs.home()));
      env.put("LANG", "C.UTF-8");
      env.put("TMPDIR", "/tmp");
      env.putAll(spec.env());
      env.putAll(options.env());
      env.putAll(extraEnv);
      Process process;
      try {
        process = builder.start();
      } catch (IOException e) {
        throw new ToolException(new InvalidRequest("cannot start '" + command + "': " + e.getMessage(), "field: command"));
      }
      LocalProcess watched = LocalProcess.watch(process, context, strategy.pumps(), capture,
          timeout, options.interactive(), this::emit, processes::remove);
      processes.add(watched);
      if (isTornDown()) watched.kill();  // torn down while starting: the teardown did not see it
      return watched;
    });
  }

  /** A bare name is looked up on the sandbox's PATH here, so a missing command is a clear error, not exit 127. */
  private String resolveCommand(String command) {
    if (command.contains("/")) return command;
    for (String dir : strategy.path().split(File.pathSeparator)) {
      Path candidate = Path.of(dir, command);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return command;
    }
    throw new ToolException(new InvalidRequest("command '" + command.replaceAll("\\p{Cntrl}", "?")
        + "' not found on the sandbox's PATH (" + strategy.path() + ")", "field: command"));
  }

  private static List<String> interpreterArgs(Language language, String snippet) {
    return language == Language.TYPESCRIPT ? List.of("run", snippet) : List.of(snippet);
  }

  private void write(Path target, Buffer content) throws IOException {
    Files.createDirectories(target.getParent());
    // not following a link at the last step: a symlink planted after the check is not written through
    Files.write(target, content.getBytes(), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
  }

  /** @param resource the {@link NotFound#resource()}: file, directory, or path when it may be either */
  private static ToolException notFound(String path, String what, String resource) {
    String name = path == null ? "" : path;
    return new ToolException(new NotFound("no " + what + " '" + name + "' in the sandbox", resource, name));
  }

  private static void deleteTree(Path top) throws IOException {
    if (!Files.exists(top, LinkOption.NOFOLLOW_LINKS)) return;
    try (Stream<Path> walk = Files.walk(top)) {  // links are removed, never followed
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
