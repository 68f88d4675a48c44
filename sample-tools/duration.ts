import { defineTool, ToolError } from "@toolhost/sdk";
import ms from "ms";

// A TypeScript tool that imports an npm package (ms, installed in this folder's node_modules by
// package.json). The engine bundles both into one ES module with esbuild, so the same file runs
// on every runtime, GraalJS included, with nothing installed where it runs.

interface DurationInput {
  text?: string;
  ms?: number;
}

interface Duration {
  ms: number;
  short: string;
  long: string;
}

function describe(millis: number): Duration {
  return { ms: millis, short: ms(millis), long: ms(millis, { long: true }) };
}

export default defineTool({
  name: "duration",
  description: 'Reads a duration ("90m", "1.5h", "2 days") or a number of milliseconds, and gives both forms.',
  inputSchema: {
    type: "object",
    properties: {
      text: { type: "string", description: 'A duration such as "90m" or "2 days"' },
      ms: { type: "number", description: "A duration in milliseconds" },
    },
    minProperties: 1,
    additionalProperties: false,
  },
  run(input: DurationInput): Duration {
    if (input.text !== undefined) {
      const millis: number | undefined = ms(input.text);
      if (millis === undefined || Number.isNaN(millis)) {
        throw new ToolError(`not a duration: ${JSON.stringify(input.text)}`, { code: "BAD_DURATION" });
      }
      return describe(millis);
    }
    return describe(input.ms as number);
  },
});
