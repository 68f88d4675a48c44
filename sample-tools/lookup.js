import { defineTool, ToolError } from "@toolhost/sdk";

// A typed error: an unknown id is a ToolError with code NOT_FOUND (not retryable), which the
// caller receives as a TOOL_ERROR it can branch on.
const users = new Map(
  [
    { id: "u1", name: "Ada Lovelace", email: "ada@example.com", role: "admin" },
    { id: "u2", name: "Alan Turing", email: "alan@example.com", role: "member" },
    { id: "u3", name: "Grace Hopper", email: "grace@example.com", role: "member" },
  ].map((user) => [user.id, Object.freeze(user)]),
);

export default defineTool({
  name: "lookup_user",
  description: `Looks a user up by id (known ids: ${[...users.keys()].join(", ")}).`,
  inputSchema: {
    type: "object",
    properties: { id: { type: "string" } },
    required: ["id"],
  },
  outputSchema: {
    type: "object",
    properties: {
      id: { type: "string" },
      name: { type: "string" },
      email: { type: "string" },
      role: { type: "string" },
    },
    required: ["id", "name", "email", "role"],
  },
  run({ id }) {
    const user = users.get(id);
    if (user === undefined) {
      throw new ToolError(`no user with id ${id}`, { code: "NOT_FOUND", details: { id } });
    }
    return user;
  },
});
