package dev.toolhost.runtime.graal;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.io.IOAccess;
import dev.toolhost.config.PermissionPolicy;

/**
 * What every GraalJS context of one engine is made from: the shared polyglot engine (so code
 * parsed once is cached for all contexts), the guest threads, the bootstrap sources and the
 * resource limits. A context gets {@link SandboxPolicy#CONSTRAINED}: no host class access, no
 * environment, no threads, no processes, no native access, output captured, and only the
 * {@link ConfinedFileSystem} of its policy.
 *
 * @param bootstrap the SDK modules the bootstrap imports, in import order, then the bootstrap
 *     itself ({@link #module}: each read once, not by every context)
 */
record ContextTemplate(
    Vertx vertx,
    Engine engine,
    Executor guestThreads,
    List<Source> bootstrap,
    ResourceLimits limits,
    Path sdk,
    Path toolsRoot,
    Path bundles,
    WebClient web) {

  /** The files a context under this policy may see: the SDK, the tools root, its bundles and the policy's paths. */
  ConfinedFileSystem fileSystem(PermissionPolicy policy) {
    List<Path> reads = new ArrayList<>(List.of(sdk, toolsRoot, bundles));
    policy.fsRead().forEach(p -> reads.add(Path.of(p)));
    List<Path> writes = policy.fsWrite().stream().map(Path::of).toList();
    return new ConfinedFileSystem(sdk.resolve("index.js"), reads, writes);
  }

  /**
   * An ES module read from its file now. A context that evaluates it registers it under its path,
   * so an import of that path finds it there instead of reading, hashing and parsing the file
   * again: most of what a module costs a fresh context.
   */
  static Source module(Path file) throws IOException {
    return Source.newBuilder("js", file.toFile()).mimeType("application/javascript+module").build();
  }

  Context newContext(ConfinedFileSystem fs) {
    Context.Builder builder = Context.newBuilder("js")
        .engine(engine)
        .sandbox(SandboxPolicy.CONSTRAINED)
        .out(OutputStream.nullOutputStream())  // console is captured by the bootstrap
        .err(OutputStream.nullOutputStream())
        .allowIO(IOAccess.newBuilder().fileSystem(fs).build())
        .currentWorkingDirectory(toolsRoot)
        // an unawaited rejection reaches the bootstrap's handler and fails the call, as on Node
        .option("js.unhandled-rejections", "handler");
    if (limits != null) builder.resourceLimits(limits);
    return builder.build();
  }
}
