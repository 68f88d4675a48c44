// @bun (first line: Bun runs this plain ES module as it is, without its transpiler, ~0.5 ms less per file at a worker's start)
// Toolhost tool host core: everything about loading tools and running calls that does not depend
// on the runtime. worker.mjs (Node, Bun, Docker) and graal-host.mjs (in-process GraalJS) are thin
// shells around it, so the same tool file gives the same answers on every runtime.
//
// This is a plain ES module: no Node builtins, no `process`, no Buffer, nothing a bare ECMAScript
// engine lacks. What differs between runtimes comes in through the hooks of createRunner.
// PROTOCOL.md specifies the frames it builds.

import { isTool } from "./index.js";

export const DEFAULT_OUTPUT_BYTES = 10 * 1024 * 1024;
export const DEFAULT_LOG_BYTES = 1024 * 1024;
export const TOOL_NAME = /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/;
export const LEVELS = new Set(["debug", "info", "warn", "error"]);

const EMPTY_ENV = Object.freeze({});
const hasOwn = Object.hasOwn;

// ---------------------------------------------------------------------------------------------
// Small runtime-neutral helpers

/** The number of bytes of `text` in UTF-8 (a lone surrogate counts as U+FFFD, 3 bytes). */
export function utf8Length(text) {
  const length = text.length;
  let bytes = length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a surrogate pair: 2 units, 4 bytes
      i++;
    } else bytes += 2;
  }
  return bytes;
}

/** path.posix.extname: ".js" of "a/b.js", "" of "a/.hidden" and "a/b". */
export function extname(file) {
  const base = file.slice(file.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  return dot <= 0 ? "" : base.slice(dot);
}

/** Reads a property of a thrown value, which may be a proxy or have throwing getters. */
export function read(object, key) {
  try {
    return object[key];
  } catch {
    return undefined;
  }
}

export function messageOf(err) {
  const message = err !== null && typeof err === "object" ? read(err, "message") : undefined;
  return typeof message === "string" ? message : String(err);
}

export function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** An object literal or Object.create(null), from any realm; not an array, class instance, etc. */
function isPlainObject(value) {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** A function that can be called as a tool: not a class (exporting ToolError is not a tool). */
function isPlainFunction(value) {
  return typeof value === "function" && !/^class\b/.test(Function.prototype.toString.call(value));
}

function nameProblem(name) {
  if (typeof name !== "string" || !TOOL_NAME.test(name)) return `is not a valid tool id (must match ${TOOL_NAME.source})`;
  if (name.split("/").includes("..")) return 'is not a valid tool id (must not contain a ".." segment)';
  return null;
}

export function abortError(message) {
  const err = new Error(message);
  err.name = "AbortError";
  return err;
}

// ---------------------------------------------------------------------------------------------
// Tool discovery (DESIGN.md "Tool contract", PROTOCOL.md section 7)

/** The catalog error entry of a module that failed to load. */
export function loadError(module, err) {
  const stack = err !== null && typeof err === "object" ? read(err, "stack") : undefined;
  return { module, message: messageOf(err), stack: typeof stack === "string" ? stack : null };
}

/**
 * Registers the contributions of loaded modules, in the order given.
 *
 * @param loaded [{ module, namespace } | { module, error } | { module, failure: message }]
 * @param errors error entries found before (unreadable directories); appended to
 * @param describe false when the catalog is already known (a GraalJS context that only serves
 *     calls): the tools are registered, but no descriptor is serialized
 * @returns { tools: Map(name -> { tool, fn, module, export }), json: '"tools":[...],"errors":[...]' (null when not describing) }
 */
export function buildCatalog(loaded, errors = [], describe = true) {
  const tools = new Map();
  const descriptors = []; // serialized, in catalog order
  for (const entry of loaded) {
    const rel = entry.module;
    if (entry.failure !== undefined) {
      errors.push({ module: rel, message: entry.failure, stack: null });
      continue;
    }
    if (!("namespace" in entry)) {
      errors.push(loadError(rel, entry.error));
      continue;
    }
    for (const { name, value, exportName } of contributions(entry.namespace, rel)) {
      const where = `export ${exportName} of ${rel}`;
      const problem = nameProblem(name);
      if (problem !== null) {
        errors.push({ module: rel, message: `tool name ${JSON.stringify(name)} (${where}) ${problem}`, stack: null });
        continue;
      }
      const previous = tools.get(name);
      if (previous !== undefined) {
        errors.push({
          module: rel,
          message: `duplicate tool name ${JSON.stringify(name)}: ${where} is ignored, export ${previous.export} of ${previous.module} was loaded first`,
          stack: null,
        });
        continue;
      }
      const tool = isTool(value) ? value : null;
      if (tool !== null && typeof tool.run !== "function") {
        errors.push({ module: rel, message: `tool ${JSON.stringify(name)} (${where}) has no run function`, stack: null });
        continue;
      }
      tools.set(name, { tool, fn: value, module: rel, export: exportName });
      if (!describe) continue;
      let descriptor;
      try {
        descriptor = JSON.stringify({
          name,
          description: tool !== null && typeof tool.description === "string" ? tool.description : "",
          inputSchema: tool !== null && isObject(tool.inputSchema) ? tool.inputSchema : null,
          outputSchema: tool !== null && isObject(tool.outputSchema) ? tool.outputSchema : null,
          module: rel,
          export: exportName,
        });
      } catch (err) {
        tools.delete(name);
        errors.push({ module: rel, message: `tool ${JSON.stringify(name)} (${where}) has a schema that is not JSON: ${messageOf(err)}`, stack: null });
        continue;
      }
      descriptors.push(descriptor);
    }
  }
  return { tools, json: describe ? `"tools":[${descriptors.join(",")}],"errors":${JSON.stringify(errors)}` : null };
}

/** What a module contributes: [{ name, value, exportName }], each function or tool once. */
function contributions(namespace, rel) {
  const found = [];
  const seen = new Set();
  const add = (name, value, exportName) => {
    if (seen.has(value)) return; // CommonJS: module.exports and its detected named exports
    seen.add(value);
    found.push({ name, value, exportName });
  };
  const file = rel.slice(rel.lastIndexOf("/") + 1);
  const ext = extname(file);
  const baseName = ext !== "" && file !== ext ? file.slice(0, -ext.length) : file;
  if ("default" in namespace) {
    const value = namespace.default;
    if (isTool(value)) add(value.name, value, "default");
    else if (isPlainFunction(value)) add(value.name !== "" && value.name !== "default" ? value.name : baseName, value, "default");
    else if (isPlainObject(value)) {
      for (const key of Object.keys(value)) {
        const member = value[key];
        if (isTool(member)) add(member.name, member, `default.${key}`);
        else if (isPlainFunction(member)) add(key, member, `default.${key}`);
      }
    }
  }
  for (const key of Object.keys(namespace)) {
    if (key === "default") continue;
    const value = namespace[key];
    if (isTool(value)) add(value.name, value, key);
    else if (isPlainFunction(value)) add(key, value, key);
  }
  return found;
}

/**
 * The namespace Node gives a CommonJS module: `default` is module.exports, and its own enumerable
 * properties are named exports too (Node detects them statically; here they are read), in
 * alphabetical order like a module namespace.
 */
export function commonJsNamespace(exports) {
  const namespace = { default: exports };
  // (a tool's own members are not exports: Node finds none in `module.exports = defineTool(...)`)
  if (exports !== null && (typeof exports === "object" || typeof exports === "function") && !isTool(exports)) {
    for (const key of Object.keys(exports).sort()) if (key !== "default") namespace[key] = exports[key];
  }
  return namespace;
}

// ---------------------------------------------------------------------------------------------
// Frames

export function logFrame(idJson, level, message) {
  return `{"type":"log","id":${idJson},"level":"${level}","message":${JSON.stringify(message)}}`;
}

// ---------------------------------------------------------------------------------------------
// Calls

const RUNNING = 0; // the tool runs and its answer is still to be sent
const ANSWERED = 1; // the answer was sent; the tool has settled
const ABANDONED = 2; // an error was sent while the tool may still run: drop its logs and result

/**
 * Runs calls of a catalog's tools and answers them with result/error frames.
 *
 * Hooks (required unless marked optional):
 * - answer(call, frame): sends the result or error frame (a JSON string without newline) of a call;
 *   called exactly once per call. call.id is the call id.
 * - log(call, level, message): a log of the running call (its byte budget already checked).
 * - logOutsideCall(level, message): a log that belongs to no call.
 * - applyEnv(env) (optional): called with the frozen env before the tool runs.
 * - fetch (optional): ctx.fetch; globalThis.fetch at call time if absent.
 * - AbortController (optional): globalThis.AbortController if absent.
 * - byteLength(string) (optional): UTF-8 length; utf8Length if absent.
 * - inspect(value, { depth }) (optional): inspection of thrown non-errors and unserializable
 *   details; this module's inspect if absent.
 * - denied(thrown, message) (optional): a PERMISSION_DENIED error object for a thrown value the
 *   runtime recognises as a policy refusal, or null. Values with code "ERR_ACCESS_DENIED" are
 *   recognised without it.
 * - frameUrls (optional): URLs of modules whose stack frames are cut from tool stacks, besides
 *   this one.
 */
export function createRunner(hooks) {
  const answer = hooks.answer;
  const writeLog = hooks.log;
  const logOutsideCall = hooks.logOutsideCall;
  const applyEnv = hooks.applyEnv ?? null;
  const fetchHook = hooks.fetch;
  const Controller = hooks.AbortController ?? globalThis.AbortController;
  const byteLength = hooks.byteLength ?? utf8Length;
  const inspectValue = hooks.inspect ?? inspect;
  const denied = hooks.denied ?? null;
  const frameMarkers = [];
  for (const url of [import.meta.url, ...(hooks.frameUrls ?? [])]) {
    frameMarkers.push(`(${url}:`);
    if (url.startsWith("file://")) {
      // GraalJS names frames by path, not URL
      let file = url.slice(7);
      try {
        file = decodeURI(file);
      } catch {
        // keep it encoded
      }
      frameMarkers.push(`(${file}:`);
    }
  }

  /** The call being served (one at a time), or null between calls. */
  let current = null;

  class Call {
    constructor(id, limits) {
      this.id = id;
      this.idJson = JSON.stringify(id);
      this.outputLimit = limitOf(limits, "outputBytes", DEFAULT_OUTPUT_BYTES);
      this.logLimit = limitOf(limits, "logBytes", DEFAULT_LOG_BYTES);
      this.logBytes = 0;
      this.state = RUNNING;
      this.controller = null; // created on first use of ctx.signal: most tools never look at it
      this.abortReason = null;
    }

    get signal() {
      let controller = this.controller;
      if (controller === null) {
        controller = this.controller = new Controller();
        if (this.abortReason !== null) controller.abort(this.abortReason);
      }
      return controller.signal;
    }

    get running() {
      return this.state === RUNNING;
    }

    abort(reason) {
      if (this.abortReason !== null) return;
      this.abortReason = reason;
      if (this.controller !== null) this.controller.abort(reason);
    }

    log(level, message) {
      if (this.state === RUNNING) {
        this.logBytes += byteLength(message);
        if (this.logBytes > this.logLimit) {
          this.abandon(
            {
              type: "OUTPUT_LIMIT_EXCEEDED",
              message: `the tool's logs exceeded the limit of ${this.logLimit} bytes`,
              limitBytes: this.logLimit,
              what: "logs",
            },
            true,
          );
          this.abort(abortError("the call's logs exceeded their limit"));
          return;
        }
        writeLog(this, level, message);
      } else if (this.state === ANSWERED) {
        logOutsideCall(level, message); // e.g. ctx.log from a timer left behind by the call
      }
    }

    /** Sends the answer for a settled tool; returns false if it must be dropped. */
    settle() {
      if (current === this) current = null;
      if (this.state !== RUNNING) return false;
      this.state = ANSWERED;
      return true;
    }

    /** Answers with an error now, while the tool may still be running. */
    abandon(error, recycle) {
      this.state = ABANDONED;
      sendError(this, error, recycle);
    }
  }

  /**
   * Runs one call; its answer goes to hooks.answer, synchronously for a synchronous tool.
   * @returns the call (null if `id` is neither a string nor a number: nothing to answer to)
   */
  function invoke(catalog, id, name, input, env, config, executionId, limits) {
    if (typeof id !== "string" && typeof id !== "number") return null;
    const call = new Call(id, limits);
    const entry = typeof name === "string" && catalog !== null ? catalog.tools.get(name) : undefined;
    if (entry === undefined) {
      call.state = ANSWERED;
      sendError(call, { type: "TOOL_NOT_FOUND", message: `no tool named ${JSON.stringify(name)} in this worker`, tool: name ?? null }, false);
      return call;
    }
    env = isObject(env) ? Object.freeze(env) : EMPTY_ENV;
    if (applyEnv !== null) applyEnv(env);
    const ctx = {
      env,
      config: isObject(config) ? config : {},
      executionId: typeof executionId === "string" ? executionId : String(id),
      toolId: name,
      get signal() {
        return call.signal;
      },
      log(level, message) {
        call.log(LEVELS.has(level) ? level : "info", String(message));
      },
      fetch: fetchHook !== undefined ? fetchHook : globalThis.fetch,
    };
    if (input === undefined) input = {};
    current = call;
    let output;
    try {
      output = entry.tool !== null ? entry.tool.run(input, ctx) : entry.fn(input, ctx);
      if (output instanceof Promise) {
        output.then(
          (value) => succeed(call, value),
          (err) => fail(call, err),
        );
        return call;
      }
      if (output !== null && (typeof output === "object" || typeof output === "function") && typeof output.then === "function") {
        Promise.resolve(output).then(
          (value) => succeed(call, value),
          (err) => fail(call, err),
        );
        return call;
      }
    } catch (err) {
      fail(call, err);
      return call;
    }
    succeed(call, output); // a synchronous tool is answered without touching the microtask queue
    return call;
  }

  function succeed(call, value) {
    if (!call.settle()) return;
    if (value === undefined) value = null;
    const kind = typeof value;
    if (kind === "function" || kind === "symbol") {
      sendError(call, invalidOutput(`the tool returned a ${kind}, which is not a JSON value`), false);
      return;
    }
    let json;
    try {
      json = JSON.stringify(value);
    } catch (err) {
      sendError(call, invalidOutput(`the output is not JSON-serializable: ${messageOf(err)}`), false);
      return;
    }
    if (json === undefined) {
      sendError(call, invalidOutput("the output serializes to nothing (its toJSON returned undefined)"), false);
      return;
    }
    // UTF-8 takes at least one byte and at most three per UTF-16 code unit: count only when in doubt.
    const limit = call.outputLimit;
    if (json.length > limit || (json.length * 3 > limit && byteLength(json) > limit)) {
      sendError(
        call,
        { type: "OUTPUT_LIMIT_EXCEEDED", message: `the tool's output exceeded the limit of ${limit} bytes`, limitBytes: limit, what: "output" },
        false,
      );
      return;
    }
    answer(call, `{"type":"result","id":${call.idJson},"output":${json}}`);
  }

  function fail(call, err) {
    if (!call.settle()) return;
    sendError(call, errorOf(err), false);
  }

  function sendError(call, error, recycle) {
    let json;
    try {
      json = JSON.stringify(error);
    } catch {
      // details that do not serialize (BigInt, cycles) are sent as their inspection
      json = JSON.stringify({ ...error, details: inspectValue(error.details, { depth: 4 }) });
    }
    answer(call, `{"type":"error","id":${call.idJson},"error":${json},"recycle":${recycle}}`);
  }

  /** What the tool threw, as the error of an error frame. */
  function errorOf(thrown) {
    if (thrown === null || (typeof thrown !== "object" && typeof thrown !== "function")) {
      return { type: "TOOL_ERROR", name: "Error", message: String(thrown), code: null, stack: null, retryable: false };
    }
    const name = read(thrown, "name");
    const message = read(thrown, "message");
    const code = read(thrown, "code");
    if (code === "ERR_ACCESS_DENIED") {
      // a permission model refused an operation
      const permission = read(thrown, "permission");
      const target = read(thrown, "resource");
      return {
        type: "PERMISSION_DENIED",
        message: `${typeof message === "string" ? message : "access denied"}: ${permission ?? "permission"}${target ? ` ${target}` : ""}`,
        permission: typeof permission === "string" ? permission : null,
        target: typeof target === "string" && target !== "" ? target : null,
      };
    }
    if (denied !== null) {
      const refused = denied(thrown, message);
      if (refused != null) return refused;
    }
    const stack = read(thrown, "stack");
    const error = {
      type: "TOOL_ERROR",
      name: typeof name === "string" && name !== "" ? name : "Error",
      message: message === undefined ? inspectValue(thrown, { depth: 2 }) : String(message),
      code: code == null ? null : String(code),
      stack: typeof stack === "string" ? withoutHostFrames(stack) : null,
      retryable: read(thrown, "retryable") === true,
    };
    const details = read(thrown, "details");
    if (details !== undefined) error.details = details;
    return error;
  }

  /** Cuts a stack trace where the tool's code was called from the host: those frames are noise. */
  function withoutHostFrames(stack) {
    let at = -1;
    for (const marker of frameMarkers) {
      const i = stack.indexOf(marker);
      if (i !== -1 && (at === -1 || i < at)) at = i;
    }
    if (at === -1) return stack;
    const lineStart = stack.lastIndexOf("\n", at);
    return lineStart === -1 ? stack : stack.slice(0, lineStart);
  }

  /** Output the tool printed: a log of the running call, or of no call. */
  function emitLog(level, message) {
    if (current !== null) current.log(level, message);
    else logOutsideCall(level, message);
  }

  /**
   * A throw from a timer or an unawaited rejection: the current call failed, and the host's state
   * may be compromised, so the engine is asked to replace it. Between calls: a log.
   */
  function uncaught(err, origin) {
    const call = current;
    if (call !== null && call.state === RUNNING) {
      call.abandon(errorOf(err), true);
      call.abort(abortError("the call failed with an uncaught exception"));
    } else {
      const stack = err !== null && typeof err === "object" ? read(err, "stack") : undefined;
      logOutsideCall("error", `${origin}: ${typeof stack === "string" ? stack : messageOf(err)}`);
    }
  }

  /** Aborts the signal of call `id` if it is the running call. */
  function cancel(id) {
    if (current !== null && current.id === id) current.abort(abortError("the call was cancelled"));
  }

  return {
    invoke,
    cancel,
    emitLog,
    uncaught,
    errorOf,
    get current() {
      return current;
    },
  };
}

function limitOf(limits, key, fallback) {
  const value = limits != null ? limits[key] : undefined;
  return typeof value === "number" && value >= 0 ? value : fallback;
}

function invalidOutput(details) {
  return { type: "INVALID_OUTPUT", message: "the tool's output is not a JSON value", details };
}

// ---------------------------------------------------------------------------------------------
// console: for runtimes whose own console does not write through process.stdout/stderr (GraalJS
// has none; Bun's writes to the file descriptors itself). Every method is a log of the current
// call (PROTOCOL.md "Captured output"), formatted like the Node worker's console (util.format).

const CONSOLE_URL = import.meta.url;

function formatTime(ms) {
  if (ms < 1000) return `${Number(ms.toFixed(3))}ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(3)}s`;
  const hours = Math.floor(ms / 3600000);
  const minutes = Math.floor((ms % 3600000) / 60000);
  const [seconds, millis] = ((ms % 60000) / 1000).toFixed(3).split(".");
  const pad = (n) => String(n).padStart(2, "0");
  return hours !== 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}.${millis} (h:mm:ss.mmm)` : `${minutes}:${pad(seconds)}.${millis} (m:ss.mmm)`;
}

/**
 * A console object for tool code.
 *
 * @param emitLog (level, message): a log of the current call (createRunner's emitLog)
 * @param format util.format; @param inspect util.inspect (this module's, or the runtime's own)
 * @param hostUrls URLs of host modules whose frames console.trace leaves out, besides this one
 */
export function createConsole(emitLog, format, inspect, hostUrls) {
  const counts = new Map();
  const timings = new Map();
  const hostFiles = [CONSOLE_URL, ...hostUrls].flatMap((url) => (url.startsWith("file://") ? [url, url.slice(7)] : [url]));

  function warning(message) {
    emitLog("error", `Warning: ${message}`);
  }

  return {
    log: (...data) => emitLog("info", format(...data)),
    info: (...data) => emitLog("info", format(...data)),
    debug: (...data) => emitLog("debug", format(...data)),
    warn: (...data) => emitLog("warn", format(...data)),
    error: (...data) => emitLog("error", format(...data)),
    dirxml: (...data) => emitLog("info", format(...data)),
    table: (...data) => emitLog("info", format(...data)),
    group: (...data) => {
      if (data.length !== 0) emitLog("info", format(...data));
    },
    groupCollapsed: (...data) => {
      if (data.length !== 0) emitLog("info", format(...data));
    },
    groupEnd: () => {},
    dir: (value, options) => emitLog("info", inspect(value, { customInspect: false, ...options })),
    trace: function trace(...data) {
      const frames = String(new Error().stack ?? "")
        .split("\n")
        .slice(1)
        .filter((line) => !hostFiles.some((file) => line.includes(file)));
      const head = data.length === 0 ? "Trace" : `Trace: ${format(...data)}`;
      emitLog("error", frames.length === 0 ? head : `${head}\n${frames.join("\n")}`);
    },
    assert: (value, ...data) => {
      if (value) return;
      data[0] = `Assertion failed${data.length === 0 ? "" : `: ${data[0]}`}`;
      emitLog("warn", format(...data));
    },
    count: (label = "default") => {
      label = `${label}`;
      const n = (counts.get(label) ?? 0) + 1;
      counts.set(label, n);
      emitLog("info", `${label}: ${n}`);
    },
    countReset: (label = "default") => {
      label = `${label}`;
      if (!counts.has(label)) warning(`Count for '${label}' does not exist`);
      else counts.delete(label);
    },
    time: (label = "default") => {
      label = `${label}`;
      if (timings.has(label)) warning(`Label '${label}' already exists for console.time()`);
      else timings.set(label, Date.now());
    },
    timeEnd: (label = "default") => {
      label = `${label}`;
      if (!timings.has(label)) return warning(`No such label '${label}' for console.timeEnd()`);
      emitLog("info", `${label}: ${formatTime(Date.now() - timings.get(label))}`);
      timings.delete(label);
    },
    timeLog: (label = "default", ...data) => {
      label = `${label}`;
      if (!timings.has(label)) return warning(`No such label '${label}' for console.timeLog()`);
      emitLog("info", format(`${label}: ${formatTime(Date.now() - timings.get(label))}`, ...data));
    },
    timeStamp: () => {},
    profile: () => {},
    profileEnd: () => {},
  };
}

// ---------------------------------------------------------------------------------------------
// inspect and format: the parts of Node's util.inspect/util.format (default options, no colors)
// that console output and error messages need, for runtimes that lack node:util.

const IDENTIFIER = /^[a-zA-Z_][a-zA-Z_0-9]*$/;
const BREAK_LENGTH = 80;
const COMPACT = 3;
const MAX_ARRAY_LENGTH = 100;
const MAX_STRING_LENGTH = 10000;
const INSPECT_CUSTOM = Symbol.for("nodejs.util.inspect.custom");
const TYPED_ARRAY = Object.getPrototypeOf(Uint8Array);
const typedArrayTag = Object.getOwnPropertyDescriptor(TYPED_ARRAY.prototype, Symbol.toStringTag).get;
const BUILTIN_PROTOTYPES = new Set([
  Object.prototype,
  Array.prototype,
  Error.prototype,
  Date.prototype,
  RegExp.prototype,
  Function.prototype,
  Number.prototype,
  String.prototype,
  Boolean.prototype,
  Symbol.prototype,
]);

/** util.inspect(value, { depth }) with Node's default options and no colors. */
export function inspect(value, options) {
  const depth = options != null && options.depth !== undefined ? (options.depth === null ? Infinity : options.depth) : 2;
  const ctx = {
    depth,
    indentationLvl: 0,
    currentDepth: 0,
    seen: [],
    circular: undefined,
    customInspect: options == null || options.customInspect !== false,
  };
  return formatValue(ctx, value, 0, false);
}

function formatValue(ctx, value, recurseTimes, typedArray) {
  if (typeof value !== "object" && typeof value !== "function") return formatPrimitive(ctx, value);
  if (value === null) return "null";
  if (ctx.customInspect) {
    const custom = read(value, INSPECT_CUSTOM);
    if (typeof custom === "function" && custom !== inspect) {
      const depth = ctx.depth - recurseTimes;
      const result = custom.call(value, depth, { depth, breakLength: BREAK_LENGTH, compact: COMPACT }, inspect);
      if (result !== value) {
        if (typeof result !== "string") return formatValue(ctx, result, recurseTimes, false);
        return result.replaceAll("\n", `\n${" ".repeat(ctx.indentationLvl)}`);
      }
    }
  }
  if (ctx.seen.includes(value)) {
    let index = 1;
    if (ctx.circular === undefined) {
      ctx.circular = new Map([[value, index]]);
    } else {
      index = ctx.circular.get(value);
      if (index === undefined) {
        index = ctx.circular.size + 1;
        ctx.circular.set(value, index);
      }
    }
    return `[Circular *${index}]`;
  }
  return formatRaw(ctx, value, recurseTimes, typedArray);
}

function quote(text) {
  let q = "'";
  if (text.includes("'")) {
    if (!text.includes('"')) q = '"';
    else if (!text.includes("`") && !text.includes("${")) q = "`";
  }
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ch = text[i];
    if (ch === q || ch === "\\") out += `\\${ch}`;
    else if (c < 0x20 || c === 0x7f) {
      const named = { 8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r" }[c];
      out += named ?? `\\x${c.toString(16).toUpperCase().padStart(2, "0")}`;
    } else out += ch;
  }
  return q + out + q;
}

function formatPrimitive(ctx, value) {
  switch (typeof value) {
    case "string": {
      let trailer = "";
      if (value.length > MAX_STRING_LENGTH) {
        const remaining = value.length - MAX_STRING_LENGTH;
        value = value.slice(0, MAX_STRING_LENGTH);
        trailer = `... ${remaining} more character${remaining > 1 ? "s" : ""}`;
      }
      if (value.length > 16 && value.length > BREAK_LENGTH - ctx.indentationLvl - 4 && value.includes("\n")) {
        const lines = value.split(/(?<=\n)/);
        return lines.map(quote).join(` +\n${" ".repeat(ctx.indentationLvl + 2)}`) + trailer;
      }
      return quote(value) + trailer;
    }
    case "number":
      return Object.is(value, -0) ? "-0" : `${value}`;
    case "bigint":
      return `${value}n`;
    case "symbol":
      return value.toString();
    default:
      return String(value); // undefined, boolean
  }
}

function constructorName(value) {
  let proto = Object.getPrototypeOf(value);
  let first = true;
  while (proto !== null) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, "constructor");
    if (descriptor !== undefined && typeof descriptor.value === "function" && descriptor.value.name !== "") {
      return first ? descriptor.value.name : `${descriptor.value.name} <Complex prototype>`;
    }
    proto = Object.getPrototypeOf(proto);
    first = false;
  }
  return null;
}

function prefixOf(name, fallback, size) {
  if (name === null) return `[${fallback}${size}: null prototype] `;
  return `${name}${size} `;
}

function functionBase(value, name) {
  const source = Function.prototype.toString.call(value);
  if (/^class\b/.test(source)) {
    const own = value.name;
    let base = `[class ${own || "(anonymous)"}`;
    const superClass = Object.getPrototypeOf(value);
    if (superClass !== Function.prototype && superClass !== null && superClass.name) base += ` extends ${superClass.name}`;
    return `${base}]`;
  }
  let type = "Function";
  if (name === "AsyncFunction") type = "AsyncFunction";
  else if (name === "GeneratorFunction") type = "GeneratorFunction";
  else if (name === "AsyncGeneratorFunction") type = "AsyncGeneratorFunction";
  let base = `[${type}`;
  if (name === null) base += " (null prototype)";
  base += value.name === "" ? " (anonymous)" : `: ${value.name}`;
  base += "]";
  if (name !== type && name !== null && name !== "Function") base += ` ${name}`;
  return base;
}

function formatRaw(ctx, value, recurseTimes, typedArray) {
  let keys = Object.keys(value);
  const symbols = Object.getOwnPropertySymbols(value).filter((s) => Object.prototype.propertyIsEnumerable.call(value, s));
  const name = constructorName(value);
  let base = "";
  let braces;
  let formatter = formatObjectEntries;
  let extrasArray = false;
  let noIterator = false;

  if (Array.isArray(value)) {
    const prefix = name === "Array" ? "" : prefixOf(name, "Array", `(${value.length})`);
    keys = keys.filter((key) => !isIndex(key));
    braces = [`${prefix}[`, "]"];
    if (value.length === 0 && keys.length === 0 && symbols.length === 0) return `${braces[0]}]`;
    extrasArray = true;
    formatter = formatArray;
  } else if (value instanceof Map) {
    const prefix = prefixOf(name, "Map", `(${value.size})`);
    braces = [`${prefix}{`, "}"];
    if (value.size === 0 && keys.length === 0 && symbols.length === 0) return `${braces[0]}}`;
    formatter = formatMap;
  } else if (value instanceof Set) {
    const prefix = prefixOf(name, "Set", `(${value.size})`);
    braces = [`${prefix}{`, "}"];
    if (value.size === 0 && keys.length === 0 && symbols.length === 0) return `${braces[0]}}`;
    formatter = formatSet;
  } else if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const tag = typedArrayTag.call(value);
    keys = keys.filter((key) => !isIndex(key));
    const prefix = prefixOf(name === tag ? tag : name, tag, `(${value.length})`);
    braces = [`${prefix}[`, "]"];
    if (value.length === 0 && keys.length === 0) return `${braces[0]}]`;
    extrasArray = true;
    formatter = formatTypedArray;
  } else {
    noIterator = true;
  }
  if (noIterator) {
    if (typeof value === "function") {
      base = functionBase(value, name);
      if (keys.length === 0 && symbols.length === 0) return base;
      braces = ["{", "}"];
    } else if (value instanceof RegExp) {
      base = RegExp.prototype.toString.call(value);
      if (keys.length === 0 && symbols.length === 0) return base;
      braces = ["{", "}"];
    } else if (value instanceof Date) {
      const time = Date.prototype.getTime.call(value);
      base = Number.isNaN(time) ? "Invalid Date" : Date.prototype.toISOString.call(value);
      if (keys.length === 0 && symbols.length === 0) return base;
      braces = ["{", "}"];
    } else if (value instanceof Error) {
      const stack = read(value, "stack");
      base = typeof stack === "string" && stack !== "" ? stack : `[${Error.prototype.toString.call(value)}]`;
      keys = keys.filter((key) => key !== "stack" && key !== "message");
      if (keys.length === 0 && symbols.length === 0) return base;
      braces = ["{", "}"];
    } else if (value instanceof ArrayBuffer) {
      const bytes = new Uint8Array(value);
      const shown = Array.from(bytes.subarray(0, 50), (b) => b.toString(16).padStart(2, "0")).join(" ");
      const more = bytes.length > 50 ? ` ... ${bytes.length - 50} more byte${bytes.length - 50 > 1 ? "s" : ""}` : "";
      braces = [`${prefixOf(name, "ArrayBuffer", "")}{`, "}"];
      formatter = () => [`[Uint8Contents]: <${shown}${more}>`, `byteLength: ${value.byteLength}`];
    } else if (value instanceof Promise) {
      braces = [`${prefixOf(name, "Promise", "")}{`, "}"];
      formatter = () => ["<unknown>"];
    } else if (value instanceof WeakMap || value instanceof WeakSet) {
      braces = [`${prefixOf(name, value instanceof WeakMap ? "WeakMap" : "WeakSet", "")}{`, "}"];
      formatter = () => ["<items unknown>"];
    } else if (value instanceof Number || value instanceof String || value instanceof Boolean) {
      const type = value instanceof Number ? "Number" : value instanceof String ? "String" : "Boolean";
      const primitive = value.valueOf();
      base = `[${type}: ${formatPrimitive({ indentationLvl: 0 }, primitive)}]`;
      if (value instanceof String) keys = keys.filter((key) => !isIndex(key));
      if (keys.length === 0 && symbols.length === 0) return base;
      braces = ["{", "}"];
    } else {
      const prefix = name === "Object" ? "" : name === null ? "[Object: null prototype] " : `${name} `;
      braces = [`${prefix}{`, "}"];
      if (keys.length === 0 && symbols.length === 0) return `${braces[0]}}`;
    }
  }

  if (recurseTimes > ctx.depth) {
    return name === null ? "[Object: null prototype]" : `[${Array.isArray(value) ? "Array" : name === "Object" ? "Object" : name}]`;
  }
  recurseTimes += 1;
  ctx.seen.push(value);
  ctx.currentDepth = recurseTimes;
  let output;
  try {
    output = formatter(ctx, value, recurseTimes);
    for (const key of keys) output.push(formatProperty(ctx, value, recurseTimes, key, extrasArray));
    for (const symbol of symbols) output.push(formatProperty(ctx, value, recurseTimes, symbol, extrasArray));
  } finally {
    ctx.seen.pop();
  }
  if (ctx.circular !== undefined) {
    const index = ctx.circular.get(value);
    if (index !== undefined) {
      const reference = `<ref *${index}>`;
      if (base === "") braces[0] = `${reference} ${braces[0]}`;
      else base = `${reference} ${base}`;
    }
  }
  return reduceToSingleString(ctx, output, base, braces, extrasArray, recurseTimes, value);
}

function isIndex(key) {
  return /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < 4294967295;
}

function formatObjectEntries() {
  return [];
}

function formatArray(ctx, value, recurseTimes) {
  const length = value.length;
  const shown = Math.min(MAX_ARRAY_LENGTH, length);
  const output = [];
  let holes = 0;
  let i = 0;
  for (; i < length && output.length < shown; i++) {
    if (!hasOwn(value, i)) {
      holes++;
      continue;
    }
    if (holes > 0) {
      output.push(`<${holes} empty item${holes > 1 ? "s" : ""}>`);
      holes = 0;
      if (output.length >= shown) break;
    }
    output.push(formatProperty(ctx, value, recurseTimes, i, true));
  }
  if (holes > 0 && output.length < shown) {
    output.push(`<${holes} empty item${holes > 1 ? "s" : ""}>`);
  }
  const remaining = length - i;
  if (remaining > 0 && output.length >= shown) output.push(`... ${remaining} more item${remaining > 1 ? "s" : ""}`);
  return output;
}

function formatTypedArray(ctx, value) {
  const length = value.length;
  const shown = Math.min(MAX_ARRAY_LENGTH, length);
  const output = [];
  for (let i = 0; i < shown; i++) output.push(formatPrimitive(ctx, value[i]));
  if (length > shown) output.push(`... ${length - shown} more item${length - shown > 1 ? "s" : ""}`);
  return output;
}

function formatSet(ctx, value, recurseTimes) {
  const output = [];
  ctx.indentationLvl += 2;
  for (const v of value) output.push(formatValue(ctx, v, recurseTimes, false));
  ctx.indentationLvl -= 2;
  return output;
}

function formatMap(ctx, value, recurseTimes) {
  const output = [];
  ctx.indentationLvl += 2;
  for (const [k, v] of value) output.push(`${formatValue(ctx, k, recurseTimes, false)} => ${formatValue(ctx, v, recurseTimes, false)}`);
  ctx.indentationLvl -= 2;
  return output;
}

function formatProperty(ctx, value, recurseTimes, key, arrayItem) {
  let str;
  const descriptor = Object.getOwnPropertyDescriptor(value, key) ?? { value: value[key], enumerable: true };
  if (descriptor.value !== undefined || !("get" in descriptor)) {
    ctx.indentationLvl += 2;
    str = formatValue(ctx, descriptor.value, recurseTimes, false);
    ctx.indentationLvl -= 2;
  } else if (descriptor.get !== undefined) {
    str = descriptor.set !== undefined ? "[Getter/Setter]" : "[Getter]";
  } else if (descriptor.set !== undefined) {
    str = "[Setter]";
  } else {
    str = "undefined";
  }
  if (arrayItem && typeof key === "number") return str;
  let name;
  if (typeof key === "symbol") name = `[${key.toString()}]`;
  else if (IDENTIFIER.test(key)) name = key;
  else name = quote(key);
  return `${name}: ${str}`;
}

function isBelowBreakLength(output, start, base) {
  let totalLength = output.length + start;
  if (totalLength + output.length > BREAK_LENGTH) return false;
  for (let i = 0; i < output.length; i++) {
    totalLength += output[i].length;
    if (totalLength > BREAK_LENGTH) return false;
  }
  return base === "" || !base.includes("\n");
}

function reduceToSingleString(ctx, output, base, braces, extrasArray, recurseTimes, value) {
  const entries = output.length;
  if (extrasArray && entries > 6) output = groupArrayElements(ctx, output, value);
  if (ctx.currentDepth - recurseTimes < COMPACT && entries === output.length) {
    const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
    if (isBelowBreakLength(output, start, base)) {
      const joined = output.join(", ");
      if (!joined.includes("\n")) return `${base ? `${base} ` : ""}${braces[0]} ${joined} ${braces[1]}`;
    }
  }
  const indentation = `\n${" ".repeat(ctx.indentationLvl)}`;
  return `${base ? `${base} ` : ""}${braces[0]}${indentation}  ${output.join(`,${indentation}  `)}${indentation}${braces[1]}`;
}

function groupArrayElements(ctx, output, value) {
  let totalLength = 0;
  let maxLength = 0;
  let outputLength = output.length;
  if (MAX_ARRAY_LENGTH < output.length) outputLength--; // the "... more items" entry
  const separatorSpace = 2;
  const dataLen = new Array(outputLength);
  for (let i = 0; i < outputLength; i++) {
    const len = output[i].length;
    dataLen[i] = len;
    totalLength += len + separatorSpace;
    if (maxLength < len) maxLength = len;
  }
  const actualMax = maxLength + separatorSpace;
  if (actualMax * 3 + ctx.indentationLvl < BREAK_LENGTH && (totalLength / actualMax > 5 || maxLength <= 6)) {
    const averageBias = Math.sqrt(actualMax - totalLength / output.length);
    const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
    const columns = Math.min(
      Math.round(Math.sqrt(2.5 * biasedMax * outputLength) / biasedMax),
      Math.floor((BREAK_LENGTH - ctx.indentationLvl) / actualMax),
      COMPACT * 4,
      15,
    );
    if (columns <= 1) return output;
    const tmp = [];
    const maxLineLength = [];
    for (let i = 0; i < columns; i++) {
      let lineLength = 0;
      for (let j = i; j < output.length; j += columns) if (dataLen[j] > lineLength) lineLength = dataLen[j];
      maxLineLength.push(lineLength + separatorSpace);
    }
    let padStart = true;
    if (value !== undefined) {
      for (let i = 0; i < output.length; i++) {
        if (typeof value[i] !== "number" && typeof value[i] !== "bigint") {
          padStart = false;
          break;
        }
      }
    }
    for (let i = 0; i < outputLength; i += columns) {
      const max = Math.min(i + columns, outputLength);
      let str = "";
      let j = i;
      for (; j < max - 1; j++) {
        const cell = `${output[j]}, `;
        str += padStart ? cell.padStart(maxLineLength[j - i], " ") : cell.padEnd(maxLineLength[j - i], " ");
      }
      str += padStart ? output[j].padStart(maxLineLength[j - i] - separatorSpace, " ") : output[j];
      tmp.push(str);
    }
    if (outputLength < output.length) tmp.push(output[outputLength]);
    output = tmp;
  }
  return output;
}

function hasBuiltInToString(value) {
  let proto = value;
  while (proto !== null) {
    if (hasOwn(proto, "toString")) return BUILTIN_PROTOTYPES.has(proto);
    proto = Object.getPrototypeOf(proto);
  }
  return true;
}

function formatNumber(value) {
  return Object.is(value, -0) ? "-0" : `${value}`;
}

function tryStringify(value) {
  try {
    return JSON.stringify(value);
  } catch (err) {
    if (err instanceof TypeError && /circular|cyclic/i.test(messageOf(err))) return "[Circular]";
    throw err;
  }
}

/** util.format(...args): printf-like %s %d %i %f %j %o %O %c %%, then the rest space-separated. */
export function format(...args) {
  const first = args[0];
  let a = 0;
  let str = "";
  let join = "";
  if (typeof first === "string") {
    if (args.length === 1) return first;
    let tempStr;
    let lastPos = 0;
    for (let i = 0; i < first.length - 1; i++) {
      if (first.charCodeAt(i) === 37) {
        const nextChar = first.charCodeAt(++i);
        if (a + 1 !== args.length) {
          switch (nextChar) {
            case 115: {
              // s
              const arg = args[++a];
              if (typeof arg === "number") tempStr = formatNumber(arg);
              else if (typeof arg === "bigint") tempStr = `${arg}n`;
              else if (typeof arg !== "object" || arg === null || !hasBuiltInToString(arg)) tempStr = String(arg);
              else tempStr = inspect(arg, { depth: 0 });
              break;
            }
            case 106: // j
              tempStr = tryStringify(args[++a]);
              break;
            case 100: {
              // d
              const arg = args[++a];
              if (typeof arg === "bigint") tempStr = `${arg}n`;
              else if (typeof arg === "symbol") tempStr = "NaN";
              else tempStr = formatNumber(Number(arg));
              break;
            }
            case 79: // O
              tempStr = inspect(args[++a]);
              break;
            case 111: // o
              tempStr = inspect(args[++a], { depth: 4 });
              break;
            case 105: {
              // i
              const arg = args[++a];
              if (typeof arg === "bigint") tempStr = `${arg}n`;
              else if (typeof arg === "symbol") tempStr = "NaN";
              else tempStr = formatNumber(Number.parseInt(arg));
              break;
            }
            case 102: {
              // f
              const arg = args[++a];
              tempStr = typeof arg === "symbol" ? "NaN" : formatNumber(Number.parseFloat(arg));
              break;
            }
            case 99: // c
              a += 1;
              tempStr = "";
              break;
            case 37: // %
              str += first.slice(lastPos, i);
              lastPos = i + 1;
              continue;
            default:
              continue;
          }
          if (lastPos !== i - 1) str += first.slice(lastPos, i - 1);
          str += tempStr;
          lastPos = i + 1;
        } else if (nextChar === 37) {
          str += first.slice(lastPos, i);
          lastPos = i + 1;
        }
      }
    }
    if (lastPos !== 0) {
      a++;
      join = " ";
      if (lastPos < first.length) str += first.slice(lastPos);
    }
  }
  while (a < args.length) {
    const value = args[a];
    str += join;
    str += typeof value !== "string" ? inspect(value) : value;
    join = " ";
    a++;
  }
  return str;
}
