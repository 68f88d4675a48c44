package dev.toolhost.transport.http;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes output that arrives in chunks as UTF-8 text: a character whose bytes a chunk boundary
 * splits is held back until the rest arrives, so no event carries half of it as U+FFFD.
 */
final class Utf8Chunks {
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
  private byte[] pending = new byte[0];

  /** The text of {@code chunk} with what an earlier chunk held back, less an incomplete last character. */
  String next(Buffer chunk) {
    byte[] bytes = new byte[pending.length + chunk.length()];
    System.arraycopy(pending, 0, bytes, 0, pending.length);
    chunk.getBytes(bytes, pending.length);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    decoder.decode(in, out, false);
    pending = Arrays.copyOfRange(bytes, in.position(), bytes.length);
    return out.flip().toString();
  }
}
