package dev.toolhost.transport.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolhost.api.Json;
import dev.toolhost.api.ToolException;
import dev.toolhost.engine.ToolEngine;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * MCP's streamable HTTP transport (revision 2025-06-18) for one endpoint, {@code /mcp} by
 * default. Every answer is a single {@code application/json} response: the server has nothing to
 * push, so there is no server-sent event stream and GET answers 405.
 *
 * <ul>
 *   <li>POST a request: 200 with its JSON-RPC answer (protocol errors such as an unknown tool
 *       are JSON-RPC errors in a 200). POST a notification or a response: 202, no body. A body
 *       that is not JSON is 400 with -32700, a bad envelope or a batch 400 with -32600.
 *   <li>{@code initialize} opens a session and answers its id in {@code Mcp-Session-Id}; every
 *       other message must carry it: without it 400, with an unknown or ended one 404 (the
 *       client then initializes again). DELETE with the header ends the session (204) and
 *       cancels its calls in flight; the 204 comes once the session's sandbox (if it made one) is
 *       torn down. Sessions idle for {@link #IDLE_TIMEOUT} are dropped, and past
 *       {@link #MAX_SESSIONS} the least recently used one goes.
 *   <li>An {@code MCP-Protocol-Version} header naming a revision we do not speak is 400 (on
 *       initialize, which negotiates the revision in its body, the header is not checked).
 *   <li>DNS rebinding: a request whose {@code Origin} is not a loopback origin (localhost,
 *       127.0.0.1, [::1]) nor one of the allowed origins is 403. Where the server listens is the
 *       caller's choice; bind loopback unless you mean otherwise.
 * </ul>
 *
 * Other policy (authentication, limits) is the router's: mount this behind the router's own
 * handlers. A request the client cancels with {@code notifications/cancelled} gets 202 and no
 * body, as the cancellation utility says no answer follows.
 */
public final class McpHttpHandler implements Handler<RoutingContext> {
  public static final String PATH = "/mcp";
  public static final String SESSION_HEADER = "Mcp-Session-Id";
  public static final String VERSION_HEADER = "MCP-Protocol-Version";
  public static final long MAX_BODY_BYTES = 16L * 1024 * 1024;
  public static final Duration IDLE_TIMEOUT = Duration.ofMinutes(30);
  public static final int MAX_SESSIONS = 1024;
  private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Supplier<McpSession> newSession;
  private final Set<String> allowedOrigins;
  private final Map<String, Entry> sessions = new ConcurrentHashMap<>();

  private static final class Entry {
    final McpSession session;
    volatile long lastUsed = System.nanoTime();

    Entry(McpSession session) {
      this.session = session;
    }
  }

  /**
   * @param allowedOrigins origins beside the loopback ones that may call, exactly as browsers
   *     send them ({@code https://app.example.com}); empty for loopback only
   */
  public McpHttpHandler(ToolEngine engine, Set<String> allowedOrigins) {
    this(() -> new McpSession(engine), allowedOrigins);
  }

  /** @param newSession makes the session of each {@code initialize} (with sandbox tools or without) */
  public McpHttpHandler(Supplier<McpSession> newSession, Set<String> allowedOrigins) {
    this.newSession = newSession;
    this.allowedOrigins = Set.copyOf(allowedOrigins);
  }

  /**
   * Mounts a handler at {@link #PATH} on {@code router}, behind a body handler limited to
   * {@link #MAX_BODY_BYTES} (413 past it), with a failure handler answering in JSON-RPC form.
   */
  public static McpHttpHandler mount(Router router, ToolEngine engine) {
    return mount(router, PATH, new McpHttpHandler(engine, Set.of()));
  }

  /** As {@link #mount(Router, ToolEngine)}, each session made by {@code newSession}. */
  public static McpHttpHandler mount(Router router, Supplier<McpSession> newSession) {
    return mount(router, PATH, new McpHttpHandler(newSession, Set.of()));
  }

  public static McpHttpHandler mount(Router router, String path, McpHttpHandler handler) {
    router.route(path).handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES)).handler(handler)
        .failureHandler(McpHttpHandler::failed);
    return handler;
  }

  /** A failure before the handler ran (the body over the limit: 413), answered in JSON-RPC form too. */
  private static void failed(RoutingContext ctx) {
    if (ctx.statusCode() == 413) {
      refuse(ctx, 413, JsonRpcError.INVALID_REQUEST, "Request Entity Too Large: a message may be at most "
          + MAX_BODY_BYTES + " bytes");
    } else if (ctx.statusCode() > 0 && ctx.statusCode() < 500) {
      refuse(ctx, ctx.statusCode(), JsonRpcError.TRANSPORT_REFUSED, "HTTP " + ctx.statusCode());
    } else {
      refuse(ctx, 500, JsonRpcError.INTERNAL_ERROR, "Internal error: "
          + (ctx.failure() == null ? "HTTP " + ctx.statusCode() : ctx.failure().toString()));
    }
  }

  /** Sessions open now. */
  public int sessionCount() {
    return sessions.size();
  }

  /** Ends every session, cancelling their calls in flight and tearing down their sandboxes. */
  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    sessions.values().forEach(e -> closing.add(e.session.close()));
    sessions.clear();
    return Future.join(closing).mapEmpty();
  }

  @Override
  public void handle(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    if (origin != null && !originAllowed(origin)) {
      refuse(ctx, 403, JsonRpcError.TRANSPORT_REFUSED, "Forbidden: origin " + origin + " may not call this server");
      return;
    }
    HttpMethod method = ctx.request().method();
    if (method.equals(HttpMethod.POST)) {
      post(ctx);
    } else if (method.equals(HttpMethod.DELETE)) {
      delete(ctx);
    } else {
      // GET would open a stream for messages the server sends unasked: we have none to send
      ctx.response().putHeader("Allow", "POST, DELETE");
      refuse(ctx, 405, JsonRpcError.TRANSPORT_REFUSED, "Method Not Allowed: use POST (DELETE ends a session)");
    }
  }

  /** False, with 400 answered, when the request names a revision we do not speak. */
  private static boolean versionSupported(RoutingContext ctx) {
    String version = ctx.request().getHeader(VERSION_HEADER);
    if (version == null || ProtocolVersions.supported(version)) return true;
    refuse(ctx, 400, JsonRpcError.TRANSPORT_REFUSED, "Bad Request: unsupported " + VERSION_HEADER + " '" + version
        + "' (supported: " + String.join(", ", ProtocolVersions.SUPPORTED) + ")");
    return false;
  }

  private boolean originAllowed(String origin) {
    if (allowedOrigins.contains(origin)) return true;
    try {
      URI uri = new URI(origin);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https")) && LOOPBACK_HOSTS.contains(host);
    } catch (URISyntaxException e) {
      return false;  // "null" and other opaque origins included
    }
  }

  private void post(RoutingContext ctx) {
    String contentType = ctx.request().getHeader("Content-Type");
    if (contentType != null && !mediaType(contentType).equals("application/json")) {
      refuse(ctx, 415, JsonRpcError.TRANSPORT_REFUSED, "Unsupported Media Type: send application/json");
      return;
    }
    if (!acceptsJson(ctx.request().getHeader("Accept"))) {
      refuse(ctx, 406, JsonRpcError.TRANSPORT_REFUSED, "Not Acceptable: answers are application/json");
      return;
    }
    Buffer body = ctx.body().buffer();
    JsonRpcMessage message;
    try {
      JsonNode json = Json.parse(body == null ? new byte[0] : body.getBytes());
      message = JsonRpcMessage.read(json);
    } catch (ToolException notJson) {
      send(ctx, 400, McpSession.parseError(notJson).toJson());
      return;
    } catch (JsonRpcError badEnvelope) {
      send(ctx, 400, badEnvelope.toJson());
      return;
    }
    boolean initialize = message.kind() == JsonRpcMessage.Kind.REQUEST && message.method().equals("initialize");
    // the version header is for the requests after initialize, which negotiates in its body
    if (!initialize && !versionSupported(ctx)) return;
    Entry entry = initialize ? new Entry(newSession.get()) : session(ctx, message.id());
    if (entry == null) return;
    entry.session.handle(message).onComplete(ar -> {
      entry.lastUsed = System.nanoTime();
      if (ar.failed()) {
        send(ctx, 500, new JsonRpcError(JsonRpcError.INTERNAL_ERROR, "Internal error: " + ar.cause(), message.id()).toJson());
      } else if (ar.result() == null) {
        if (!ctx.response().ended() && !ctx.response().closed()) ctx.response().setStatusCode(202).end();
      } else {
        if (initialize && ar.result().has("result")) ctx.response().putHeader(SESSION_HEADER, open(entry));
        send(ctx, 200, ar.result());
      }
    });
  }

  private void delete(RoutingContext ctx) {
    if (!versionSupported(ctx)) return;
    Entry entry = session(ctx, null);
    if (entry == null) return;
    String id = ctx.request().getHeader(SESSION_HEADER);
    // answered once the session's sandbox is gone: a client that saw 204 leaves nothing running
    Future<Void> closed = sessions.remove(id, entry) ? entry.session.close() : Future.succeededFuture();
    closed.onComplete(ar -> {
      if (!ctx.response().ended() && !ctx.response().closed()) ctx.response().setStatusCode(204).end();
    });
  }

  /** The session the request names; null, with 400 or 404 answered, when it names none we know. */
  private Entry session(RoutingContext ctx, JsonNode messageId) {
    String id = ctx.request().getHeader(SESSION_HEADER);
    if (id == null) {
      send(ctx, 400, new JsonRpcError(JsonRpcError.TRANSPORT_REFUSED,
          "Bad Request: the " + SESSION_HEADER + " header is required (send initialize first)", messageId).toJson());
      return null;
    }
    Entry entry = sessions.get(id);
    if (entry == null || idle(entry)) {
      if (entry != null && sessions.remove(id, entry)) entry.session.close();
      send(ctx, 404, new JsonRpcError(JsonRpcError.SESSION_NOT_FOUND,
          "Session not found: it ended or never was; send initialize again", messageId).toJson());
      return null;
    }
    entry.lastUsed = System.nanoTime();
    return entry;
  }

  private String open(Entry entry) {
    sessions.entrySet().removeIf(e -> {
      boolean drop = idle(e.getValue());
      if (drop) e.getValue().session.close();
      return drop;
    });
    while (sessions.size() >= MAX_SESSIONS) {
      sessions.entrySet().stream().min(Comparator.comparingLong(e -> e.getValue().lastUsed))
          .ifPresent(oldest -> {
            if (sessions.remove(oldest.getKey(), oldest.getValue())) oldest.getValue().session.close();
          });
    }
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);  // visible ASCII, as MCP requires
    sessions.put(id, entry);
    return id;
  }

  private static boolean idle(Entry entry) {
    return !entry.session.busy() && System.nanoTime() - entry.lastUsed > IDLE_TIMEOUT.toNanos();
  }

  private static String mediaType(String header) {
    int semicolon = header.indexOf(';');
    return (semicolon < 0 ? header : header.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
  }

  /** No Accept header, or one admitting application/json (MCP clients send it with text/event-stream). */
  private static boolean acceptsJson(String accept) {
    if (accept == null || accept.isBlank()) return true;
    for (String range : accept.split(",")) {
      String type = mediaType(range);
      if (type.equals("application/json") || type.equals("application/*") || type.equals("*/*")) return true;
    }
    return false;
  }

  private static void refuse(RoutingContext ctx, int status, int code, String message) {
    send(ctx, status, new JsonRpcError(code, message, null).toJson());
  }

  private static void send(RoutingContext ctx, int status, JsonNode body) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) return;  // the client went away meanwhile
    response.setStatusCode(status).putHeader("Content-Type", "application/json").end(Buffer.buffer(Json.bytes(body)));
  }
}
