package dev.toolhost.transport.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Lets a request on only with {@code Authorization: Bearer <token>}; otherwise 401 with
 * {@code WWW-Authenticate: Bearer}. Both tokens are hashed to SHA-256 and the digests compared
 * with {@link MessageDigest#isEqual}, so the time taken depends on neither the token's content
 * nor its length.
 */
final class BearerAuth implements Handler<RoutingContext> {
  private static final String SCHEME = "Bearer ";
  private final byte[] expected;

  BearerAuth(String token) {
    this.expected = sha256(token);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      deny(ctx, "Bearer realm=\"toolhost\"", "missing bearer token: send 'Authorization: Bearer <token>'");
      return;
    }
    byte[] presented = sha256(header.substring(SCHEME.length()).trim());
    if (!MessageDigest.isEqual(expected, presented)) {
      deny(ctx, "Bearer realm=\"toolhost\", error=\"invalid_token\"", "the bearer token is not valid");
      return;
    }
    ctx.next();
  }

  private static void deny(RoutingContext ctx, String challenge, String message) {
    ctx.response().putHeader("WWW-Authenticate", challenge);
    ErrorResponses.http(ctx, 401, ErrorResponses.UNAUTHORIZED, message);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
