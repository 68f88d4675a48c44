import { readFileSync } from "node:fs";
import { defineTool } from "@toolhost/sdk";

// Touches the file system: under a permission policy, reading /etc/passwd is PERMISSION_DENIED.
export default defineTool({
  name: "read_file",
  description: "Reads a UTF-8 file.",
  inputSchema: {
    type: "object",
    properties: { path: { type: "string" } },
    required: ["path"],
  },
  run: ({ path }) => ({ content: readFileSync(path, "utf8") }),
});
