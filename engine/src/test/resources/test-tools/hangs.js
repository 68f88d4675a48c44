import { spawn } from "node:child_process";
import { defineTool } from "@toolhost/sdk";

// Tools that never answer: only the deadline (killing the worker's process tree) ends them.

export const neverResolves = defineTool({
  name: "never_resolves",
  description: "Returns a promise that never settles (the event loop stays free).",
  run: () => new Promise(() => {}),
});

export const busyLoop = defineTool({
  name: "busy_loop",
  description: "Spins forever: the event loop is blocked, so not even a cancel frame is read.",
  run: () => {
    while (true) {}
  },
});

export const spawnsChildren = defineTool({
  name: "spawns_children",
  description:
    "Spawns three `sleep 300` processes (one detached into its own process group); answers {pids} only if input.returnEarly, else never.",
  run: ({ returnEarly = false } = {}) => {
    const children = [
      spawn("sleep", ["300"], { stdio: "ignore" }),
      spawn("sleep", ["300"], { stdio: "ignore" }),
      spawn("sleep", ["300"], { stdio: "ignore", detached: true }),
    ];
    const pids = children.map((child) => child.pid);
    return returnEarly ? { pids } : new Promise(() => {});
  },
});
