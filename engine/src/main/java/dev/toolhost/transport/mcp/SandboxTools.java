package dev.toolhost.transport.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolhost.api.Json;
import dev.toolhost.sandbox.ExecOptions;
import dev.toolhost.sandbox.ExecutionResult;
import dev.toolhost.sandbox.Language;
import dev.toolhost.sandbox.Sandbox;
import dev.toolhost.sandbox.SandboxRequest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * MCP's built-in sandbox tools, run in the session's {@link SessionSandbox}:
 * {@code execute_code {code, language, timeoutMs?}} and {@code run_command {command, args?, cwd?,
 * timeoutMs?, stdin?}}. Both answer {@code {success, stdout, stderr, exitCode, executionTimeMs,
 * error}} (as text, and as {@code structuredContent} where the revision has it), with
 * {@code isError} when the code or command did not exit 0. What keeps them from running at all
 * (bad arguments, a missing interpreter, too many sandboxes, a timeout) is the error JSON of
 * DESIGN.md with {@code isError}, as for catalog tools.
 */
final class SandboxTools {
  static final String EXECUTE_CODE = "execute_code";
  static final String RUN_COMMAND = "run_command";
  static final List<String> NAMES = List.of(EXECUTE_CODE, RUN_COMMAND);
  private static final List<String> EXECUTE_FIELDS = List.of("code", "language", "timeoutMs");
  private static final List<String> RUN_FIELDS = List.of("command", "args", "cwd", "timeoutMs", "stdin");

  private SandboxTools() {}

  /** The {@code tools/list} entries of the tools whose names are not taken by {@code taken}. */
  static List<ObjectNode> definitions(boolean structured, Set<String> taken) {
    return List.of(executeCode(structured), runCommand(structured)).stream()
        .filter(t -> !taken.contains(t.path("name").asText())).toList();
  }

  private static ObjectNode executeCode(boolean structured) {
    ObjectNode tool = tool(EXECUTE_CODE, "Runs a snippet of code to its end in this session's sandbox (files and "
        + "installed packages persist between calls of the session) and returns its stdout, stderr and exit code.",
        structured);
    ObjectNode properties = (ObjectNode) tool.path("inputSchema").path("properties");
    properties.putObject("code").put("type", "string").put("description", "The program text");
    ArrayNode languages = properties.putObject("language").put("type", "string")
        .put("description", "typescript runs on bun").putArray("enum");
    for (Language language : Language.values()) languages.add(language.name().toLowerCase(Locale.ROOT));
    timeout(properties);
    ((ObjectNode) tool.path("inputSchema")).putArray("required").add("code").add("language");
    return tool;
  }

  private static ObjectNode runCommand(boolean structured) {
    ObjectNode tool = tool(RUN_COMMAND, "Runs a command (an executable on the sandbox's PATH, or a path) with its "
        + "arguments, no shell, in this session's sandbox, and returns its stdout, stderr and exit code.", structured);
    ObjectNode properties = (ObjectNode) tool.path("inputSchema").path("properties");
    properties.putObject("command").put("type", "string").put("description", "e.g. ls, npm, ./build.sh");
    properties.putObject("args").put("type", "array").put("description", "Its arguments, each passed as is")
        .putObject("items").put("type", "string");
    properties.putObject("cwd").put("type", "string").put("description", "Directory relative to the sandbox root");
    timeout(properties);
    properties.putObject("stdin").put("type", "string").put("description", "Text written to its standard input");
    ((ObjectNode) tool.path("inputSchema")).putArray("required").add("command");
    return tool;
  }

  private static ObjectNode tool(String name, String description, boolean structured) {
    ObjectNode tool = Json.MAPPER.createObjectNode().put("name", name).put("description", description);
    ObjectNode input = tool.putObject("inputSchema").put("type", "object");
    input.putObject("properties");
    input.put("additionalProperties", false);
    if (structured) tool.set("outputSchema", outputSchema());
    return tool;
  }

  private static void timeout(ObjectNode properties) {
    properties.putObject("timeoutMs").put("type", "integer").put("minimum", 1)
        .put("description", "Deadline in milliseconds (default: sandbox.timeout); past it the process is killed");
  }

  private static ObjectNode outputSchema() {
    ObjectNode schema = Json.MAPPER.createObjectNode().put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    properties.putObject("success").put("type", "boolean").put("description", "Exit code 0");
    properties.putObject("stdout").put("type", "string");
    properties.putObject("stderr").put("type", "string");
    properties.putObject("exitCode").put("type", "integer").put("description", "128 + signal when killed");
    properties.putObject("executionTimeMs").put("type", "number");
    properties.putObject("error").put("description", "Why it failed, in one line; null on success")
        .putArray("type").add("string").add("null");
    ArrayNode required = schema.putArray("required");
    properties.fieldNames().forEachRemaining(required::add);
    return schema;
  }

  /**
   * Runs the tool {@code name} (one of {@link #NAMES}) on the session's sandbox, handing
   * {@code onStart} what stops it once it runs (for cancellation). A bad argument throws a
   * ToolException (INVALID_REQUEST) before anything starts; the future fails with one when the
   * sandbox cannot run it.
   */
  static Future<ExecutionResult> call(String name, JsonNode arguments, SessionSandbox session,
      Consumer<Runnable> onStart) {
    SandboxRequest request = SandboxRequest.of(arguments);
    if (name.equals(EXECUTE_CODE)) {
      checkFields(arguments, EXECUTE_FIELDS);
      String code = request.requiredText("code");
      Language language = request.language();
      ExecOptions options = ExecOptions.DEFAULT.withTimeout(request.millis("timeoutMs"));
      return session.get().compose(sandbox -> sandbox.startExecution(code, language, options)).compose(process -> {
        onStart.accept(process::kill);
        return process.result();
      }).map(ExecutionResult::of);
    }
    checkFields(arguments, RUN_FIELDS);
    String command = request.requiredText("command");
    List<String> args = request.strings("args");
    String stdin = request.text("stdin");
    ExecOptions options = new ExecOptions(request.text("cwd"), Map.of(), request.millis("timeoutMs"), stdin != null);
    return session.get().compose(sandbox -> run(sandbox, command, args, options, stdin, onStart));
  }

  private static Future<ExecutionResult> run(Sandbox sandbox, String command, List<String> args, ExecOptions options,
      String stdin, Consumer<Runnable> onStart) {
    return sandbox.exec(command, args, options).compose(process -> {
      onStart.accept(process::kill);
      Future<Void> input = stdin == null ? Future.succeededFuture()
          : process.write(Buffer.buffer(stdin)).compose(v -> process.endInput());
      // a command that exits without reading its input fails the write: its result still counts
      return input.transform(ar -> process.result());
    }).map(ExecutionResult::of);
  }

  private static void checkFields(JsonNode arguments, List<String> known) {
    if (arguments == null) return;
    for (Iterator<String> it = arguments.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!known.contains(field)) {
        throw SandboxRequest.invalid("unknown argument '" + field + "'; known: " + String.join(", ", known), field);
      }
    }
  }
}
