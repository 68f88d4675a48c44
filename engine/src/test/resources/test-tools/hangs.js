import { defineTool } from "@toolhost/sdk";

// Tools that never answer: only the deadline (killing the worker or closing the context) ends them.

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

export const startsThenWaits = defineTool({
  name: "starts_then_waits",
  description: "Logs 'started' once it runs, then returns a promise that never settles.",
  run: () => {
    console.log("started");
    return new Promise(() => {});
  },
});
