package dev.toolhost.runtime.process;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolhost.api.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.parsetools.RecordParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The unix socket every worker of an engine connects to. Protocol frames travel here and not
 * on the worker's stdout, so nothing a tool prints can corrupt them. A connection's first frame
 * must be {@code hello} with the id of a worker this engine started; anything else is dropped.
 */
final class ChannelServer {
  private final NetServer server;
  private final Map<String, Worker> expected = new ConcurrentHashMap<>();
  private final int maxFrameBytes;

  private ChannelServer(NetServer server, int maxFrameBytes) {
    this.server = server;
    this.maxFrameBytes = maxFrameBytes;
  }

  static Future<ChannelServer> listen(Vertx vertx, Path socket, long maxFrameBytes) {
    NetServer server = vertx.createNetServer(new NetServerOptions());
    ChannelServer channel = new ChannelServer(server, (int) Math.min(Integer.MAX_VALUE - 64, maxFrameBytes));
    server.connectHandler(channel::accept);
    return server.listen(SocketAddress.domainSocketAddress(socket.toString())).map(s -> channel);
  }

  void expect(Worker worker) {
    expected.put(worker.id(), worker);
  }

  void forget(Worker worker) {
    expected.remove(worker.id());
  }

  private void accept(NetSocket socket) {
    Worker[] owner = new Worker[1];
    RecordParser parser = RecordParser.newDelimited("\n");
    parser.maxRecordSize(maxFrameBytes);
    parser.handler(line -> {
      if (owner[0] != null) {
        owner[0].onFrame(line);
        return;
      }
      Worker worker = hello(line);
      if (worker == null) {
        socket.close();
      } else {
        owner[0] = worker;
        worker.attach(socket);
      }
    });
    parser.exceptionHandler(e -> {
      if (owner[0] != null) owner[0].protocolBroken("a frame exceeded " + maxFrameBytes + " bytes");
      socket.close();
    });
    socket.handler(parser);
    socket.closeHandler(v -> {
      if (owner[0] != null) owner[0].channelClosed();
    });
  }

  private Worker hello(Buffer line) {
    try {
      JsonNode frame = Json.MAPPER.readTree(line.getBytes());
      if (!"hello".equals(frame.path("type").asText())) return null;
      return expected.remove(frame.path("id").asText());
    } catch (IOException e) {
      return null;
    }
  }

  Future<Void> close() {
    return server.close();
  }
}
