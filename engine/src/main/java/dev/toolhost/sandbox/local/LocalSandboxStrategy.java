package dev.toolhost.sandbox.local;

import dev.toolhost.config.SandboxSettings;
import dev.toolhost.runtime.Availability;
import dev.toolhost.sandbox.Sandbox;
import dev.toolhost.sandbox.SandboxSpec;
import dev.toolhost.sandbox.SandboxStrategy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Local sandboxes: a directory each under {@code sandbox.dir}/{@code <engine pid>}, processes in
 * bubblewrap when it works here (unless {@code sandbox.bubblewrap: off}), else plain processes. It
 * finds the interpreters and probes bubblewrap once, when made, and removes what engines that are
 * no longer running left there (a crash skips teardown). Blocking: make it off the event loop.
 */
public final class LocalSandboxStrategy implements SandboxStrategy {
  private static final String SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final Vertx vertx;
  private final Path base;
  private final Interpreters interpreters;
  private final Confinement confinement;
  private final String path;
  /** Output pumps block on pipes for as long as a process runs: threads of their own, not Vert.x workers. */
  private final ExecutorService pumps;

  public LocalSandboxStrategy(Vertx vertx, SandboxSettings settings) {
    this(vertx, settings, Interpreters.discover());
  }

  LocalSandboxStrategy(Vertx vertx, SandboxSettings settings, Interpreters interpreters) {
    this.vertx = vertx;
    Path shared = settings.dir().toAbsolutePath().normalize();
    this.base = shared.resolve(Long.toString(ProcessHandle.current().pid()));
    LeftoverSandboxes.reap(shared);
    this.interpreters = interpreters;
    this.confinement = settings.bubblewrap().equals("off") ? new PlainProcesses()
        : Bubblewrap.probe(interpreters).<Confinement>map(b -> b).orElseGet(PlainProcesses::new);
    // the interpreters first: `python3` in a command is the one `execute` runs (pyenv's, not /usr/bin's)
    Set<String> dirs = new LinkedHashSet<>();
    interpreters.all().forEach(i -> dirs.add(i.binDirectory().toString()));
    dirs.addAll(List.of(SYSTEM_PATH.split(":")));
    this.path = String.join(":", dirs);
    AtomicInteger n = new AtomicInteger();
    this.pumps = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "toolhost-sandbox-pump-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public String type() {
    return "local";
  }

  @Override
  public Availability availability() {
    String languages = interpreters.all().stream().map(i -> i.language().name().toLowerCase() + " (" + i.executable() + ")")
        .reduce((a, b) -> a + ", " + b).orElse("none");
    return Availability.usable("local sandbox", null, confinement.describe() + "; languages: " + languages);
  }

  @Override
  public Sandbox create(String id, SandboxSpec spec) {
    return new LocalSandbox(id, spec, this, vertx.getOrCreateContext());
  }

  /** Stops the pump threads and removes this engine's directory (its sandboxes were torn down before). */
  @Override
  public Future<Void> close() {
    pumps.shutdown();
    return vertx.executeBlocking(() -> {
      try {
        Files.deleteIfExists(base);
      } catch (DirectoryNotEmptyException e) {
        // a sandbox not torn down through the manager: its files stay for the reaper of the next start
      }
      return null;
    });
  }

  Path base() { return base; }
  Interpreters interpreters() { return interpreters; }
  Confinement confinement() { return confinement; }
  String path() { return path; }
  ExecutorService pumps() { return pumps; }
}
