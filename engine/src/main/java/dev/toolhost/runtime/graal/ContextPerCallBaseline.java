package dev.toolhost.runtime.graal;

import dev.toolhost.runtime.process.WorkerHome;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;

/**
 * How most Java agent frameworks run JavaScript today, for the benchmark to compare against: a
 * new Context — and with it a new engine — for every call, the tool module evaluated afresh,
 * its function called once. Synchronous tools only; nothing of the pooled runtime is used.
 */
public final class ContextPerCallBaseline {
  private final Path sdk;
  private final Path toolsRoot;

  public ContextPerCallBaseline(WorkerHome home) {
    this.sdk = home.sdk();
    this.toolsRoot = home.toolsRoot();
  }

  /** Runs {@code tool} from {@code module} (relative to the tools root) once; returns its output JSON. */
  public String callOnce(String module, String tool, String inputJson) {
    ConfinedFileSystem fs = new ConfinedFileSystem(sdk.resolve("index.js"), List.of(sdk, toolsRoot), List.of());
    try (Context context = Context.newBuilder("js")
        .out(OutputStream.nullOutputStream())
        .err(OutputStream.nullOutputStream())
        .allowIO(IOAccess.newBuilder().fileSystem(fs).build())
        .option("engine.WarnInterpreterOnly", "false")
        .build()) {
      String path = toolsRoot.resolve(module).toString().replace("\\", "\\\\").replace("\"", "\\\"");
      context.eval(Source.newBuilder("js", "import * as m from \"" + path + "\"; globalThis.m = m;", "call.mjs")
          .mimeType("application/javascript+module").buildLiteral());
      Value found = context.eval("js", """
          (name) => Object.values(globalThis.m).concat(Object.values(globalThis.m.default ?? {}), [globalThis.m.default])
              .find(t => t && (t.name === name))""").execute(tool);
      Value run = found.hasMember("run") ? found.getMember("run") : found;
      Value input = context.eval("js", "JSON.parse").execute(inputJson);
      return context.eval("js", "JSON.stringify").execute(run.execute(input)).asString();
    }
  }
}
