package dev.toolhost.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolhost.api.InvalidRequest;
import dev.toolhost.api.Invocation;
import dev.toolhost.api.Json;
import dev.toolhost.api.ToolException;
import dev.toolhost.api.ToolResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code invoke TOOL --input JSON|@file.json|- --env K=V...}: runs one invocation and prints the
 * answer JSON (or the error JSON) on stdout; the exit status tells the error type.
 */
final class InvokeCommand implements Command {
  private final PrintStream out;

  InvokeCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public int run(List<String> argv) {
    Set<String> valued = new HashSet<>(CliSession.COMMON_FLAGS);
    valued.addAll(Set.of("input", "env"));
    CliArgs args = CliArgs.parse(argv, valued, Set.of());
    if (args.positionals().size() != 1) throw new UsageException("invoke needs exactly one tool id");
    ObjectNode request = Json.MAPPER.createObjectNode();
    request.put("tool", args.positionals().get(0));
    ObjectNode env = request.putObject("env");
    for (String pair : args.all("env")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) throw new UsageException("--env needs KEY=VALUE, got '" + pair + "'");
      env.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    try (CliSession session = CliSession.start(CliSession.config(args))) {
      try {
        request.set("input", input(args.get("input")));
        ToolResult result = CliSession.await(session.engine.invoke(Invocation.fromJson(request)));
        out.println(result.toJson().toPrettyString());
        return ExitCodes.OK;
      } catch (ToolException e) {
        out.println(e.toJson().toPrettyString());
        return ExitCodes.of(e.error());
      }
    }
  }

  private static JsonNode input(String spec) {
    if (spec == null) return Json.MAPPER.createObjectNode();
    String text;
    try {
      if (spec.equals("-")) {
        text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
      } else if (spec.startsWith("@")) {
        text = Files.readString(Path.of(spec.substring(1)));
      } else {
        text = spec;
      }
    } catch (IOException e) {
      throw new ToolException(new InvalidRequest("cannot read the input: " + e.getMessage(), "field: input"));
    }
    return Json.parse(text.getBytes(StandardCharsets.UTF_8));
  }
}
