// Toolhost worker bootstrap: loads the tools under --root once, then serves invocations sent by
// the engine over the unix socket --channel. The protocol is specified in PROTOCOL.md.
//
//   node [engine flags] worker.mjs --channel <socket> --id <worker-id> --root <tools-dir> [--entry <file>]
//
// Only the socket carries frames. Everything tool code prints (console.*, process.stdout/stderr
// writes) becomes a `log` frame; the real stdout/stderr only ever receive this file's own fatal
// diagnostics.

import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { format, inspect } from "node:util";
import { isTool } from "./index.js";

const PROTOCOL_VERSION = 1;
const DEFAULT_OUTPUT_BYTES = 10 * 1024 * 1024;
const DEFAULT_LOG_BYTES = 1024 * 1024;
const TOOL_NAME = /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/;
const MODULE_EXTENSIONS = new Set([".js", ".mjs", ".cjs"]);
const TYPESCRIPT_EXTENSIONS = new Set([".ts", ".mts", ".cts"]);
const TYPESCRIPT_UNSUPPORTED = "TypeScript tools need the bundler, which this engine version does not have yet";
const LEVELS = new Set(["debug", "info", "warn", "error"]);
const EMPTY_ENV = Object.freeze({});
const hasOwn = Object.hasOwn;
const WORKER_FRAME = `(${import.meta.url}:`;

// Diagnostics of the worker itself go to the real stderr, which the engine keeps for crash reports.
const rawStderrWrite = process.stderr.write.bind(process.stderr);
function die(message, exitCode) {
  rawStderrWrite(`toolhost worker: ${message}\n`);
  process.exit(exitCode);
}

const args = parseArgs(process.argv.slice(2));

// ---------------------------------------------------------------------------------------------
// Channel: newline-delimited JSON over the unix socket. Every frame is one socket.write.

const socket = net.connect({ path: args.channel });
socket.setEncoding("utf8");
socket.on("error", (err) => die(`channel ${args.channel}: ${err.message}`, 1));
socket.on("close", () => process.exit(0)); // the engine hung up: nothing left to serve
// Queued by the socket until it connects, so it is the first frame whatever happens next.
socket.write(
  `{"type":"hello","id":${JSON.stringify(args.id)},"pid":${process.pid},"runtime":"${
    process.versions.bun ? "bun" : "node"
  }","version":${JSON.stringify(process.versions.bun ?? process.version)},"protocol":${PROTOCOL_VERSION}}\n`,
);

let partial = []; // pieces of a line not yet terminated by \n
socket.on("data", (chunk) => {
  let start = 0;
  let nl = chunk.indexOf("\n");
  while (nl !== -1) {
    let line = chunk.slice(start, nl);
    if (partial.length !== 0) {
      partial.push(line);
      line = partial.join("");
      partial = [];
    }
    if (line.length !== 0) receive(line);
    start = nl + 1;
    nl = chunk.indexOf("\n", start);
  }
  if (start < chunk.length) partial.push(start === 0 ? chunk : chunk.slice(start));
});

let catalog = null; // set once the tools are loaded
let early = []; // frames received before that

function receive(line) {
  let frame;
  try {
    frame = JSON.parse(line);
  } catch {
    return; // malformed lines are ignored
  }
  if (frame === null || typeof frame !== "object") return;
  if (catalog === null) early.push(frame);
  else dispatch(frame);
}

function dispatch(frame) {
  switch (frame.type) {
    case "invoke":
      invoke(frame);
      break;
    case "cancel":
      if (current !== null && current.id === frame.id) current.abort(abortError("the call was cancelled"));
      break;
    case "describe":
      socket.write(`{"type":"described","id":${JSON.stringify(frame.id ?? null)},${catalog.json}}\n`);
      break;
    default: // unknown frame types are ignored
  }
}

// ---------------------------------------------------------------------------------------------
// Calls

const RUNNING = 0; // the tool runs and its answer is still to be sent
const ANSWERED = 1; // the answer was sent; the tool has settled
const ABANDONED = 2; // an error was sent while the tool may still run: drop its logs and result

/** The call being served (the engine sends one invoke at a time), or null between calls. */
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
      controller = this.controller = new AbortController();
      if (this.abortReason !== null) controller.abort(this.abortReason);
    }
    return controller.signal;
  }

  abort(reason) {
    if (this.abortReason !== null) return;
    this.abortReason = reason;
    if (this.controller !== null) this.controller.abort(reason);
  }

  log(level, message) {
    if (this.state === RUNNING) {
      this.logBytes += Buffer.byteLength(message);
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
      socket.write(`{"type":"log","id":${this.idJson},"level":"${level}","message":${JSON.stringify(message)}}\n`);
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

function limitOf(limits, key, fallback) {
  const value = limits != null ? limits[key] : undefined;
  return typeof value === "number" && value >= 0 ? value : fallback;
}

function abortError(message) {
  const err = new Error(message);
  err.name = "AbortError";
  return err;
}

function invoke(frame) {
  const id = frame.id;
  if (typeof id !== "string" && typeof id !== "number") return; // nothing to answer to
  const call = new Call(id, frame.limits);
  const name = frame.tool;
  const entry = typeof name === "string" ? catalog.tools.get(name) : undefined;
  if (entry === undefined) {
    call.state = ANSWERED;
    sendError(call, { type: "TOOL_NOT_FOUND", message: `no tool named ${JSON.stringify(name)} in this worker`, tool: name ?? null }, false);
    return;
  }
  const env = isObject(frame.env) ? Object.freeze(frame.env) : EMPTY_ENV;
  applyEnv(env);
  const ctx = {
    env,
    config: isObject(frame.config) ? frame.config : {},
    executionId: typeof frame.executionId === "string" ? frame.executionId : String(id),
    toolId: name,
    get signal() {
      return call.signal;
    },
    log(level, message) {
      call.log(LEVELS.has(level) ? level : "info", String(message));
    },
    fetch: globalThis.fetch,
  };
  const input = frame.input === undefined ? {} : frame.input;
  current = call;
  let output;
  try {
    output = entry.tool !== null ? entry.tool.run(input, ctx) : entry.fn(input, ctx);
    if (output instanceof Promise) {
      output.then(
        (value) => succeed(call, value),
        (err) => fail(call, err),
      );
      return;
    }
    if (output !== null && (typeof output === "object" || typeof output === "function") && typeof output.then === "function") {
      Promise.resolve(output).then(
        (value) => succeed(call, value),
        (err) => fail(call, err),
      );
      return;
    }
  } catch (err) {
    fail(call, err);
    return;
  }
  succeed(call, output); // a synchronous tool is answered without touching the microtask queue
}

/** Makes process.env hold exactly `env` (deleting what is not in it, setting what differs). */
function applyEnv(env) {
  const processEnv = process.env;
  for (const key in processEnv) if (!hasOwn(env, key)) delete processEnv[key];
  for (const key in env) {
    const value = env[key];
    if (processEnv[key] !== value) processEnv[key] = value;
  }
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
  if (json.length > limit || (json.length * 3 > limit && Buffer.byteLength(json) > limit)) {
    sendError(
      call,
      { type: "OUTPUT_LIMIT_EXCEEDED", message: `the tool's output exceeded the limit of ${limit} bytes`, limitBytes: limit, what: "output" },
      false,
    );
    return;
  }
  socket.write(`{"type":"result","id":${call.idJson},"output":${json}}\n`);
}

function fail(call, err) {
  if (!call.settle()) return;
  sendError(call, errorOf(err), false);
}

function invalidOutput(details) {
  return { type: "INVALID_OUTPUT", message: "the tool's output is not a JSON value", details };
}

function sendError(call, error, recycle) {
  let json;
  try {
    json = JSON.stringify(error);
  } catch {
    // details that do not serialize (BigInt, cycles) are sent as their inspection
    json = JSON.stringify({ ...error, details: inspect(error.details, { depth: 4 }) });
  }
  socket.write(`{"type":"error","id":${call.idJson},"error":${json},"recycle":${recycle}}\n`);
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
    // Node's permission model refused an operation
    const permission = read(thrown, "permission");
    const target = read(thrown, "resource");
    return {
      type: "PERMISSION_DENIED",
      message: `${typeof message === "string" ? message : "access denied"}: ${permission ?? "permission"}${target ? ` ${target}` : ""}`,
      permission: typeof permission === "string" ? permission : null,
      target: typeof target === "string" && target !== "" ? target : null,
    };
  }
  const stack = read(thrown, "stack");
  const error = {
    type: "TOOL_ERROR",
    name: typeof name === "string" && name !== "" ? name : "Error",
    message: message === undefined ? inspect(thrown, { depth: 2 }) : String(message),
    code: code == null ? null : String(code),
    stack: typeof stack === "string" ? withoutWorkerFrames(stack) : null,
    retryable: read(thrown, "retryable") === true,
  };
  const details = read(thrown, "details");
  if (details !== undefined) error.details = details;
  return error;
}

/** Cuts a stack trace where the tool's code was called from this file: those frames are noise. */
function withoutWorkerFrames(stack) {
  const at = stack.indexOf(WORKER_FRAME);
  if (at === -1) return stack;
  const lineStart = stack.lastIndexOf("\n", at);
  return lineStart === -1 ? stack : stack.slice(0, lineStart);
}

/** Reads a property of a thrown value, which may be a proxy or have throwing getters. */
function read(object, key) {
  try {
    return object[key];
  } catch {
    return undefined;
  }
}

function messageOf(err) {
  const message = err !== null && typeof err === "object" ? read(err, "message") : undefined;
  return typeof message === "string" ? message : String(err);
}

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Output capture: what tool code prints becomes log frames of the current call.

function emitLog(level, message) {
  if (current !== null) current.log(level, message);
  else logOutsideCall(level, message);
}

function logOutsideCall(level, message) {
  socket.write(`{"type":"log","id":null,"level":"${level}","message":${JSON.stringify(message)}}\n`);
}

function capture(stream, level) {
  stream.write = function write(chunk, encoding, callback) {
    if (typeof encoding === "function") {
      callback = encoding;
      encoding = undefined;
    }
    let text;
    if (typeof chunk === "string") {
      text = encoding === undefined || encoding === "utf8" || encoding === "utf-8" ? chunk : Buffer.from(chunk, encoding).toString("utf8");
    } else if (ArrayBuffer.isView(chunk)) {
      text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString("utf8");
    } else {
      text = String(chunk);
    }
    if (text.length !== 0) emitLog(level, text.endsWith("\n") ? text.slice(0, text.endsWith("\r\n") ? -2 : -1) : text);
    if (typeof callback === "function") process.nextTick(callback);
    return true;
  };
}
capture(process.stdout, "info");
capture(process.stderr, "error");

// Replaced too (not only the streams) for the right level, and because Bun's console does not
// write through process.stdout. console.trace, .assert, .table, .count... call these.
console.debug = (...data) => emitLog("debug", format(...data));
console.log = (...data) => emitLog("info", format(...data));
console.info = (...data) => emitLog("info", format(...data));
console.warn = (...data) => emitLog("warn", format(...data));
console.error = (...data) => emitLog("error", format(...data));

// A throw from a timer or an unawaited rejection: the current call failed, and the worker's
// state may be compromised, so the engine is asked to replace it. Between calls: a log.
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
process.on("uncaughtException", (err, origin) => uncaught(err, origin ?? "uncaughtException"));
process.on("unhandledRejection", (reason) => uncaught(reason, "unhandledRejection"));

// ---------------------------------------------------------------------------------------------
// Tool discovery (DESIGN.md "Tool contract").

catalog = await loadCatalog(args.root, args.entry);
socket.write(`{"type":"ready",${catalog.json}}\n`);
for (const frame of early) dispatch(frame);
early = null;

async function loadCatalog(rootArg, entryArg) {
  let root = path.resolve(rootArg);
  let entry = entryArg;
  const errors = [];
  let files;
  if (entry === undefined && isFile(root)) {
    entry = path.basename(root);
    root = path.dirname(root);
  }
  if (entry !== undefined) {
    files = [path.relative(root, path.resolve(root, entry)).split(path.sep).join("/")];
  } else {
    files = [];
    walk(root, "", files, errors, new Set());
    files.sort();
  }

  // Imported concurrently, registered in path order.
  const loading = files.map((rel) =>
    isTypeScript(rel)
      ? { unsupported: TYPESCRIPT_UNSUPPORTED }
      : import(pathToFileURL(path.join(root, rel)).href).then(
          (namespace) => ({ namespace }),
          (error) => ({ error }),
        ),
  );

  const tools = new Map(); // name -> { tool, fn, module, export }
  const descriptors = []; // serialized, in catalog order
  for (let i = 0; i < files.length; i++) {
    const rel = files[i];
    const loaded = await loading[i];
    if (loaded.unsupported !== undefined) {
      errors.push({ module: rel, message: loaded.unsupported, stack: null });
      continue;
    }
    if (loaded.error !== undefined) {
      const err = loaded.error;
      const stack = err !== null && typeof err === "object" ? read(err, "stack") : undefined;
      errors.push({ module: rel, message: messageOf(err), stack: typeof stack === "string" ? stack : null });
      continue;
    }
    for (const { name, value, exportName } of contributions(loaded.namespace, rel)) {
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
        errors.push({ module: rel, message: `tool ${JSON.stringify(name)} (${where}) has a schema that is not JSON: ${messageOf(err)}`, stack: null });
        continue;
      }
      tools.set(name, { tool, fn: value, module: rel, export: exportName });
      descriptors.push(descriptor);
    }
  }
  return { tools, json: `"tools":[${descriptors.join(",")}],"errors":${JSON.stringify(errors)}` };
}

/** Collects module files under `dir` (skipping node_modules and dot entries) into `files`. */
function walk(dir, rel, files, errors, seen) {
  let entries;
  try {
    const stat = fs.statSync(dir);
    const key = `${stat.dev}:${stat.ino}`;
    if (seen.has(key)) return; // a symlink loop
    seen.add(key);
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    errors.push({ module: rel === "" ? "." : rel, message: `cannot read directory: ${messageOf(err)}`, stack: null });
    return;
  }
  for (const dirent of entries) {
    const name = dirent.name;
    if (name.startsWith(".") || name === "node_modules") continue;
    const full = path.join(dir, name);
    const relPath = rel === "" ? name : `${rel}/${name}`;
    let isDirectory = dirent.isDirectory();
    let isRegular = dirent.isFile();
    if (dirent.isSymbolicLink()) {
      try {
        const target = fs.statSync(full);
        isDirectory = target.isDirectory();
        isRegular = target.isFile();
      } catch {
        continue; // dangling link
      }
    }
    if (isDirectory) walk(full, relPath, files, errors, seen);
    else if (isRegular) {
      if (MODULE_EXTENSIONS.has(path.extname(name)) || isTypeScript(name)) files.push(relPath);
    }
  }
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
  const baseName = path.posix.basename(rel, path.posix.extname(rel));
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

/** A function that can be called as a tool: not a class (exporting ToolError is not a tool). */
function isPlainFunction(value) {
  return typeof value === "function" && !/^class\b/.test(Function.prototype.toString.call(value));
}

function isPlainObject(value) {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

function nameProblem(name) {
  if (typeof name !== "string" || !TOOL_NAME.test(name)) return `is not a valid tool id (must match ${TOOL_NAME.source})`;
  if (name.split("/").includes("..")) return 'is not a valid tool id (must not contain a ".." segment)';
  return null;
}

/** A TypeScript source (not a declaration file): listed as a catalog error until there is a bundler. */
function isTypeScript(file) {
  return TYPESCRIPT_EXTENSIONS.has(path.extname(file)) && !/\.d\.[mc]?ts$/.test(file);
}

function isFile(p) {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function parseArgs(argv) {
  const parsed = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf("=");
    const key = eq === -1 ? arg : arg.slice(0, eq);
    if (key !== "--channel" && key !== "--id" && key !== "--root" && key !== "--entry") die(`unknown argument ${arg}`, 2);
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) die(`${key} needs a value`, 2);
    parsed[key.slice(2)] = value;
  }
  for (const required of ["channel", "id", "root"]) if (parsed[required] === undefined) die(`--${required} is required`, 2);
  return parsed;
}
