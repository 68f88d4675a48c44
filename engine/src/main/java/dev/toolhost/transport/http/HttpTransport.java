package dev.toolhost.transport.http;

import dev.toolhost.config.EngineConfig;
import dev.toolhost.engine.ToolEngine;
import io.vertx.core.Future;
import java.time.Duration;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * The engine over HTTP (Vert.x Web), JSON everywhere; README.md "HTTP" documents each route.
 * It binds {@code http.host}:{@code http.port} (0 picks a free port). With {@code http.token} set,
 * every route but {@code /health} needs {@code Authorization: Bearer <token>}. A request body is
 * read up to {@code http.bodyLimit}; a larger one is 413.
 */
public final class HttpTransport {
  /** A tool id may hold '/', so the id is the rest of the path; a GET there never ends in /invoke. */
  private static final String TOOL = "^/v1/tools/(?<id>.+?)(?<!/invoke)$";
  private static final String INVOKE = "^/v1/tools/(?<id>.+)/invoke$";
  private static final String CANCEL = "^/v1/executions/(?<executionId>.+)/cancel$";

  private final HttpServer server;
  private final String host;

  private HttpTransport(HttpServer server, String host) {
    this.server = server;
    this.host = host;
  }

  public static Future<HttpTransport> start(Vertx vertx, ToolEngine engine) {
    return start(vertx, engine, router -> { });
  }

  /**
   * @param moreRoutes adds routes of other transports (such as {@code /mcp}) behind the same
   *     token check and error answers
   */
  public static Future<HttpTransport> start(Vertx vertx, ToolEngine engine, Handler<Router> moreRoutes) {
    EngineConfig config = engine.config();
    Router router = router(vertx, engine);
    moreRoutes.handle(router);
    HttpServerOptions options = new HttpServerOptions().setHost(config.httpHost()).setPort(config.httpPort());
    return vertx.createHttpServer(options).requestHandler(router).listen()
        .map(server -> new HttpTransport(server, config.httpHost()));
  }

  private static Router router(Vertx vertx, ToolEngine engine) {
    EngineConfig config = engine.config();
    Supplier<CatalogSnapshot> snapshot = CatalogSnapshot.following(engine);
    CatalogHandlers catalog = new CatalogHandlers(snapshot);
    PrometheusMetrics metrics = new PrometheusMetrics(tool -> engine.catalog().find(tool).isPresent(), engine::liveMembers);
    engine.addListener(metrics);
    RequestBody body = new RequestBody(config.httpBodyLimitBytes());

    Router router = Router.router(vertx);
    router.get("/health").handler(new HealthHandler(engine));
    methodNotAllowed(router.route("/health"), "GET");
    if (config.httpToken() != null && !config.httpToken().isEmpty()) {
      router.route().handler(new BearerAuth(config.httpToken()));
    }
    router.get("/metrics").handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, PrometheusMetrics.CONTENT_TYPE)
        .end(metrics.render()));
    router.get("/v1/tools").handler(catalog::list);
    router.get("/v1/tools/openai").handler(catalog::openAi);
    router.postWithRegex(INVOKE).handler(body).handler(new InvokeHandler(engine, snapshot));
    router.getWithRegex(TOOL).handler(catalog::describe);
    router.postWithRegex(CANCEL).handler(new CancelHandler(engine));

    methodNotAllowed(router.route("/metrics"), "GET");
    methodNotAllowed(router.route("/v1/tools"), "GET");
    methodNotAllowed(router.routeWithRegex(INVOKE), "POST");
    methodNotAllowed(router.routeWithRegex(TOOL), "GET");
    methodNotAllowed(router.routeWithRegex(CANCEL), "POST");
    for (int status : new int[] {400, 404, 405, 413, 500}) router.errorHandler(status, ErrorResponses::routerFailure);
    return router;
  }

  /** The last route for a path: any other method than {@code allowed} is 405 with an Allow header. */
  private static void methodNotAllowed(Route route, String allowed) {
    route.handler((RoutingContext ctx) -> {
      ctx.response().putHeader(HttpHeaders.ALLOW, allowed);
      ErrorResponses.http(ctx, 405, ErrorResponses.METHOD_NOT_ALLOWED,
          ctx.request().method() + " is not allowed on " + ctx.request().path() + "; use " + allowed);
    });
  }

  /** The port bound (the one picked when {@code http.port} is 0). */
  public int port() {
    return server.actualPort();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:8080}. */
  public String url() {
    String shown = host.contains(":") ? "[" + host + "]" : host;
    return "http://" + shown + ":" + port();
  }

  /** Stops accepting connections and closes the open ones. */
  public Future<Void> close() {
    return server.close();
  }

  /**
   * Graceful stop: the listening socket closes at once, requests in flight get up to
   * {@code grace} to be answered (HTTP/1 connections close after their current request), then
   * every connection closes.
   */
  public Future<Void> shutdown(Duration grace) {
    return server.shutdown(grace);
  }
}
