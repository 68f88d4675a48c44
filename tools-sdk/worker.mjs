// @bun (first line: Bun runs this plain ES module as it is, without its transpiler, ~0.5 ms less per file at a worker's start)
// Toolhost worker bootstrap: loads the tools under --root once, then serves invocations sent by
// the engine over the unix socket --channel. The protocol is specified in PROTOCOL.md.
//
//   node|bun [engine flags] worker.mjs --channel <socket> --id <worker-id> --root <tools-dir> --manifest <file>
//        [--network none|engine] [--subprocess deny] [--visible <JSON array of paths>]
//
// The bundle manifest (written by the engine, PROTOCOL.md section 7) lists the modules to load in
// path order: a bundle, a source under --root (unbundled), or an error to put in the catalog.
//
// `--network` says the engine runs this worker without network of its own (a sandbox's empty
// network namespace), so a refused connection is the policy's doing and answers
// PERMISSION_DENIED. With `engine`, fetch (and ctx.fetch) goes through the engine over the
// channel, which checks the tool's allowlist on every hop.
//
// `--subprocess deny` (Bun only) makes starting a process fail for the worker's whole life: a
// seccomp filter, since Bun has no permission model; a refused start answers PERMISSION_DENIED.
// `--visible` lists what a sandbox shows the worker: a file missing elsewhere is hidden by the
// policy, and answers PERMISSION_DENIED too.
//
// Only the socket carries frames. Everything tool code prints (console.*, process.stdout/stderr
// writes) becomes a `log` frame; the real stdout/stderr only ever receive this file's own fatal
// diagnostics.
//
// What does not depend on Node (the catalog, running a call, building its answer) is core.js,
// shared with graal-host.mjs, the in-process GraalJS counterpart of this file.

import { buildCatalog, createConsole, createRunner, logFrame } from "./core.js";

const PROTOCOL_VERSION = 1;
const hasOwn = Object.hasOwn;
const onBun = process.versions.bun !== undefined;

// Node's builtins come with Node itself, but Bun builds each on first use, node:util alone in
// ~5 ms: none is imported up front, each is taken when first needed (Node before 20.16 lacks
// process.getBuiltinModule: a require does the same there).
const builtin =
  process.getBuiltinModule !== undefined
    ? (id) => process.getBuiltinModule(id)
    : (await import("node:module")).createRequire(import.meta.url);
let util = null; // node:util, once a call formats or inspects something
const format = (...data) => (util ??= builtin("node:util")).format(...data);
const inspect = (value, options) => (util ??= builtin("node:util")).inspect(value, options);

// Diagnostics of the worker itself go to the real stderr, which the engine keeps for crash reports.
function die(message, exitCode) {
  builtin("node:fs").writeSync(2, `toolhost worker: ${message}\n`);
  process.exit(exitCode);
}

const args = parseArgs(process.argv.slice(2));

// Before the channel and any tool: Bun, without a permission model, holds a policy of no child
// processes by a seccomp filter (bun-seccomp.mjs); Node holds it by --permission.
const childProcessDenied = args.subprocess === "deny" ? await forbidChildProcesses() : null;

async function forbidChildProcesses() {
  if (process.versions.bun === undefined) die("--subprocess deny is for bun; node's --permission holds it", 2);
  const seccomp = await import("./bun-seccomp.mjs");
  try {
    seccomp.forbidChildProcesses();
  } catch (err) {
    die(`cannot forbid child processes: ${err.message}`, 1);
  }
  return seccomp.childProcessDenied;
}

// ---------------------------------------------------------------------------------------------
// Channel: newline-delimited JSON over the unix socket. Every frame is one socket.write.

// On Bun its own sockets (bun-channel.mjs: node:net would cost it ~10 ms at start); each runtime
// loads only its own.
const socket = onBun
  ? (await import("./bun-channel.mjs")).connectChannel(args.channel)
  : (await import("node:net")).connect({ path: args.channel }).setEncoding("utf8");
socket.on("error", (err) => die(`channel ${args.channel}: ${err.message}`, 1));
socket.on("close", () => process.exit(0)); // the engine hung up: nothing left to serve
// Queued by the socket until it connects, so it is the first frame whatever happens next.
socket.write(
  `{"type":"hello","id":${JSON.stringify(args.id)},"pid":${process.pid},"runtime":"${onBun ? "bun" : "node"}","version":${JSON.stringify(process.versions.bun ?? process.version)},"protocol":${PROTOCOL_VERSION}}\n`,
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
let firstHandled = null; // on Bun, until the first frame after ready: ends the entry module (below)

function receive(line) {
  let frame;
  try {
    frame = JSON.parse(line);
  } catch {
    return; // malformed lines are ignored
  }
  if (frame === null || typeof frame !== "object") return;
  if (catalog === null) {
    early.push(frame);
    return;
  }
  dispatch(frame);
  if (firstHandled !== null) {
    firstHandled();
    firstHandled = null;
  }
}

function dispatch(frame) {
  switch (frame.type) {
    case "invoke":
      invoke(frame);
      break;
    case "cancel":
      runner.cancel(frame.id);
      break;
    case "describe":
      socket.write(`{"type":"described","id":${JSON.stringify(frame.id ?? null)},${catalog.json}}\n`);
      break;
    case "fetched":
      fetched(frame);
      break;
    default: // unknown frame types are ignored
  }
}

// ---------------------------------------------------------------------------------------------
// Calls: run by core.js; this file only carries their frames and resets process.env.

const runner = createRunner({
  answer: (call, frame) => socket.write(`${frame}\n`),
  log: (call, level, message) => socket.write(`${logFrame(call.idJson, level, message)}\n`),
  logOutsideCall,
  applyEnv,
  byteLength: Buffer.byteLength,
  inspect,
  frameUrls: [import.meta.url],
  denied: deniedBy([
    args.network !== undefined ? networkDenied : null,
    childProcessDenied,
    args.visible !== undefined ? fileDenied(JSON.parse(args.visible)) : null,
  ]),
});

/** One hook for the refusals this worker's sandbox makes, each recognised by its own function. */
function deniedBy(recognisers) {
  const active = recognisers.filter((r) => r !== null);
  if (active.length === 0) return undefined;
  return (thrown, message) => {
    for (const recognise of active) {
      const refused = recognise(thrown, message);
      if (refused !== null) return refused;
    }
    return null;
  };
}

// ---------------------------------------------------------------------------------------------
// Network: none of its own when the engine says so; fetch through the engine when hosts are allowed.

const fetches = new Map(); // fetch id -> { resolve, reject } until its fetched frame arrives
let lastFetchId = 0;
// With no network, too: the engine's check refuses every host, naming it, where a raw
// connection error would say less (Bun's fetch errors carry neither code nor address).
if (args.network !== undefined) globalThis.fetch = engineFetch;

/** fetch as the engine performs it: same Request/Response classes, the allowlist checked by the engine. */
async function engineFetch(input, init = undefined) {
  const request = new Request(input, init);
  const headers = {};
  request.headers.forEach((value, key) => {
    headers[key] = value;
  });
  const body = request.body === null ? null : await request.text();
  const id = ++lastFetchId;
  const signal = request.signal;
  signal.throwIfAborted();
  const reply = await new Promise((resolve, reject) => {
    fetches.set(id, { resolve, reject });
    signal.addEventListener("abort", () => fetches.delete(id) && reject(signal.reason), { once: true });
    const wire = { url: request.url, method: request.method, headers, body };
    socket.write(`{"type":"fetch","id":${id},"request":${JSON.stringify(wire)}}\n`);
  });
  if (reply.error != null) {
    if (reply.error.denied) {
      throw Object.assign(new Error(reply.error.message), { code: "ERR_ACCESS_DENIED", permission: "net", resource: reply.error.target });
    }
    throw new TypeError("fetch failed", { cause: new Error(reply.error.message) });
  }
  const r = reply.response;
  const nullBody = r.status === 204 || r.status === 205 || r.status === 304 || request.method === "HEAD";
  const response = new Response(nullBody ? null : r.body, { status: r.status, statusText: r.statusText, headers: r.headers });
  Object.defineProperty(response, "url", { value: r.url });
  return response;
}

function fetched(frame) {
  const pending = fetches.get(frame.id);
  if (pending === undefined) return; // aborted meanwhile
  fetches.delete(frame.id);
  pending.resolve(frame);
}

// What a connection attempt fails with where there is no network at all (only loopback, empty).
const NO_NETWORK_CODES = new Set(["ECONNREFUSED", "ENETUNREACH", "EHOSTUNREACH", "EAI_AGAIN", "ENOTFOUND", "EADDRNOTAVAIL"]);

/** A connection refused by the sandbox (thrown directly, or as the cause of fetch's TypeError) as PERMISSION_DENIED. */
function networkDenied(thrown) {
  const err = thrown?.cause != null && typeof thrown.cause === "object" ? thrown.cause : thrown;
  if (err === null || typeof err !== "object" || !NO_NETWORK_CODES.has(err.code)) return null;
  const host = err.address ?? err.hostname ?? null;
  const target = host === null ? null : err.port != null ? `${host}:${err.port}` : host;
  return {
    type: "PERMISSION_DENIED",
    message: `the tool may not connect to ${target ?? "the network"} (${
      args.network === "engine" ? "only fetch reaches the hosts its policy allows" : "its policy allows no network"
    })`,
    permission: "net",
    target,
  };
}

/**
 * In a sandbox that shows the worker only `visible` (and mounts most of it read-only), a missing
 * file elsewhere or a read-only one is the policy's doing: PERMISSION_DENIED naming the path, as
 * Node's permission model would refuse it (a refused write is FileSystemWrite; a missing path
 * cannot tell a read from a write, so it is FileSystem).
 */
function fileDenied(visible) {
  const own = ["/tmp", "/proc", "/dev"]; // the sandbox's own: what is missing there is just missing
  const binds = visible.filter((p) => !own.includes(p));
  const under = (p, root) => p === root || p.startsWith(root.endsWith("/") ? root : `${root}/`);
  const parent = (p) => p.slice(0, p.lastIndexOf("/")) || "/";
  // directories the sandbox made only to hold a bind (/work for /work/tools): the rest of what the
  // host has there is hidden, also under the private /tmp (a checkout in /tmp/x)
  const holders = new Set();
  for (const b of binds) for (let d = parent(b); d !== "/"; d = parent(d)) holders.add(d);
  const hidden = (p) => {
    if (binds.some((b) => under(p, b))) return false;
    for (let d = parent(p); d !== "/"; d = parent(d)) if (d !== "/tmp" && holders.has(d)) return true;
    return !own.some((o) => under(p, o));
  };
  return (thrown) => {
    const err = thrown !== null && typeof thrown === "object" ? thrown : null;
    if (err === null || typeof err.path !== "string" || (err.code !== "ENOENT" && err.code !== "EROFS")) return null;
    const target = builtin("node:path").resolve(err.path);
    if (err.code === "ENOENT" && !hidden(target)) return null; // really missing
    const write = err.code === "EROFS";
    return {
      type: "PERMISSION_DENIED",
      message: `the tool may not ${write ? "write" : "use"} ${target}: its policy does not allow it`,
      permission: write ? "FileSystemWrite" : "FileSystem",
      target,
    };
  };
}

function invoke(frame) {
  runner.invoke(catalog, frame.id, frame.tool, frame.input, frame.env, frame.config, frame.executionId, frame.limits);
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

// ---------------------------------------------------------------------------------------------
// Output capture: what tool code prints becomes log frames of the current call.

const emitLog = runner.emitLog;

function logOutsideCall(level, message) {
  socket.write(`${logFrame("null", level, message)}\n`);
}

/** A stream's write that makes what it is given a log of the current call. */
function capturing(level) {
  return function write(chunk, encoding, callback) {
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
if (onBun) {
  // Bun builds process.stdout and stderr when first read, ~10 ms of node:stream and node:fs: an
  // assignment replaces them unbuilt, by writable streams that capture the same way, made when a
  // tool first reads them.
  standIn("stdout", 1, "info");
  standIn("stderr", 2, "error");
} else {
  process.stdout.write = capturing("info");
  process.stderr.write = capturing("error");
}

function standIn(name, fd, level) {
  process[name] = undefined; // reading Bun's own would build it; assigning does not
  let stream = null;
  Object.defineProperty(process, name, {
    configurable: true,
    enumerable: true,
    get() {
      if (stream === null) {
        const write = capturing(level);
        // end(chunk) and pipes write through _write
        stream = new (builtin("node:stream").Writable)({ decodeStrings: false, write });
        stream.write = write;
        stream.fd = fd;
      }
      return stream;
    },
  });
}

// Replaced too (not only the streams) for the right level. On Node, console.trace, .assert,
// .table, .count... call these or write through the captured streams.
console.debug = (...data) => emitLog("debug", format(...data));
console.log = (...data) => emitLog("info", format(...data));
console.info = (...data) => emitLog("info", format(...data));
console.warn = (...data) => emitLog("warn", format(...data));
console.error = (...data) => emitLog("error", format(...data));
// Bun's console writes to the file descriptors itself, around process.stdout/stderr: every method
// is replaced, by the console GraalJS tools get. (Bun.write(Bun.stdout, ...) still goes to the
// worker's log file, never into a frame.)
if (onBun) {
  const hostUrls = [import.meta.url, new URL("./bun-channel.mjs", import.meta.url).href];
  Object.assign(console, createConsole(emitLog, format, inspect, hostUrls));
}

// A throw from a timer or an unawaited rejection: the current call failed (TOOL_ERROR, recycle),
// or, between calls, a log.
const uncaught = runner.uncaught;
process.on("uncaughtException", (err, origin) => uncaught(err, origin ?? "uncaughtException"));
process.on("unhandledRejection", (reason) => uncaught(reason, "unhandledRejection"));

// ---------------------------------------------------------------------------------------------
// Tool discovery: what the manifest lists (DESIGN.md "Tool contract" is applied by the engine).

catalog = await loadCatalog(args.root, args.manifest);
socket.write(`{"type":"ready",${catalog.json}}\n`);
for (const frame of early) dispatch(frame);
const nothingYet = early.length === 0;
early = null;
// Bun collects its whole heap when the entry module finishes (~1.5 ms, its event loop's next turn
// waiting behind it): on Bun this module finishes only once the engine's first frame (the call a
// fresh worker was started for) is handled, so that call does not wait for the collection.
if (onBun && nothingYet) await new Promise((resolve) => (firstHandled = resolve));

async function loadCatalog(root, manifestFile) {
  // (node:fs, node:path and node:url, which Bun would build first, only on Node)
  const toUrl = onBun ? Bun.pathToFileURL : builtin("node:url").pathToFileURL; // resolves . and .. and relative paths
  const bundles = manifestFile.slice(0, manifestFile.lastIndexOf("/") + 1); // bundle paths are relative to it
  const modules = JSON.parse(onBun ? await Bun.file(manifestFile).text() : builtin("node:fs").readFileSync(manifestFile, "utf8"));
  // Imported concurrently, registered in path order.
  const loading = modules.map((m) =>
    m.error !== undefined
      ? { failure: m.error }
      : import(toUrl(m.bundle !== undefined ? bundles + m.bundle : `${root}/${m.module}`).href).then(
          (namespace) => ({ namespace }),
          (error) => ({ error }),
        ),
  );
  const loaded = [];
  for (let i = 0; i < modules.length; i++) loaded.push({ module: modules[i].module, ...(await loading[i]) });
  return buildCatalog(loaded);
}

function parseArgs(argv) {
  const parsed = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf("=");
    const key = eq === -1 ? arg : arg.slice(0, eq);
    if (key !== "--channel" && key !== "--id" && key !== "--root" && key !== "--manifest" && key !== "--network" && key !== "--subprocess" && key !== "--visible") die(`unknown argument ${arg}`, 2);
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) die(`${key} needs a value`, 2);
    parsed[key.slice(2)] = value;
  }
  for (const required of ["channel", "id", "root", "manifest"]) if (parsed[required] === undefined) die(`--${required} is required`, 2);
  return parsed;
}
