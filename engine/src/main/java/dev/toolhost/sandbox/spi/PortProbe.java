package dev.toolhost.sandbox.spi;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

/** Asks whether a dev server's port accepts connections yet; {@link DevServerWatch} asks until it does. */
public interface PortProbe {
  /** True once something listens; a failed future counts as not yet. */
  Future<Boolean> open();

  /** Releases what the probe holds once the watch is over. */
  default void close() {}

  /** Connects to {@code port} on 127.0.0.1: where the server's port is the host's own. */
  static PortProbe loopback(Vertx vertx, int port, int connectTimeoutMs) {
    NetClient client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(connectTimeoutMs));
    return new PortProbe() {
      @Override
      public Future<Boolean> open() {
        return client.connect(port, "127.0.0.1").map(socket -> {
          socket.close();
          return true;
        });
      }

      @Override
      public void close() {
        client.close();
      }
    };
  }
}
