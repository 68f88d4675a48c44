package dev.toolhost.sandbox;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Files to mount, by path relative to the sandbox root ({@code src/app.py}); directories are implied. */
public record FileTree(Map<String, Buffer> files) {
  public FileTree {
    files = Map.copyOf(files);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects files; nested trees go under a directory. */
  public static final class Builder {
    private final Map<String, Buffer> files = new LinkedHashMap<>();

    public Builder file(String path, String text) {
      return file(path, Buffer.buffer(text.getBytes(StandardCharsets.UTF_8)));
    }

    public Builder file(String path, byte[] bytes) {
      return file(path, Buffer.buffer(bytes));
    }

    public Builder file(String path, Buffer content) {
      files.put(path, content);
      return this;
    }

    public Builder directory(String path, FileTree tree) {
      tree.files().forEach((name, content) -> files.put(path + "/" + name, content));
      return this;
    }

    public FileTree build() {
      return new FileTree(files);
    }
  }
}
