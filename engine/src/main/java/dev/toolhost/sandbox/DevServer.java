package dev.toolhost.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolhost.api.Json;

/** A dev server whose port accepts connections; its process streams the server's log. */
public record DevServer(String url, int port, SandboxProcess process) {
  /** {@code {url, port, pid}}, as every transport answers it. */
  public ObjectNode toJson() {
    return Json.MAPPER.createObjectNode().put("url", url).put("port", port).put("pid", process.pid());
  }
}
