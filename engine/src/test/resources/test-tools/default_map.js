import { defineTool } from "@toolhost/sdk";

// A default export that is a plain object: a map of tool name to tool or function (a tool is
// registered under its own name, a function under its key).
export default {
  mapped_a: defineTool({
    name: "mapped_a",
    description: "A tool in a default-exported map.",
    run: () => ({ a: true }),
  }),
  mapped_b: (input) => ({ b: true }),
};
