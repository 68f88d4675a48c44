package dev.toolhost.sandbox.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A port free on 127.0.0.1 now, for a dev server started without one (it may be taken again before the server binds). */
final class FreePort {
  private FreePort() {}

  /** Blocking: it binds and closes a socket. */
  static int pick() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
