package dev.toolhost.cli;

import dev.toolhost.config.EngineConfig;
import dev.toolhost.runtime.ToolSet;
import dev.toolhost.transport.mcp.McpHttpHandler;
import dev.toolhost.transport.mcp.McpSession;
import dev.toolhost.transport.mcp.McpStdioTransport;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code mcp}: the tools as an MCP server. By default over stdio, the way MCP clients launch a
 * server: messages on stdin and stdout until stdin closes, then the engine stops and the exit
 * status is 0. Stdout carries MCP messages only; everything else goes to stderr. With
 * {@code --http [HOST:]PORT} (host 127.0.0.1 unless given) it serves streamable HTTP at
 * {@code /mcp} instead, until stopped.
 */
final class McpCommand implements Command {
  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;

  McpCommand(InputStream in, PrintStream out, PrintStream err) {
    this.in = in;
    this.out = out;
    this.err = err;
  }

  @Override
  public int run(List<String> argv) throws InterruptedException {
    Set<String> valued = new HashSet<>(CliSession.COMMON_FLAGS);
    valued.add("http");
    valued.add("mcp-sandbox-tools");
    CliArgs args = CliArgs.parse(argv, valued, Set.of());
    if (!args.positionals().isEmpty()) throw new UsageException("mcp takes no arguments, got '" + args.positionals().get(0) + "'");
    EngineConfig config = CliSession.config(args);
    return args.get("http") != null ? serveHttp(config, args.get("http")) : serveStdio(config);
  }

  private int serveStdio(EngineConfig config) {
    PrintStream stdout = System.out;
    System.setOut(err);  // whatever else prints to System.out must not corrupt the message stream
    try (CliSession session = CliSession.start(config)) {
      describe(session, "stdio");
      McpStdioTransport stdio = new McpStdioTransport(session.mcpSessions(() -> session.sandboxes(err)).get(),
          session.vertx.getOrCreateContext(), in, out, err);
      CliSession.await(stdio.serve());
      return ExitCodes.OK;
    } finally {
      System.setOut(stdout);
    }
  }

  private int serveHttp(EngineConfig config, String address) throws InterruptedException {
    int colon = address.lastIndexOf(':');
    String host = colon < 0 ? "127.0.0.1" : address.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535 || host.isEmpty()) {
      throw new UsageException("--http needs [HOST:]PORT, got '" + address + "'");
    }
    CliSession session = CliSession.start(config);
    Router router = Router.router(session.vertx);
    McpHttpHandler.mount(router, session.mcpSessions(() -> session.sandboxes(err)));
    HttpServer server = CliSession.await(session.vertx.createHttpServer().requestHandler(router).listen(port, host));
    session.stopAccepting(() -> server.shutdown(session.engine.config().drainTimeout()));
    describe(session, "streamable HTTP");
    out.println("toolhost: MCP at http://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
        + server.actualPort() + McpHttpHandler.PATH + "; stop with Ctrl-C or SIGTERM");
    new CountDownLatch(1).await();  // the shutdown hook stops the engine
    return ExitCodes.OK;
  }

  private void describe(CliSession session, String transport) {
    err.println("toolhost mcp: " + session.engine.catalog().tools().size() + " tools from "
        + session.engine.config().tools().toAbsolutePath().normalize() + " over " + transport);
    err.println("toolhost mcp: " + session.mcpSandboxTools());
    for (ToolSet.LoadError e : session.engine.catalog().errors()) {
      err.println("toolhost mcp: load error" + (e.module() == null ? "" : " in " + e.module()) + ": " + e.message());
    }
  }
}
