import { defineTool } from "@toolhost/sdk";

// Well-behaved tools: the baseline the other test tools misbehave against.

export const echo = defineTool({
  name: "echo",
  description: "Returns its input unchanged.",
  run: (input) => input,
});

export const add = defineTool({
  name: "add",
  description: "Adds two numbers.",
  inputSchema: {
    type: "object",
    properties: { a: { type: "number" }, b: { type: "number" } },
    required: ["a", "b"],
  },
  outputSchema: {
    type: "object",
    properties: { sum: { type: "number" } },
    required: ["sum"],
  },
  run: ({ a, b }) => ({ sum: a + b }),
});

// What a tool can see: ctx and process.env.
export const ctxProbe = defineTool({
  name: "ctx_probe",
  description: "Returns what the tool sees of its context and of process.env.",
  run: (input, ctx) => ({
    env: ctx.env,
    processEnv: typeof process === "undefined" ? null : { ...process.env },
    config: ctx.config,
    toolId: ctx.toolId,
    executionId: ctx.executionId,
    hasSignal: ctx.signal instanceof AbortSignal,
  }),
});

// Every way of printing: each must come back as a log entry of the call, never corrupt a frame.
export const logger = defineTool({
  name: "logger",
  description: "Logs one, two, three, four through ctx.log, console.log, console.error and process.stdout.write.",
  run: (input, ctx) => {
    ctx.log("info", "one");
    console.log("two");
    console.error("three");
    process.stdout.write("four\n");
    return { ok: true };
  },
});

// The console methods other than log/info/debug/warn/error: on Bun they do not go through those.
export const consoleMethods = defineTool({
  name: "console_methods",
  description: "Calls console.dir, .trace, .assert (failing), .count and .group once each.",
  run: () => {
    console.dir({ a: 1 });
    console.trace("here");
    console.assert(false, "checked");
    console.count("n");
    console.group("grouped");
    console.groupEnd();
    return { ok: true };
  },
});
