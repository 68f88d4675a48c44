import { defineTool } from "@toolhost/sdk";

// Which worker process served the call: tells isolation modes apart.
export const workerPid = defineTool({
  name: "worker_pid",
  description: "Returns the pid of the worker process that ran it.",
  run: () => ({ pid: process.pid }),
});
