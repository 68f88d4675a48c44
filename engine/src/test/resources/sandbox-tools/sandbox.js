import { defineTool } from "@toolhost/sdk";

// Attempts to leave the GraalJS sandbox, each of which must answer PERMISSION_DENIED,
// and resource abuse, each of which must answer its typed error.

export const javaType = defineTool({
  name: "java_type",
  description: "Asks for a host class through Java.type.",
  run: () => Java.type("java.lang.System").getenv(),
});

export const polyglotImport = defineTool({
  name: "polyglot_import",
  description: "Reads a polyglot binding through Polyglot.import.",
  run: () => Polyglot.import("secret"),
});

export const loadScript = defineTool({
  name: "load_script",
  description: "Loads a script file with load().",
  run: ({ path }) => load(path),
});

export const importFile = defineTool({
  name: "import_file",
  description: "Imports a module from an arbitrary path.",
  run: async ({ path }) => {
    await import(path);
    return { imported: path };
  },
});

export const fetchUrl = defineTool({
  name: "fetch_url",
  description: "Fetches a URL and returns its status and text.",
  run: async ({ url }, ctx) => {
    const response = await ctx.fetch(url, { headers: { "x-probe": "1" } });
    return { status: response.status, ok: response.ok, text: await response.text() };
  },
});

export const infiniteLoop = defineTool({
  name: "infinite_loop",
  description: "Never stops.",
  run: () => {
    for (;;) {}
  },
});

export const deepRecursion = defineTool({
  name: "deep_recursion",
  description: "Recurses until the stack overflows.",
  run: () => {
    const down = (n) => down(n + 1) + 1;
    return down(0);
  },
});

export const hugeString = defineTool({
  name: "huge_string",
  description: "Doubles a string until no engine can hold it.",
  run: () => {
    let s = "x";
    for (;;) s += s;
  },
});

export const neverSettles = defineTool({
  name: "never_settles",
  description: "Returns a promise that never settles.",
  run: () => new Promise(() => {}),
});

export const timers = defineTool({
  name: "timers",
  description: "Orders work through setTimeout, setImmediate and queueMicrotask.",
  run: () =>
    new Promise((resolve) => {
      const order = [];
      // 20 ms: on a loaded machine a shorter timer may come due before the immediate runs
      setTimeout(() => order.push("timeout"), 20);
      setImmediate(() => order.push("immediate"));
      queueMicrotask(() => order.push("microtask"));
      setTimeout(() => resolve({ order }), 60);
    }),
});

export const ping = defineTool({
  name: "ping",
  description: "Answers {pong: true}: the engine still serves.",
  run: () => ({ pong: true }),
});

let calls = 0;
export const counter = defineTool({
  name: "counter",
  description: "Counts its calls in module state: tells a reused context from a fresh one.",
  run: () => ({ calls: ++calls }),
});

export const webGlobals = defineTool({
  name: "web_globals",
  description: "The Web API globals of a fresh GraalJS context: made on first use, replaceable before it.",
  run: (input, ctx) => {
    const lazy = typeof Object.getOwnPropertyDescriptor(globalThis, "Headers").get === "function";
    globalThis.atob = "mine";
    const headers = new Headers({ a: "1" });
    const made = Object.getOwnPropertyDescriptor(globalThis, "Headers");
    return {
      lazy,
      made: typeof made.value === "function" && made.writable && made.configurable && !made.enumerable,
      header: headers.get("a"),
      atob: globalThis.atob,
      signal: ctx.signal instanceof AbortSignal && !ctx.signal.aborted,
      sameFetch: ctx.fetch === fetch,
    };
  },
});
