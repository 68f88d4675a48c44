package dev.toolhost.sandbox.spi;

import io.vertx.core.buffer.Buffer;

/**
 * What a process printed, kept as it comes. A command's output is bounded: over the limit it is
 * stopped ({@link #bounded}). A dev server runs for long, so only the last bytes of its log are
 * kept ({@link #tail}). Used on the sandbox's context only.
 */
public final class OutputCapture {
  private final long limit;
  private final boolean keepTail;
  private Buffer stdout = Buffer.buffer();
  private Buffer stderr = Buffer.buffer();

  private OutputCapture(long limit, boolean keepTail) {
    this.limit = limit;
    this.keepTail = keepTail;
  }

  public static OutputCapture bounded(long limit) {
    return new OutputCapture(limit, false);
  }

  /** Keeps at most about {@code limit} bytes of each stream, the last ones. */
  public static OutputCapture tail(long limit) {
    return new OutputCapture(limit, true);
  }

  /** Keeps {@code chunk}; false when a bounded capture would go over its limit (nothing is kept then). */
  public boolean append(boolean toStderr, Buffer chunk) {
    if (!keepTail && stdout.length() + (long) stderr.length() + chunk.length() > limit) return false;
    Buffer target = toStderr ? stderr : stdout;
    target.appendBuffer(chunk);
    if (keepTail && target.length() > 2 * limit) {
      Buffer last = target.getBuffer(target.length() - (int) limit, target.length());
      if (toStderr) stderr = last; else stdout = last;
    }
    return true;
  }

  public long limit() {
    return limit;
  }

  public Buffer stdout() {
    return stdout;
  }

  public Buffer stderr() {
    return stderr;
  }

  /** The last {@code chars} characters printed, stderr after stdout, for error messages. */
  public String tailText(int chars) {
    String all = stdout.toString() + stderr.toString();
    return all.length() <= chars ? all : "…" + all.substring(all.length() - chars);
  }
}
