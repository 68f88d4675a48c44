import { defineTool } from "@toolhost/sdk";

// The smallest complete tool: a name, a description, an input schema and a run function.
export default defineTool({
  name: "greet",
  description: "Greets someone by name.",
  inputSchema: {
    type: "object",
    properties: { name: { type: "string", description: "Who to greet" } },
    required: ["name"],
    additionalProperties: false,
  },
  outputSchema: {
    type: "object",
    properties: { message: { type: "string" } },
    required: ["message"],
  },
  async run(input) {
    return { message: `Hello, ${input.name}!` };
  },
});
