import { defineTool } from "@toolhost/sdk";

// Tools that take the worker down or throw where nothing catches.

export const exits = defineTool({
  name: "exits",
  description: "Calls process.exit(3): the worker dies mid-call (PROCESS_ERROR, exitCode 3).",
  run: () => {
    process.exit(3);
  },
});

export const diesLoudly = defineTool({
  name: "dies_loudly",
  description:
    "Writes a last line to the worker's real stderr (fd 2, which is not captured as a log) and exits with code 4: PROCESS_ERROR carrying that stderr tail.",
  run: async () => {
    const { writeSync } = await import("node:fs"); // imported here: the module still loads where there is no node:fs
    writeSync(2, "fatal: the tool's last words\n");
    process.exit(4);
  },
});

export const crashesAsync = defineTool({
  name: "crashes_async",
  description:
    "Throws inside a setTimeout callback while the call is pending: the worker answers TOOL_ERROR with recycle:true and survives.",
  run: () =>
    new Promise((resolve) => {
      setTimeout(() => {
        throw new Error("crashed in a timer");
      }, 10);
      setTimeout(() => resolve({ tooLate: true }), 1000); // must be dropped: the call already failed
    }),
});
