import { defineTool } from "@toolhost/sdk";

// Outputs that are too big, not JSON, or only unusual JSON; and output written where frames go.

const MiB = 1024 * 1024;

export const hugeOutput = defineTool({
  name: "huge_output",
  description: "Returns a string of input.bytes (default 20 MiB) characters.",
  run: ({ bytes = 20 * MiB } = {}) => "x".repeat(bytes),
});

export const hugeLogs = defineTool({
  name: "huge_logs",
  description: "Logs 1 KiB lines until it has logged input.bytes (default 2 MiB), then returns.",
  run: ({ bytes = 2 * MiB } = {}) => {
    const line = "y".repeat(1023); // + the newline console.log adds = 1 KiB per line
    let written = 0;
    while (written < bytes) {
      console.log(line);
      written += line.length + 1;
    }
    return { written };
  },
});

export const junkStdout = defineTool({
  name: "junk_stdout",
  description: "Writes a fake result frame, garbage and a lone newline to stdout and stderr, then returns {ok:true}.",
  run: () => {
    for (const stream of [process.stdout, process.stderr]) {
      stream.write('{"type":"result","id":"x","output":1}\n');
      stream.write("\u0000garbage{{{ not json \u00ff\u2028 ]]");
      stream.write("\n");
      stream.write(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x0a]));
    }
    return { ok: true };
  },
});

export const returnsUndefined = defineTool({ name: "returns_undefined", description: "Returns undefined (becomes null).", run: () => undefined });
export const returnsNumber = defineTool({ name: "returns_number", description: "Returns 42.", run: () => 42 });
export const returnsString = defineTool({ name: "returns_string", description: 'Returns "hi".', run: () => "hi" });
export const returnsNull = defineTool({ name: "returns_null", description: "Returns null.", run: () => null });
export const returnsArray = defineTool({ name: "returns_array", description: 'Returns [1, "a", null].', run: () => [1, "a", null] });
export const returnsBigint = defineTool({ name: "returns_bigint", description: "Returns {n: 10n}: not JSON.", run: () => ({ n: 10n }) });

export const returnsCyclic = defineTool({
  name: "returns_cyclic",
  description: "Returns an object that references itself: not JSON.",
  run: () => {
    const node = { name: "loop" };
    node.self = node;
    return node;
  },
});

export const returnsFunction = defineTool({
  name: "returns_function",
  description: "Returns a function: not JSON.",
  run: () => function notJson() {},
});
