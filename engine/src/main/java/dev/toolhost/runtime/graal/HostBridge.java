package dev.toolhost.runtime.graal;

import java.util.Map;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * The global {@code __toolhostHost} a context's bootstrap captures (tools-sdk/PROTOCOL.md,
 * "GraalJS host"): log, timers, fetch and CommonJS compilation, each served by its context.
 * These are the guest's only ways out; all else is closed by the sandbox policy.
 */
final class HostBridge {
  static final String GLOBAL = "__toolhostHost";

  private HostBridge() {}

  static ProxyObject of(ToolContext context) {
    return ProxyObject.fromMap(Map.of(
        "log", (ProxyExecutable) a -> {
          context.log(a[0].isNull() ? null : a[0].asString(), a[1].asString(), a[2].asString());
          return null;
        },
        "setTimer", (ProxyExecutable) a -> context.setTimer(a[0].isNumber() ? (long) a[0].asDouble() : 0, a[1]),
        "clearTimer", (ProxyExecutable) a -> {
          if (a[0].isNumber()) context.clearTimer(a[0].asLong());
          return null;
        },
        "fetch", (ProxyExecutable) a -> {
          context.fetch(a[0].asString(), a[1], a[2]);
          return null;
        },
        "commonJs", (ProxyExecutable) a -> context.commonJs(a[0].asString())));
  }
}
