package dev.toolhost.engine;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;

/**
 * Watches a tools root and calls {@code onChange} once its files have been quiet for the
 * debounce delay: an editor's save is several events, an npm install hundreds, and each reload
 * bundles and starts workers. Every directory is watched except {@code node_modules} and
 * dot-directories (an npm install still shows in the root's package-lock.json); a single-file
 * root is watched through its directory. Events are read on a daemon thread of their own;
 * {@code onChange} runs on a Vert.x timer.
 */
public final class ToolsRootWatcher implements AutoCloseable {
  private final Vertx vertx;
  private final WatchService watcher;
  private final long debounceMs;
  private final Runnable onChange;
  private long timer = -1;

  private ToolsRootWatcher(Vertx vertx, WatchService watcher, Duration debounce, Runnable onChange) {
    this.vertx = vertx;
    this.watcher = watcher;
    this.debounceMs = Math.max(1, debounce.toMillis());
    this.onChange = onChange;
  }

  /** Starts watching {@code tools} (a directory or a single module file). Blocking: it walks the root. */
  public static ToolsRootWatcher start(Vertx vertx, Path tools, Duration debounce, Runnable onChange) throws IOException {
    Path root = Files.isDirectory(tools) ? tools : tools.toAbsolutePath().getParent();
    ToolsRootWatcher w = new ToolsRootWatcher(vertx, root.getFileSystem().newWatchService(), debounce, onChange);
    w.registerTree(root);
    Thread thread = new Thread(w::readEvents, "toolhost-tools-watcher");
    thread.setDaemon(true);
    thread.start();
    return w;
  }

  private void registerTree(Path top) throws IOException {
    Files.walkFileTree(top, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        if (!dir.equals(top) && ignored(dir)) return FileVisitResult.SKIP_SUBTREE;
        dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
            StandardWatchEventKinds.ENTRY_DELETE);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        return FileVisitResult.CONTINUE;  // gone meanwhile, or unreadable: nothing to watch
      }
    });
  }

  private static boolean ignored(Path path) {
    String name = path.getFileName().toString();
    return name.startsWith(".") || name.equals("node_modules");
  }

  private void readEvents() {
    try {
      while (true) {
        WatchKey key = watcher.take();
        Path dir = (Path) key.watchable();
        boolean changed = false;
        for (WatchEvent<?> event : key.pollEvents()) {
          if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
            changed = true;
            continue;
          }
          Path child = dir.resolve((Path) event.context());
          if (ignored(child)) continue;
          changed = true;
          if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && Files.isDirectory(child)) {
            try {
              registerTree(child);
            } catch (IOException e) {
              // removed again before it could be watched
            }
          }
        }
        key.reset();
        if (changed) debounce();
      }
    } catch (ClosedWatchServiceException | InterruptedException stopped) {
      // closed: the thread ends
    }
  }

  private synchronized void debounce() {
    if (timer != -1) vertx.cancelTimer(timer);
    timer = vertx.setTimer(debounceMs, t -> {
      synchronized (this) {
        if (timer != t) return;
        timer = -1;
      }
      onChange.run();
    });
  }

  @Override
  public void close() throws IOException {
    watcher.close();
    synchronized (this) {
      if (timer != -1) vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
