import { defineTool } from "@toolhost/sdk";

// Which worker process served the call: tells isolation modes apart. Its scratch directory (the
// cwd) names it; its pid may not, since every sandboxed worker has its own PID namespace.
export const workerPid = defineTool({
  name: "worker_pid",
  description: "Returns the pid of the worker process that ran it, and its scratch directory.",
  run: () => ({ pid: process.pid, worker: process.cwd() }),
});
