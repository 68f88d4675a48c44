package dev.toolhost.transport.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolhost.api.Json;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * MCP over stdio: newline-delimited JSON-RPC messages in on {@code in}, answers out on
 * {@code out}, one session for the whole stream. Reading blocks, so a dedicated thread reads and
 * hands each line to the session on a Vert.x context; answers are written by one writer thread,
 * so lines never interleave and a slow reader of {@code out} never blocks an event loop. Calls
 * run concurrently: a later message (a ping, a cancellation) does not wait for an earlier call.
 *
 * <p>{@link #serve} completes once {@code in} is closed, every message read has been answered, and
 * the session is closed (its sandbox, if it made one, torn down). Nothing but answers is written to {@code out}; problems of the stream itself go to
 * {@code log} (stderr). A line longer than {@link #MAX_LINE_BYTES} is answered -32600.
 */
public final class McpStdioTransport {
  public static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

  private final McpSession session;
  private final int maxLineBytes;
  private final Context context;
  private final InputStream in;
  private final OutputStream out;
  private final PrintStream log;
  private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> daemon(r, "toolhost-mcp-stdout"));
  /** Messages read and not yet answered, plus one for the reader while it reads. */
  private final AtomicInteger pending = new AtomicInteger(1);
  private final Promise<Void> done = Promise.promise();
  private volatile boolean outBroken;

  public McpStdioTransport(McpSession session, Context context, InputStream in, OutputStream out, PrintStream log) {
    this(session, context, in, out, log, MAX_LINE_BYTES);
  }

  McpStdioTransport(McpSession session, Context context, InputStream in, OutputStream out, PrintStream log,
      int maxLineBytes) {
    this.session = session;
    this.maxLineBytes = maxLineBytes;
    this.context = context;
    this.in = in;
    this.out = out;
    this.log = log;
  }

  /** Starts reading; the future completes when the input has ended and everything read is answered. */
  public Future<Void> serve() {
    daemon(this::readLoop, "toolhost-mcp-stdin").start();
    return done.future();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private void readLoop() {
    try {
      LineReader lines = new LineReader(in, maxLineBytes);
      for (byte[] line = lines.next(); line != null; line = lines.next()) {
        if (line == LineReader.TOO_LONG) {
          pending.incrementAndGet();
          JsonNode refusal = new JsonRpcError(JsonRpcError.INVALID_REQUEST,
              "Invalid Request: a message may be at most " + maxLineBytes + " bytes", null).toJson();
          context.runOnContext(v -> write(refusal));  // after the answers of the lines before it
          continue;
        }
        if (isBlank(line)) continue;
        pending.incrementAndGet();
        byte[] message = line;
        context.runOnContext(v -> session.handle(message).onComplete(ar -> write(ar.succeeded() ? ar.result()
            : new JsonRpcError(JsonRpcError.INTERNAL_ERROR, "Internal error: " + ar.cause(), null).toJson())));
      }
    } catch (IOException e) {
      log.println("toolhost mcp: reading stdin failed: " + e.getMessage());
    } finally {
      finishOne();
    }
  }

  private void write(JsonNode answer) {
    writer.execute(() -> {
      try {
        if (answer != null && !outBroken) {
          out.write(Json.bytes(answer));  // compact JSON: newlines inside strings are escaped
          out.write('\n');
          out.flush();
        }
      } catch (IOException e) {
        outBroken = true;
        log.println("toolhost mcp: writing stdout failed, answers are dropped: " + e.getMessage());
      } finally {
        finishOne();
      }
    });
  }

  private void finishOne() {
    if (pending.decrementAndGet() == 0) {
      writer.shutdown();
      session.close().onComplete(ar -> done.tryComplete());
    }
  }

  private static boolean isBlank(byte[] line) {
    for (byte b : line) {
      if (b != ' ' && b != '\t' && b != '\r') return false;
    }
    return true;
  }

  /** Lines of bytes without their {@code \n}; a line over the limit is skipped and reported as {@link #TOO_LONG}. */
  private static final class LineReader {
    static final byte[] TOO_LONG = new byte[0];
    private final InputStream in;
    private final int max;
    private final byte[] buffer = new byte[64 * 1024];
    private int pos;
    private int limit;

    LineReader(InputStream in, int max) {
      this.in = in;
      this.max = max;
    }

    byte[] next() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      boolean tooLong = false;
      while (true) {
        if (pos == limit) {
          limit = in.read(buffer);
          pos = 0;
          if (limit <= 0) {
            limit = 0;
            if (tooLong) return TOO_LONG;
            return line.size() == 0 ? null : line.toByteArray();  // a last line without \n still counts
          }
        }
        int start = pos;
        while (pos < limit && buffer[pos] != '\n') pos++;
        if (!tooLong) {
          line.write(buffer, start, pos - start);
          if (line.size() > max) {
            tooLong = true;
            line = new ByteArrayOutputStream();
          }
        }
        if (pos < limit) {
          pos++;  // the \n
          return tooLong ? TOO_LONG : line.toByteArray();
        }
      }
    }
  }
}
