import { defineTool } from "@toolhost/sdk";

// Waits, but stops as soon as ctx.signal fires: run it with a timeout shorter than ms to see
// TIMEOUT, or cancel it to see the abort reach the tool.
export default defineTool({
  name: "slow",
  description: "Waits ms milliseconds, then answers. Stops early when the call is cancelled or times out.",
  inputSchema: {
    type: "object",
    properties: { ms: { type: "integer", minimum: 0, maximum: 600000, description: "How long to wait" } },
    required: ["ms"],
  },
  outputSchema: {
    type: "object",
    properties: { sleptMs: { type: "integer" } },
    required: ["sleptMs"],
  },
  async run({ ms }, { signal }) {
    await sleep(ms, signal);
    return { sleptMs: ms };
  },
});

/** setTimeout as a promise that rejects with signal.reason when the signal fires. */
function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
