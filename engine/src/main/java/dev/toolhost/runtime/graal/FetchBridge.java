package dev.toolhost.runtime.graal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolhost.api.Json;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code fetch} for GraalJS tools and sandboxed worker processes, on the Vert.x Web Client. Every
 * hop — the request and each redirect — is checked against the tool's network allowlist before
 * any connection is made. Entries are {@code host} (any port) or {@code host:port}; nothing is
 * allowed by default.
 */
public final class FetchBridge {
  private static final int MAX_REDIRECTS = 5;

  private final WebClient client;
  private final List<String> allowed;

  public FetchBridge(WebClient client, List<String> allowed) {
    this.client = client;
    this.allowed = allowed.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList();
  }

  /** Completes with the response JSON of the host contract, or fails with {@link FetchDenied} or the I/O error. */
  public Future<ObjectNode> fetch(JsonNode request) {
    String method = request.path("method").asText("GET").toUpperCase(Locale.ROOT);
    Buffer body = request.hasNonNull("body") ? Buffer.buffer(request.get("body").asText()) : null;
    return send(request.path("url").asText(), method, request.path("headers"), body, 0);
  }

  private Future<ObjectNode> send(String url, String method, JsonNode headers, Buffer body, int hops) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new IllegalArgumentException("invalid URL '" + url + "'"));
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      return Future.failedFuture(new IllegalArgumentException("fetch supports http and https URLs, not '" + url + "'"));
    }
    int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    String target = uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    if (!allowed.contains(target) && !allowed.contains(uri.getHost().toLowerCase(Locale.ROOT))) {
      return Future.failedFuture(new FetchDenied(target));
    }
    HttpRequest<Buffer> req = client.requestAbs(HttpMethod.valueOf(method), url).followRedirects(false);
    for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> h = it.next();
      req.putHeader(h.getKey(), h.getValue().asText());
    }
    Future<HttpResponse<Buffer>> sent = body == null ? req.send() : req.sendBuffer(body);
    return sent.compose(response -> {
      String location = response.getHeader("location");
      if (response.statusCode() / 100 == 3 && location != null && hops < MAX_REDIRECTS) {
        boolean keepsMethod = response.statusCode() == 307 || response.statusCode() == 308;
        return send(uri.resolve(location).toString(), keepsMethod ? method : "GET", headers,
            keepsMethod ? body : null, hops + 1);
      }
      return Future.succeededFuture(toJson(url, response));
    });
  }

  private static ObjectNode toJson(String url, HttpResponse<Buffer> response) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("url", url);
    out.put("status", response.statusCode());
    out.put("statusText", response.statusMessage());
    ArrayNode headers = out.putArray("headers");
    MultiMap all = response.headers();
    all.forEach(h -> headers.addArray().add(h.getKey().toLowerCase(Locale.ROOT)).add(h.getValue()));
    Buffer body = response.body();
    out.put("body", body == null ? "" : body.toString());
    return out;
  }

  /** The tool's policy does not allow this host and port. */
  public static final class FetchDenied extends RuntimeException {
    public final String target;

    FetchDenied(String target) {
      super("the tool may not connect to " + target + " (not in its network allowlist)", null, false, false);
      this.target = target;
    }
  }
}
