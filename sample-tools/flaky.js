import { defineTool, ToolError } from "@toolhost/sdk";

// Fails with a retryable ToolError failTimes times, then succeeds: the engine retries it with
// backoff and answers with attempts = failTimes + 1. The counters live in the worker's memory,
// keyed by input.key or else by the executionId (which stays the same across retries).
const calls = new Map();

export default defineTool({
  name: "flaky",
  description:
    "Fails with a retryable TRANSIENT error failTimes times (default 2), then succeeds. Demonstrates retries with backoff.",
  inputSchema: {
    type: "object",
    properties: {
      failTimes: { type: "integer", minimum: 0, default: 2, description: "How many calls fail before one succeeds" },
      key: { type: "string", description: "Counter to use (default: the execution id)" },
    },
  },
  outputSchema: {
    type: "object",
    properties: { succeededOnCall: { type: "integer" } },
    required: ["succeededOnCall"],
  },
  run({ failTimes = 2, key }, ctx) {
    const counter = key ?? ctx.executionId;
    const n = (calls.get(counter) ?? 0) + 1;
    if (n <= failTimes) {
      calls.set(counter, n);
      throw new ToolError(`transient failure ${n} of ${failTimes}`, { code: "TRANSIENT", retryable: true });
    }
    calls.delete(counter); // the next invocation with this key fails failTimes times again
    return { succeededOnCall: n };
  },
});
