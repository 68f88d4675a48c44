package dev.toolhost.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolhost.api.Json;

/** What a sandbox tells its listeners; {@link #name()} is the wire name (the SSE event name). */
public sealed interface SandboxEvent {
  String name();

  /** The event as JSON, its fields without the name. */
  ObjectNode toJson();

  /** A dev server's port accepts connections at {@code url}. */
  record ServerReady(int port, String url) implements SandboxEvent {
    @Override public String name() { return "server-ready"; }
    @Override public ObjectNode toJson() { return Json.MAPPER.createObjectNode().put("port", port).put("url", url); }
  }

  /** A process started in the sandbox ended. */
  record ProcessExit(long pid, int exitCode) implements SandboxEvent {
    @Override public String name() { return "process-exit"; }
    @Override public ObjectNode toJson() { return Json.MAPPER.createObjectNode().put("pid", pid).put("exitCode", exitCode); }
  }

  /** Something failed that no caller is waiting on (a dev server gave up, a teardown left files). */
  record Error(String message) implements SandboxEvent {
    @Override public String name() { return "error"; }
    @Override public ObjectNode toJson() { return Json.MAPPER.createObjectNode().put("message", message); }
  }
}
