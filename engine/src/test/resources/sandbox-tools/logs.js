import { defineTool } from "@toolhost/sdk";

// Logs as it runs, for transports that stream a call's logs while it is still running.

export const logLines = defineTool({
  name: "log_lines",
  description: "Logs each line through ctx.log, then waits waitMs (stopping early when cancelled) and answers how many it logged.",
  inputSchema: {
    type: "object",
    properties: {
      lines: { type: "array", items: { type: "string" } },
      waitMs: { type: "integer", minimum: 0 },
    },
    required: ["lines"],
  },
  async run({ lines, waitMs = 0 }, ctx) {
    for (const line of lines) ctx.log("info", line);
    if (waitMs > 0) {
      await new Promise((resolve, reject) => {
        const timer = setTimeout(resolve, waitMs);
        ctx.signal.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(ctx.signal.reason);
        }, { once: true });
      });
    }
    return { logged: lines.length };
  },
});
