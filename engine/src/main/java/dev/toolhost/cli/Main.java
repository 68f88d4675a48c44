package dev.toolhost.cli;

import dev.toolhost.config.ConfigException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** {@code toolhost serve | invoke | list | doctor | bench | mcp}. */
public final class Main {
  private static final String USAGE = """
      usage: toolhost <command> [options]
        invoke TOOL [--input JSON|@file.json|-] [--env K=V]...   run one tool, print the answer JSON
        list [--json]                                            the tools, descriptions, input schemas
        doctor                                                   which runtimes work here, and why not
        bench [--tool T] [--input JSON] [--calls N] [--concurrency C] [--path eventbus|direct] [--json]
        bench --catalog-tools N [--json]                         catalog load of N generated TypeScript tools,
                                                                 empty bundle cache, then cache hit
        bench --sandbox local [--calls N] [--json]               sandbox create-to-ready, exec of true, execute of print(1)
        serve [--mcp-sandbox-tools true|false]                   serve on the Vert.x event bus and HTTP (MCP at /mcp,
                                                                 sandboxes at /v1/sandboxes)
        mcp [--http [HOST:]PORT] [--mcp-sandbox-tools true|false]
                                                                 MCP server on stdio (until stdin closes),
                                                                 or streamable HTTP at /mcp (host 127.0.0.1);
                                                                 with execute_code and run_command unless false
      options for every command:
        --config FILE  --tools DIR|FILE  --runtime node|bun|graaljs|docker  --timeout 30s
        --isolation reuse|fresh|recycle:N  --pool-size N  --queue-capacity N
        --output-limit 10MiB  --log-limit 1MiB  --worker-sandbox auto|bwrap|none
        --enforcement strict|best-effort (a policy part no mechanism here holds: refuse, or run anyway)
      """;

  private Main() {}

  public static void main(String[] argv) {
    System.exit(run(Arrays.asList(argv), System.out, System.err));
  }

  static int run(List<String> argv, PrintStream out, PrintStream err) {
    if (argv.isEmpty() || argv.get(0).equals("--help") || argv.get(0).equals("help")) {
      out.print(USAGE);
      return argv.isEmpty() ? ExitCodes.USAGE : ExitCodes.OK;
    }
    List<String> rest = argv.subList(1, argv.size());
    Command command = switch (argv.get(0)) {
      case "invoke" -> new InvokeCommand(out);
      case "list" -> new ListCommand(out, err);
      case "doctor" -> new DoctorCommand(out);
      case "bench" -> new BenchCommand(out);
      case "serve" -> new ServeCommand(out);
      case "mcp" -> new McpCommand(System.in, out, err);
      default -> null;
    };
    if (command == null) {
      err.println("toolhost: unknown command '" + argv.get(0) + "'");
      err.print(USAGE);
      return ExitCodes.USAGE;
    }
    try {
      return command.run(rest);
    } catch (UsageException | ConfigException e) {
      err.println("toolhost: " + e.getMessage());
      return ExitCodes.USAGE;
    } catch (Exception e) {
      err.println("toolhost: " + e);
      return 1;
    }
  }
}
