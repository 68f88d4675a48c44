import { spawn } from "node:child_process";
import { defineTool } from "@toolhost/sdk";

// A tool that starts processes: only a subprocess runtime (with the subprocess permission) can run it.

export const spawnsChildren = defineTool({
  name: "spawns_children",
  description:
    "Spawns three `sleep <input.seconds, default 300>` processes (one detached into its own process group); answers {pids} only if input.returnEarly, else never.",
  run: ({ returnEarly = false, seconds = 300 } = {}) => {
    const args = [String(seconds)];
    const children = [
      spawn("sleep", args, { stdio: "ignore" }),
      spawn("sleep", args, { stdio: "ignore" }),
      spawn("sleep", args, { stdio: "ignore", detached: true }),
    ];
    const pids = children.map((child) => child.pid);
    return returnEarly ? { pids } : new Promise(() => {});
  },
});
