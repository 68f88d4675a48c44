import { defineTool } from "@toolhost/sdk";

// A tool id with '/' and '.', as namespaced catalogs use: transports must route it whole, and
// formats with stricter names (OpenAI function names) must map it.

export const namespaced = defineTool({
  name: "text/reverse.v2",
  description: "Reverses a string.",
  inputSchema: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
  run: ({ text }) => ({ reversed: [...text].reverse().join("") }),
});
