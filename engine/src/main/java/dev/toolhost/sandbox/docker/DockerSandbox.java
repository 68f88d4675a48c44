package dev.toolhost.sandbox.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import dev.toolhost.api.InvalidRequest;
import dev.toolhost.api.NotFound;
import dev.toolhost.api.OutputLimitExceeded;
import dev.toolhost.api.RuntimeUnavailable;
import dev.toolhost.api.ToolError;
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
import dev.toolhost.sandbox.spi.SandboxBase;
import dev.toolhost.sandbox.spi.SandboxPaths;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A sandbox in a container of its own ({@link DockerSandboxStrategy}): the workspace, the home and
 * /tmp are tmpfs mounts in an otherwise read-only root; files go in and out through short execs
 * (a tar archive in, {@code cat} out), which check in the container that no symlink on the way
 * leaves the workspace. Blocking daemon calls run on worker threads; output and events come on
 * the context it was created on. A container removed from outside makes every later call fail
 * with RUNTIME_UNAVAILABLE, and {@link #isReady()} false, so the manager drops it.
 */
final class DockerSandbox extends SandboxBase {
  private static final int LOG_TAIL_CHARS = 2000;
  private static final Duration SHORT_COMMAND = Duration.ofSeconds(30);
  /** Arguments of one checking command, well under Linux's 2 MiB of argv and env. */
  private static final int CHECK_ARGS_BYTES = 256 * 1024;
  private static final String HOME = "/home/sandbox";
  private static final String SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final DockerSandboxStrategy strategy;
  private final Set<DockerProcess> processes = ConcurrentHashMap.newKeySet();
  /** Commands found on PATH once: looked up again only while missing. */
  private final Set<String> found = ConcurrentHashMap.newKeySet();
  /** Container port to the host port it is published on (127.0.0.1). */
  private final Map<Integer, Integer> published = new HashMap<>();
  private final Set<Integer> serving = ConcurrentHashMap.newKeySet();
  private volatile String containerId;
  private volatile ToolError lost;

  DockerSandbox(String id, SandboxSpec spec, DockerSandboxStrategy strategy, Context context) {
    super(id, spec, context);
    this.strategy = strategy;
  }

  @Override public String type() { return "docker"; }

  DockerClient client() { return strategy.client(); }
  String containerId() { return containerId; }

  @Override
  public Future<Void> boot() {
    if (isTornDown()) return tornDown();
    String image = spec.image() != null && !spec.image().isBlank() ? spec.image() : strategy.defaultImage();
    return blocking(() -> {
      strategy.checkUsable();
      boolean network = spec.limits().network() && !spec.ports().isEmpty();
      HostConfig host = strategy.hostConfig(network);
      List<ExposedPort> exposed = spec.ports().stream().map(ExposedPort::tcp).toList();
      if (network) {
        Ports bindings = new Ports();
        exposed.forEach(p -> bindings.bind(p, Ports.Binding.bindIp("127.0.0.1")));
        host.withPortBindings(bindings);
      }
      List<String> env = new ArrayList<>(List.of("HOME=" + HOME, "LANG=C.UTF-8", "TMPDIR=/tmp"));
      spec.env().forEach((k, v) -> env.add(k + "=" + v));
      try {
        containerId = client().createContainerCmd(image)
            .withName("toolhost-sandbox-" + id)
            .withLabels(strategy.labels().forWorker("sandbox-" + id))
            .withUser(DockerSandboxStrategy.USER)
            .withWorkingDir(ContainerScripts.WORKSPACE)
            .withEnv(env)
            // idle until removed; its own PATH, so that the sandbox's env cannot take its sleep away
            .withEntrypoint("/bin/sh", "-c", "PATH=" + SYSTEM_PATH + " exec sleep infinity")
            .withCmd(List.of())
            .withExposedPorts(exposed)
            .withHostConfig(host)
            .exec().getId();
      } catch (NotFoundException e) {
        throw new ToolException(new RuntimeUnavailable("the sandbox image '" + image + "' is not on the Docker host",
            "docker", DockerSandboxStrategy.IMAGE_HINT));
      }
      client().startContainerCmd(containerId).exec();
      if (network) {
        var ports = client().inspectContainerCmd(containerId).exec().getNetworkSettings().getPorts().getBindings();
        ports.forEach((port, bound) -> {
          if (bound != null && bound.length > 0) published.put(port.getPort(), Integer.parseInt(bound[0].getHostPortSpec()));
        });
      }
      booted();
      if (isTornDown()) strategy.remove(containerId);  // torn down while booting: the teardown did not see the container
      return null;
    });
  }

  @Override
  public Future<Void> mount(FileTree tree) {
    return whenReady(() -> {
      // every path is checked before anything is written: a bad one leaves the sandbox as it was
      Map<String, String> originals = new LinkedHashMap<>();
      tree.files().forEach((path, content) -> {
        checkSize(path, content);
        originals.put(String.join("/", SandboxPaths.entry(path)), path);
      });
      List<String> paths = List.copyOf(originals.keySet());
      int from = 0;
      int bytes = 0;
      for (int i = 0; i < paths.size(); i++) {
        bytes += paths.get(i).length() + 1;
        if (bytes > CHECK_ARGS_BYTES) {
          answer(run(ContainerScripts.check(paths.subList(from, i)), null, 0), originals);
          from = i;
          bytes = paths.get(i).length() + 1;
        }
      }
      byte[] archive = tar(tree, originals);
      answer(run(ContainerScripts.extract(archive.length, paths.subList(from, paths.size())), archive, 0), originals);
      return null;
    });
  }

  @Override
  public Future<Void> writeFile(String path, Buffer content) {
    return mount(FileTree.builder().file(path, content).build());
  }

  @Override
  public Future<Buffer> readFile(String path) {
    return whenReady(() -> {
      String clean = String.join("/", SandboxPaths.entry(path));
      long limit = spec.limits().fileLimitBytes();
      ContainerCommand.Result r = run(ContainerScripts.read(clean, limit), null, limit);
      if (r.exitCode() == ContainerScripts.TOO_BIG) {
        throw new ToolException(new OutputLimitExceeded("file '" + path + "' is " + r.stderr().strip()
            + " bytes, over the sandbox's file limit of " + limit + " bytes (sandbox.fileLimit); read it in parts with exec",
            limit, "file"));
      }
      answer(r, Map.of(clean, path), "file", "file");
      return Buffer.buffer(r.stdout());
    });
  }

  @Override
  public Future<Void> deleteFile(String path) {
    return whenReady(() -> {
      String clean = String.join("/", SandboxPaths.entry(path));
      answer(run(ContainerScripts.delete(clean), null, 0), Map.of(clean, path), "file or directory", "path");
      return null;
    });
  }

  @Override
  public Future<List<FileEntry>> list(String path) {
    return whenReady(() -> {
      String clean = String.join("/", SandboxPaths.segments(path));
      ContainerCommand.Result r = run(ContainerScripts.list(clean), null, Long.MAX_VALUE);
      answer(r, Map.of(clean, path == null ? "" : path), "directory", "directory");
      List<FileEntry> entries = new ArrayList<>();
      String prefix = ContainerScripts.WORKSPACE + "/";
      for (String line : r.stdoutText().split("\0")) {
        if (line.isEmpty()) continue;
        String[] parts = line.split(" ", 3);
        boolean directory = parts[0].equals("d");
        entries.add(new FileEntry(parts[2].substring(prefix.length()), directory, directory ? 0 : Long.parseLong(parts[1])));
      }
      entries.sort((a, b) -> a.path().compareTo(b.path()));
      return entries;
    });
  }

  @Override
  public Future<SandboxProcess> exec(String command, List<String> args, ExecOptions options) {
    Duration timeout = options.timeout() != null ? options.timeout() : spec.limits().timeout();
    return spawn(command, args, options, Map.of(), OutputCapture.bounded(spec.limits().outputLimitBytes()), timeout, null)
        .map(p -> p);
  }

  @Override
  public Future<SandboxProcess> startExecution(String code, Language language, ExecOptions options) {
    return whenReady(() -> {
      if (!found.contains(language.interpreter())) {
        ContainerCommand.Result r = run(ContainerScripts.prepare("", language.interpreter()), null, 0);
        if (r.exitCode() != 0) {
          throw new ToolException(new RuntimeUnavailable("cannot run " + language.name().toLowerCase() + ": no '"
              + language.interpreter() + "' interpreter in the sandbox's image", language.interpreter(),
              "use an image with " + language.interpreter() + " on its PATH (sandbox.docker.image, or the spec's image)"));
        }
        found.add(language.interpreter());
      }
      return null;
    }).compose(v -> {
      List<String> interpreter = language == Language.TYPESCRIPT
          ? List.of(language.interpreter(), "run") : List.of(language.interpreter());
      String snippet = "/tmp/toolhost-snippet-" + UUID.randomUUID() + language.extension();
      byte[] bytes = code.getBytes(StandardCharsets.UTF_8);
      List<String> line = ContainerScripts.snippet(bytes.length, snippet, interpreter);
      return spawn(line.get(0), line.subList(1, line.size()), options.withInteractive(false), Map.of(),
          OutputCapture.bounded(spec.limits().outputLimitBytes()),
          options.timeout() != null ? options.timeout() : spec.limits().timeout(), bytes)
          .<SandboxProcess>map(process -> process);
    });
  }

  @Override
  public Future<List<ExecResult>> installDependencies() {
    return whenReady(() -> {
      List<String> present = new ArrayList<>();
      for (String marker : DependencyInstaller.MARKERS) {
        if (run(List.of("test", "-f", ContainerScripts.WORKSPACE + "/" + marker), null, 0).exitCode() == 0) present.add(marker);
      }
      return DependencyInstaller.detect(present::contains, Language.TYPESCRIPT.interpreter());
    }).compose(installers -> DependencyInstaller.runInOrder(installers, installer ->
        exec(installer.command().get(0), installer.command().subList(1, installer.command().size()),
            ExecOptions.DEFAULT.withEnv(installer.env())).compose(SandboxProcess::result)));
  }

  @Override
  public Future<DevServer> startDevServer(DevServerRequest request) {
    if (!spec.limits().network() || spec.ports().isEmpty()) {
      return Future.failedFuture(new ToolException(new InvalidRequest(spec.limits().network()
          ? "this docker sandbox publishes no ports; create it with the port its dev server listens on (ports)"
          : "this sandbox has no network (sandbox.network: false), so a dev server in it cannot be reached", "field: ports")));
    }
    int port = request.port() > 0 ? request.port()
        : spec.ports().stream().filter(p -> !serving.contains(p)).findFirst().orElse(spec.ports().get(0));
    Integer hostPort = published.get(port);
    if (hostPort == null) {
      return Future.failedFuture(new ToolException(new InvalidRequest("port " + port + " is not published by this sandbox; "
          + "it publishes " + spec.ports(), "field: port")));
    }
    Duration wait = request.readyTimeout() != null ? request.readyTimeout() : spec.limits().timeout();
    serving.add(port);
    // in its own network namespace: 0.0.0.0 is reached only through the port published on the host's 127.0.0.1
    return spawn(request.command(), request.args(), ExecOptions.DEFAULT,
            Map.of("PORT", Integer.toString(port), "HOST", "0.0.0.0"), OutputCapture.tail(spec.limits().outputLimitBytes()), null,
            null)
        .compose(process -> {
          process.result().onComplete(ar -> serving.remove(port));
          return DevServerWatch.await(context.owner(), process, process.capture(), port, "http://127.0.0.1:" + hostPort,
              () -> blocking(() -> run(ContainerScripts.listening(port), null, 0).exitCode() == 0), wait, LOG_TAIL_CHARS);
        })
        .onFailure(e -> {
          serving.remove(port);
          emit(new SandboxEvent.Error("dev server '" + request.command() + "' failed: " + e.getMessage()));
        })
        .onSuccess(server -> emit(new SandboxEvent.ServerReady(server.port(), server.url())));
  }

  /** Removes the container, which ends every process in it. */
  @Override
  public Future<Void> teardown() {
    if (!markTornDown()) return Future.succeededFuture();
    if (containerId == null) return Future.succeededFuture();
    return this.<Void>blocking(() -> {
      strategy.remove(containerId);
      return null;
    }).onFailure(e -> emit(new SandboxEvent.Error("teardown left the container " + containerId + ": " + e.getMessage())));
  }

  /** Kills every process of an exec (by its token). */
  Future<Void> killAll(String token) {
    if (isTornDown() || lost != null || containerId == null) return Future.succeededFuture();
    return context.executeBlocking(() -> {
      try {
        run(ContainerScripts.kill(token), null, 0);
      } catch (ToolException e) {
        // the container is gone, and with it the process
      }
      return null;
    }, false);
  }

  /** A process ended: tell the listeners. */
  void ended(DockerProcess process, SandboxEvent.ProcessExit exit) {
    processes.remove(process);
    emit(exit);
  }

  /**
   * What a daemon failure means for this sandbox: a container that is gone (removed from outside)
   * marks it lost for good; otherwise the daemon is unreachable for now.
   */
  ToolError lost(Throwable failure) {
    if (failure instanceof ToolException te) return te.error();
    if (isTornDown()) return tornDownError();
    if (failure instanceof NotFoundException || failure instanceof ConflictException) {
      if (lost == null) {
        lost = new RuntimeUnavailable("the container of sandbox '" + id + "' is gone (removed outside the engine?): "
            + String.valueOf(failure.getMessage()).strip(), "docker", "create a new sandbox");
        emit(new SandboxEvent.Error(lost.message()));
      }
      return lost;
    }
    return new RuntimeUnavailable("the Docker daemon failed: " + String.valueOf(failure.getMessage()).strip(), "docker",
        "check that dockerd is running; the sandbox is kept");
  }

  /** @param input bytes the command reads first (null: none); an interactive command reads what is written to it after */
  private Future<DockerProcess> spawn(String command, List<String> args, ExecOptions options,
      Map<String, String> extraEnv, OutputCapture capture, Duration timeout, byte[] input) {
    if (command == null || command.isBlank()) {
      return Future.failedFuture(new ToolException(new InvalidRequest("missing field 'command'", "field: command")));
    }
    return whenReady(() -> {
      SandboxEnv.check(options.env(), "env");
      String cwd = String.join("/", SandboxPaths.segments(options.cwd()));
      boolean lookUp = !command.contains("/") && !found.contains(command);
      if (!cwd.isEmpty() || lookUp) {
        ContainerCommand.Result r = run(ContainerScripts.prepare(cwd, lookUp ? command : null), null, 0);
        if (r.exitCode() == ContainerScripts.MISSING && r.stderr().equals("command")) {
          throw new ToolException(new InvalidRequest("command '" + command.replaceAll("\\p{Cntrl}", "?")
              + "' not found on the sandbox's PATH", "field: command"));
        }
        answer(r, Map.of(cwd, options.cwd() == null ? "" : options.cwd()), "directory", null);
        if (lookUp) found.add(command);
      }
      Map<String, String> env = new LinkedHashMap<>(options.env());
      env.putAll(extraEnv);
      List<String> line = new ArrayList<>();
      line.add(command);
      line.addAll(args);
      StdinPipe stdin = options.interactive() || input != null ? new StdinPipe() : null;
      if (input != null) stdin.write(input);
      if (options.interactive()) line = ContainerScripts.interactive(line);
      DockerProcess process = new DockerProcess(this, context, capture, stdin, options.interactive());
      processes.add(process);
      try {
        process.start(line, ContainerScripts.WORKSPACE + (cwd.isEmpty() ? "" : "/" + cwd), env, timeout);
      } catch (RuntimeException e) {
        processes.remove(process);
        throw e;
      }
      return process;
    });
  }

  /** Blocking: runs a short command; a container gone or a daemon failing becomes RUNTIME_UNAVAILABLE. */
  private ContainerCommand.Result run(List<String> command, byte[] stdin, long stdoutLimit) {
    try {
      return ContainerCommand.run(client(), containerId, command, stdin, stdoutLimit, SHORT_COMMAND);
    } catch (IOException e) {
      throw new ToolException(new RuntimeUnavailable("the sandbox's container did not answer: " + e.getMessage(), "docker",
          "retry; the container may be overloaded"));
    }
  }

  /** Fails as a checking command said: a refused path, a missing file, another failure. */
  private void answer(ContainerCommand.Result r, Map<String, String> originals) {
    answer(r, originals, "file", "file");
  }

  /**
   * @param resource the {@link NotFound#resource()} of a missing path, or null for an exec's
   *     working directory, which is a bad field (INVALID_REQUEST) rather than a missing resource
   */
  private void answer(ContainerCommand.Result r, Map<String, String> originals, String what, String resource) {
    if (r.exitCode() == 0) return;
    if (r.exitCode() == ContainerScripts.REFUSED) {
      String[] lines = r.stderr().split("\n", 2);
      throw SandboxPaths.refuse(originals.getOrDefault(lines[0], lines[0]), lines.length > 1 ? lines[1] : "is refused");
    }
    if (r.exitCode() == ContainerScripts.MISSING) {
      String name = originals.getOrDefault(r.stderr(), r.stderr());
      String message = "no " + what + " '" + name + "' in the sandbox";
      throw new ToolException(resource == null ? new InvalidRequest(message, "field: cwd") : new NotFound(message, resource, name));
    }
    throw new ToolException(new InvalidRequest("the sandbox's files could not be changed: " + r.stderr().strip(),
        "field: path"));
  }

  private byte[] tar(FileTree tree, Map<String, String> originals) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name())) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (Map.Entry<String, String> e : originals.entrySet()) {
        byte[] content = tree.files().get(e.getValue()).getBytes();
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
        entry.setSize(content.length);
        entry.setMode(0644);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  @Override
  protected ToolError unusable() {
    return lost;
  }

  /** On a worker thread; docker-java's failures become typed errors. */
  @Override
  protected <T> Future<T> blocking(Callable<T> work) {
    return context.<T>executeBlocking(work, false).recover(e -> Future.failedFuture(
        e instanceof ToolException ? e : new ToolException(lost(e))));
  }
}
