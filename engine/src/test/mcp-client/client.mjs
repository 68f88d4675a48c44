// Drives a Toolhost MCP server with the official MCP TypeScript SDK client and prints what it
// saw as one JSON object on stdout (McpSdkClientTest reads it).
//
//   node client.mjs stdio COMMAND [ARGS...]   launches the server and speaks MCP on its stdin/stdout
//   node client.mjs http URL                  speaks streamable HTTP to URL (e.g. http://127.0.0.1:8080/mcp)
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
  report.greet = await outcome(client.callTool({ name: "greet", arguments: { name: "Ada" } }));
  report.toolError = await outcome(client.callTool({ name: "lookup_user", arguments: { id: "nobody" } }));
  report.invalidInput = await outcome(client.callTool({ name: "greet", arguments: {} }));
  report.unknownTool = await outcome(client.callTool({ name: "no_such_tool", arguments: {} }));
  report.ping = await outcome(client.ping());
  report.afterErrors = await outcome(client.callTool({ name: "shout", arguments: { text: "still serving" } }));
  if (mode === "http") await transport.terminateSession();
  await client.close();
  process.stdout.write(JSON.stringify(report) + "\n");
} catch (e) {
  report.fatal = String(e.stack ?? e);
  process.stdout.write(JSON.stringify(report) + "\n");
  await client.close().catch(() => {});
  process.exit(1);
}
