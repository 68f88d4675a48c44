// @bun (first line: Bun runs this plain ES module as it is, without its transpiler, ~0.5 ms less per file at a worker's start)
// @toolhost/sdk: what a tool author imports to define tools for Toolhost.
//
// The logic lives in this plain ES module (no dependencies, no Node APIs) so it loads as-is on
// Node, Bun and GraalJS; index.cjs re-exports it for CommonJS callers.

/** Brand set on every tool defineTool returns. Symbol.for, so copies of the SDK agree. */
const TOOL_BRAND = Symbol.for("toolhost.tool");
/** Brand set on ToolError.prototype, so `instanceof ToolError` works across copies of the SDK. */
const TOOL_ERROR_BRAND = Symbol.for("toolhost.toolError");

const TOOL_NAME = /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/;

function nameProblem(name) {
  if (typeof name !== "string") return `must be a string, got ${describe(name)}`;
  if (!TOOL_NAME.test(name)) return `must match ${TOOL_NAME.source}, got ${JSON.stringify(name)}`;
  if (name.split("/").includes("..")) return `must not contain a ".." segment, got ${JSON.stringify(name)}`;
  return null;
}

/** An object literal or Object.create(null), from any realm; not an array, class instance, etc. */
function isPlainObject(value) {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

function describe(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}

function fail(name, field, problem) {
  const who = typeof name === "string" ? `defineTool(${JSON.stringify(name)})` : "defineTool";
  return new TypeError(`${who}: "${field}" ${problem}`);
}

function checkSchema(name, field, schema) {
  if (schema != null && !isPlainObject(schema)) {
    throw fail(name, field, `must be a plain object (a JSON Schema), got ${describe(schema)}`);
  }
}

/**
 * Defines a tool. Validates the definition and returns a frozen tool object.
 * @throws {TypeError} naming the offending field when the definition is invalid.
 */
export function defineTool(def) {
  if (def === null || typeof def !== "object" || Array.isArray(def)) {
    throw new TypeError(`defineTool: expected a tool definition object, got ${describe(def)}`);
  }
  const { name, description, inputSchema, outputSchema, run } = def;
  const problem = nameProblem(name);
  if (problem !== null) throw fail(undefined, "name", problem);
  if (typeof run !== "function") throw fail(name, "run", `must be a function, got ${describe(run)}`);
  if (description != null && typeof description !== "string") {
    throw fail(name, "description", `must be a string, got ${describe(description)}`);
  }
  checkSchema(name, "inputSchema", inputSchema);
  checkSchema(name, "outputSchema", outputSchema);
  return Object.freeze({
    name,
    description: description ?? "",
    inputSchema: inputSchema ?? null,
    outputSchema: outputSchema ?? null,
    run,
    [TOOL_BRAND]: true,
  });
}

/** True if `value` is a tool made by defineTool (by any copy of the SDK). */
export function isTool(value) {
  return value !== null && (typeof value === "object" || typeof value === "function") && value[TOOL_BRAND] === true;
}

/**
 * A typed error a tool throws: `new ToolError(message, { code, retryable, details, cause })`.
 * `retryable: true` tells the engine that retrying the call is safe.
 */
export class ToolError extends Error {
  constructor(message, options) {
    if (options != null && typeof options !== "object") {
      throw new TypeError(`ToolError: options must be an object like { code, retryable, details, cause }, got ${describe(options)}`);
    }
    const opts = options ?? {};
    super(message, "cause" in opts ? { cause: opts.cause } : undefined);
    this.code = opts.code == null ? null : String(opts.code);
    this.retryable = opts.retryable === true;
    if (opts.details !== undefined) this.details = opts.details;
  }

  static [Symbol.hasInstance](value) {
    if (this !== ToolError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return value !== null && typeof value === "object" && value[TOOL_ERROR_BRAND] === true;
  }
}
Object.defineProperty(ToolError.prototype, "name", { value: "ToolError", writable: true, configurable: true });
Object.defineProperty(ToolError.prototype, TOOL_ERROR_BRAND, { value: true });
