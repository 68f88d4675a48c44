package dev.toolhost.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.toolhost.api.Json;
import dev.toolhost.api.ToolDescriptor;
import dev.toolhost.runtime.ToolSet;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/** {@code list [--json]}: the catalog with descriptions and input schemas, and load errors. */
final class ListCommand implements Command {
  private final PrintStream out;
  private final PrintStream err;

  ListCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public int run(List<String> argv) {
    CliArgs args = CliArgs.parse(argv, CliSession.COMMON_FLAGS, Set.of("json"));
    try (CliSession session = CliSession.start(CliSession.config(args))) {
      List<ToolDescriptor> tools = session.engine.catalog().tools();
      if (args.has("json")) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        tools.forEach(t -> list.add(t.toJson()));
        out.println(list.toPrettyString());
      } else {
        for (ToolDescriptor tool : tools) {
          out.println(tool.name() + "  (" + tool.module() + ")");
          if (!tool.description().isEmpty()) out.println("  " + tool.description());
          out.println("  input: " + (tool.inputSchema() == null ? "any (no schema)" : tool.inputSchema().toString()));
        }
        out.println(tools.size() + " tools from " + session.engine.config().tools());
      }
      for (ToolSet.LoadError e : session.engine.catalog().errors()) {
        err.println("load error" + (e.module() == null ? "" : " in " + e.module()) + ": " + e.message());
      }
      return ExitCodes.OK;
    }
  }
}
