import { defineTool } from "@toolhost/sdk";

// Loads fine beside the broken modules: one bad module must not hide the others.
export default defineTool({
  name: "fine",
  description: "Returns {fine: true}.",
  run: () => ({ fine: true }),
});
