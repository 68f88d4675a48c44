package dev.toolhost.runtime.graal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolhost.api.Json;
import dev.toolhost.api.ProcessError;
import dev.toolhost.api.Timeout;
import dev.toolhost.api.ToolError;
import dev.toolhost.api.ToolException;
import dev.toolhost.api.ToolFailure;
import dev.toolhost.config.PermissionPolicy;
import dev.toolhost.runtime.RuntimeCall;
import dev.toolhost.runtime.ToolSet;
import dev.toolhost.runtime.pool.MemberCall;
import dev.toolhost.runtime.pool.AbstractPoolMember;
import dev.toolhost.runtime.protocol.Frames;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * One GraalJS context holding the modules of one tool (or, for the catalog, all of them), with
 * its own little event loop: calls, timer callbacks and fetch replies enter it one at a time
 * through a {@link SerialExecutor} on the guest threads, never on a Vert.x event loop. A
 * timeout or cancel closes the context ({@code close(true)} stops the guest at once).
 */
final class ToolContext extends AbstractPoolMember<ToolContext> {
  /**
   * A module to load: the absolute path of its bundle (or source), and its path relative to the
   * tools root; or, instead of a path, why it cannot be loaded (a bundle error). A bundle (an ES
   * module by construction) comes read: {@code source}, evaluated before the bootstrap imports it.
   */
  record Module(Path path, String relative, String error, Source source) {}

  private static final String EMPTY_OBJECT = "{}";

  private final ContextTemplate template;
  private final Function<Value, Value> loading;  // the bootstrap API -> a promise of the modules loaded
  private final Function<Value, ToolSet> loaded;  // what that promise settled to -> the readiness value
  private final SerialExecutor serial;
  private final FetchBridge fetch;
  private final ConfinedFileSystem files;
  private final Map<Long, Long> timers = new ConcurrentHashMap<>();

  private Context context;
  private Value api;
  private long timerCounter;

  private ToolContext(ContextTemplate template, Function<Value, Value> loading, Function<Value, ToolSet> loaded,
      PermissionPolicy policy, Consumer<ToolContext> onDeath) {
    super(onDeath);
    this.template = template;
    this.loading = loading;
    this.loaded = loaded;
    this.serial = new SerialExecutor(template.guestThreads());
    this.fetch = new FetchBridge(template.web(), policy.net());
    this.files = template.fileSystem(policy);
  }

  /** A context that loads every module and describes them: its readiness is the catalog. */
  static ToolContext describing(ContextTemplate template, List<Module> modules, Consumer<ToolContext> onDeath) {
    ArrayNode list = Json.MAPPER.createArrayNode();
    for (Module m : modules) {
      ObjectNode o = list.addObject().put("module", m.relative());
      if (m.error() != null) o.put("error", m.error()); else o.put("path", m.path().toString());
    }
    String modulesJson = list.toString();
    return new ToolContext(template, api -> api.invokeMember("describe", modulesJson),
        json -> Frames.toolSet(parse(json.asString())), PermissionPolicy.DEFAULT, onDeath);
  }

  /**
   * A context that serves the calls of one module's tools under {@code policy}. It only loads the
   * module (the catalog already describes it), so its readiness carries no tool set.
   */
  static ToolContext serving(ContextTemplate template, Module module, PermissionPolicy policy, Consumer<ToolContext> onDeath) {
    String path = module.path().toString();
    return new ToolContext(template, api -> {
      if (module.source() != null) preload(api.getContext(), module.source());
      return api.invokeMember("load", path, module.relative());
    }, settled -> null, policy, onDeath);
  }

  /** Builds the context and loads the modules on a guest thread; {@link #ready()} tells the outcome. */
  ToolContext boot() {
    serial.execute(() -> {
      try {
        Context built = template.newContext(files);
        synchronized (this) {
          context = built;
          if (isDead()) {
            built.close(true);
            return;
          }
        }
        built.getBindings("js").putMember(HostBridge.GLOBAL, HostBridge.of(this));
        template.bootstrap().forEach(built::eval);
        api = built.getBindings("js").getMember("__toolhost");
        then(loading.apply(api), value -> ready.tryComplete(loaded.apply(value)),
            error -> die(new ProcessError("the GraalJS bootstrap failed: " + error, null, null, null)));
      } catch (PolyglotException | IllegalArgumentException | IllegalStateException e) {
        die(new ProcessError("a GraalJS context could not start: " + e.getMessage(), null, null, null));
      }
    });
    return this;
  }

  @Override
  public MemberCall start(RuntimeCall call) {
    MemberCall c = begin(call);
    serial.execute(() -> guest(() -> {
      if (template.limits() != null) context.resetLimits();
      // the usual call has no env and no config: no tree is built for them
      String env = call.env().isEmpty() ? EMPTY_OBJECT : json(Json.MAPPER.valueToTree(call.env()));
      String config = call.config() == null ? EMPTY_OBJECT : json(call.config());
      String limits = "{\"outputBytes\":" + call.outputLimitBytes() + ",\"logBytes\":" + call.logLimitBytes() + "}";
      Value promise = api.invokeMember("invoke", c.id(), call.tool(), json(call.input()), env, config,
          call.executionId(), limits);
      then(promise, frame -> answer(c, parse(frame.asString())), error -> answer(c, null));
    }));
    return c;
  }

  /** Closes the context, stopping any guest code at once (on a worker thread: close waits for the guest to leave). */
  @Override
  public Future<Void> kill() {
    Context c;
    synchronized (this) {
      c = context;
    }
    die(new ProcessError("the GraalJS context was closed", null, null, null));
    if (c == null) return Future.succeededFuture();
    return template.vertx().executeBlocking(() -> {
      try {
        c.close(true);
      } catch (PolyglotException | IllegalStateException ignored) {
        // closing a cancelled context reports the cancellation; it is closed all the same
      }
      return null;
    }, false);
  }

  // ---- host functions (called by the guest, on its thread) ----

  void log(String callId, String level, String message) {
    MemberCall call = current(callId);
    if (call != null) call.log(level, message);
  }

  long setTimer(long delayMs, Value callback) {
    long id;
    synchronized (this) {
      id = ++timerCounter;
    }
    if (delayMs <= 0) {
      timers.put(id, -1L);
      serial.execute(() -> fireTimer(id, callback));
    } else {
      timers.put(id, template.vertx().setTimer(delayMs, t -> serial.execute(() -> fireTimer(id, callback))));
    }
    return id;
  }

  void clearTimer(long id) {
    Long vertxTimer = timers.remove(id);
    if (vertxTimer != null && vertxTimer >= 0) template.vertx().cancelTimer(vertxTimer);
  }

  private void fireTimer(long id, Value callback) {
    if (timers.remove(id) != null) guest(callback::executeVoid);
  }

  void fetch(String requestJson, Value onDone, Value onError) {
    JsonNode request = parse(requestJson);
    fetch.fetch(request).onComplete(ar -> serial.execute(() -> guest(() -> {
      if (ar.succeeded()) {
        onDone.executeVoid(ar.result().toString());
      } else {
        ObjectNode error = Json.MAPPER.createObjectNode();
        if (ar.cause() instanceof FetchBridge.FetchDenied denied) {
          error.put("name", "Error").put("message", denied.getMessage()).put("code", "ERR_ACCESS_DENIED")
              .put("permission", "net").put("resource", denied.target);
        } else {
          error.put("name", "TypeError").put("message", "fetch failed").put("cause", String.valueOf(ar.cause().getMessage()));
        }
        onError.executeVoid(error.toString());
      }
    })));
  }

  /** Compiles a CommonJS module as a function of (exports, require, module, __filename, __dirname). */
  Value commonJs(String path) {
    Path file = Path.of(path);
    String source;
    try (var channel = files.newByteChannel(file, Set.of(StandardOpenOption.READ))) {
      source = new String(java.nio.channels.Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path + ": " + e.getMessage());
    }
    String relative = template.toolsRoot().relativize(file).toString();
    String wrapped = "(function (exports, require, module, __filename, __dirname) {" + source + "\n})";
    return context.eval(Source.newBuilder("js", wrapped, relative).buildLiteral());
  }

  // ---- internals ----

  /**
   * Evaluates a bundle so that the bootstrap's import of it finds it evaluated. A module that
   * fails here fails the same way in that import, which reports it as for any module.
   */
  private static void preload(Context context, Source bundle) {
    try {
      context.eval(bundle);
    } catch (PolyglotException e) {
      if (!e.isGuestException() && !e.isSyntaxError()) throw e;
    }
  }

  /** Runs guest code; a failure that escapes it is the current call's (or kills the context). */
  private void guest(Runnable task) {
    if (isDead()) return;
    try {
      task.run();
    } catch (PolyglotException e) {
      onGuestFailure(e);
    }
  }

  private void onGuestFailure(PolyglotException e) {
    if (isDead()) return;  // we closed it: the call already has its answer
    MemberCall call = current(null);
    // a statement limit also cancels the context, so it must be told apart before cancellation
    if (e.isResourceExhausted()) {
      boolean statements = String.valueOf(e.getMessage()).toLowerCase().contains("statement");
      ToolError error = statements
          ? new Timeout("the tool exceeded the statement limit (a runaway loop?) and was stopped: " + e.getMessage(),
              call == null ? 0 : call.request().timeoutMs())
          : new ProcessError("the tool exhausted a resource: " + e.getMessage(), null, null, null);
      if (call != null) call.fail(new ToolException(error));
      kill();
      return;
    }
    if (e.isCancelled()) return;
    if (e.isGuestException()) {
      // thrown where nothing catches it (a timer callback): the current call's error, as on Node
      if (call != null) {
        retire();
        call.fail(new ToolException(guestError(e)));
      }
      return;
    }
    if (call != null) {
      call.fail(new ToolException(new ProcessError("GraalJS failed: " + e.getMessage(), null, null, null)));
    }
    kill();
  }

  private static ToolFailure guestError(PolyglotException e) {
    Value guest = e.getGuestObject();
    String name = guest != null && guest.hasMember("name") ? String.valueOf(guest.getMember("name")) : "Error";
    String code = guest != null && guest.hasMember("code") && guest.getMember("code").isString()
        ? guest.getMember("code").asString() : null;
    StringBuilder stack = new StringBuilder(String.valueOf(e.getMessage()));
    for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
      if (frame.isGuestFrame()) stack.append("\n    at ").append(frame);
    }
    return new ToolFailure(e.getMessage(), name, code, stack.toString(), false, null);
  }

  /** Answers a call from the frame the bootstrap produced for it (null: it rejected the call). */
  private void answer(MemberCall call, JsonNode frame) {
    finish(call.id());
    if (frame != null && frame.path("recycle").asBoolean(false)) retire();
    if (frame == null) {
      call.fail(new ToolException(new ProcessError("the GraalJS bootstrap rejected a call", null, null, null)));
    } else if ("result".equals(frame.path("type").asText())) {
      call.succeed(frame.get("output"));
    } else {
      call.fail(new ToolException(Frames.error(frame.path("error"), call.request().tool())));
    }
  }

  @Override
  protected void onDied() {
    timers.values().forEach(t -> {
      if (t >= 0) template.vertx().cancelTimer(t);
    });
    timers.clear();
  }


  private static void then(Value promise, Consumer<Value> onValue, Consumer<String> onError) {
    promise.invokeMember("then",
        (ProxyExecutable) a -> {
          onValue.accept(a.length == 0 ? null : a[0]);
          return null;
        },
        (ProxyExecutable) a -> {
          onError.accept(String.valueOf(a[0]));
          return null;
        });
  }

  private static JsonNode parse(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the GraalJS bootstrap produced invalid JSON", e);
    }
  }

  private static String json(JsonNode node) {
    return node.toString();
  }
}
