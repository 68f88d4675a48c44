import { defineTool, ToolError } from "@toolhost/sdk";

// The ways a tool fails: each must become a TOOL_ERROR for the call, the worker surviving.

export const throwsTyped = defineTool({
  name: "throws_typed",
  description: "Throws a ToolError with code E_BOOM.",
  run: () => {
    throw new ToolError("boom", { code: "E_BOOM" });
  },
});

export const throwsPlain = defineTool({
  name: "throws_plain",
  description: "Throws a RangeError.",
  run: () => {
    throw new RangeError("out of range");
  },
});

export const throwsString = defineTool({
  name: "throws_string",
  description: "Throws a string, not an Error.",
  run: () => {
    throw "just a string";
  },
});

export const rejectsLater = defineTool({
  name: "rejects_later",
  description: "Returns a promise rejected after 10 ms.",
  run: () => new Promise((resolve, reject) => setTimeout(() => reject(new Error("rejected later")), 10)),
});

export const throwsRetryable = defineTool({
  name: "throws_retryable",
  description: "Always throws a retryable ToolError: the engine retries it until its policy gives up.",
  run: () => {
    throw new ToolError("always failing", { code: "E_RETRY", retryable: true });
  },
});
