package dev.toolhost.runtime.docker;

import static dev.toolhost.testing.TestEngines.await;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A unix socket that forwards every connection to the real Docker daemon, and can be cut (every
 * connection closed, the socket gone) and opened again: the daemon going away and coming back as
 * the engine sees it, without disturbing the daemon other tests use. Containers keep running.
 */
final class DaemonProxy implements AutoCloseable {
  private final Vertx vertx;
  private final Path socket;
  private final SocketAddress daemon;
  private final NetClient client;
  private final Set<NetSocket> connections = ConcurrentHashMap.newKeySet();
  private NetServer server;

  DaemonProxy(Vertx vertx, Path socket) {
    this.vertx = vertx;
    this.socket = socket;
    this.daemon = SocketAddress.domainSocketAddress(DockerAssumptions.HOST.getPath());
    this.client = vertx.createNetClient();
  }

  /** The DOCKER_HOST of this proxy. */
  URI uri() {
    return URI.create("unix://" + socket);
  }

  synchronized void open() {
    server = vertx.createNetServer().connectHandler(in -> {
      in.pause();
      client.connect(daemon).onComplete(ar -> {
        if (ar.failed()) {
          in.close();
          return;
        }
        NetSocket out = ar.result();
        connections.add(in);
        connections.add(out);
        // a cut connection resets the other side: that is the point, not an error to report
        in.exceptionHandler(e -> in.close());
        out.exceptionHandler(e -> out.close());
        in.closeHandler(v -> out.close());
        out.closeHandler(v -> in.close());
        in.handler(out::write);
        out.handler(in::write);
        in.resume();
      });
    });
    await(server.listen(SocketAddress.domainSocketAddress(socket.toString())));
  }

  /** Stops listening, closes every connection and removes the socket. */
  synchronized void cut() throws IOException {
    if (server != null) await(server.close());
    server = null;
    List<NetSocket> all = new ArrayList<>(connections);
    connections.clear();
    all.forEach(NetSocket::close);
    Files.deleteIfExists(socket);
  }

  @Override
  public void close() throws IOException {
    cut();
    await(client.close());
  }
}
