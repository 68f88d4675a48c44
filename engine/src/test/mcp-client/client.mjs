// Drives a Toolhost MCP server with the official MCP TypeScript SDK client and prints what it
// saw as one JSON object on stdout (McpSdkClientTest reads it).
//
//   node client.mjs stdio COMMAND [ARGS...]   launches the server and speaks MCP on its stdin/stdout
//   node client.mjs http URL                  speaks streamable HTTP to URL (e.g. http://127.0.0.1:8080/mcp)
//
// With MCP_SCENARIO=sandbox it calls the sandbox tools (execute_code, run_command) instead of the sample tools.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [mode, target, ...args] = process.argv.slice(2);
if (!["stdio", "http"].includes(mode) || !target) {
  console.error("usage: node client.mjs stdio COMMAND [ARGS...] | node client.mjs http URL");
  process.exit(2);
}

/** A call's result, or the protocol error it was refused with. */
async function outcome(promise) {
  try {
    return { result: await promise };
  } catch (e) {
    return { error: { code: e.code ?? null, message: String(e.message ?? e) } };
  }
}

/** The sample tools: answers, typed errors, protocol errors, and the server going on after them. */
async function sampleToolCalls(report) {
  report.greet = await outcome(client.callTool({ name: "greet", arguments: { name: "Ada" } }));
  report.toolError = await outcome(client.callTool({ name: "lookup_user", arguments: { id: "nobody" } }));
  report.invalidInput = await outcome(client.callTool({ name: "greet", arguments: {} }));
  report.unknownTool = await outcome(client.callTool({ name: "no_such_tool", arguments: {} }));
  report.ping = await outcome(client.ping());
  report.afterErrors = await outcome(client.callTool({ name: "shout", arguments: { text: "still serving" } }));
}

const code = (language, text) => ({ name: "execute_code", arguments: { code: text, language } });
const command = (name, ...args) => ({ name: "run_command", arguments: { command: name, args } });

/** The sandbox tools: code in two languages, commands sharing the session's files, failures. */
async function sandboxCalls(report) {
  report.python = await outcome(client.callTool(code("python", "import sys\nprint(6 * 7)\nprint('to stderr', file=sys.stderr)")));
  report.javascript = await outcome(client.callTool(code("javascript", "console.log([1, 2, 3].map(x => x * 2).join(','))")));
  report.write = await outcome(client.callTool(command("bash", "-c", "echo kept > note.txt")));
  report.read = await outcome(client.callTool(command("cat", "note.txt")));
  report.stdin = await outcome(client.callTool({ name: "run_command", arguments: { command: "wc", args: ["-c"], stdin: "12345" } }));
  report.failing = await outcome(client.callTool(code("python", "raise SystemExit(3)")));
  report.ruby = await outcome(client.callTool(code("ruby", "puts 6 * 7")));
  report.badLanguage = await outcome(client.callTool(code("cobol", "DISPLAY 1")));
}

const transport = mode === "stdio"
  ? new StdioClientTransport({ command: target, args, stderr: "inherit" })
  : new StreamableHTTPClientTransport(new URL(target));
const client = new Client({ name: "toolhost-mcp-test", version: "1.0.0" });
const report = { mode };
try {
  await client.connect(transport);
  report.serverInfo = client.getServerVersion();
  report.capabilities = client.getServerCapabilities();
  if (mode === "http") {
  report.protocolVersion = transport.protocolVersion;
  report.sessionId = transport.sessionId;
  }
  report.tools = (await client.listTools()).tools;
  if (process.env.MCP_SCENARIO === "sandbox") {
    await sandboxCalls(report);
  } else {
    await sampleToolCalls(report);
  }
  if (mode === "http") await transport.terminateSession();
  await client.close();
  process.stdout.write(JSON.stringify(report) + "\n");
} catch (e) {
  report.fatal = String(e.stack ?? e);
  process.stdout.write(JSON.stringify(report) + "\n");
  await client.close().catch(() => {});
  process.exit(1);
}
