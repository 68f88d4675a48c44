import fs from "node:fs";
import net from "node:net";
import { execFileSync, spawn } from "node:child_process";

// One behaviour per function, exported as several tools so that the engine's configuration can
// give the same code different policies (a policy is per tool name). Each export is a function
// of its own: the catalog counts one value once.

function readFile({ path }) {
  return { text: fs.readFileSync(path, "utf8").slice(0, 64) };
}
export const read_file = (input) => readFile(input);
export const read_file_allowed = (input) => readFile(input);

function writeFile({ path }) {
  fs.writeFileSync(path, "written");
  return { written: path };
}
export const write_file = (input) => writeFile(input);
export const write_file_allowed = (input) => writeFile(input);
export const write_scratch = (input) => writeFile(input);

function connectTo({ host, port }) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port }, () => {
      socket.end();
      resolve({ connected: `${host}:${port}` });
    });
    socket.on("error", reject);
  });
}
export const connect = (input) => connectTo(input);
export const connect_allowlisted = (input) => connectTo(input);
export const connect_best_effort = (input) => connectTo(input);

async function fetchUrl({ url, viaCtx = false }, ctx) {
  const response = await (viaCtx ? ctx.fetch : fetch)(url, { headers: { "x-probe": "1" } });
  return { status: response.status, url: response.url, text: await response.text() };
}
export const fetch_url = (input, ctx) => fetchUrl(input, ctx);
export const fetch_allowlisted = (input, ctx) => fetchUrl(input, ctx);

function run({ file, args = [] }) {
  return { stdout: execFileSync(file, args, { encoding: "utf8" }).trim() };
}
export const run_process = (input) => run(input);
export const run_process_allowed = (input) => run(input);

/** A child process reads a file: Node's permission model does not follow children, the sandbox does. */
function childReads({ path }) {
  try {
    return { text: execFileSync("/bin/cat", [path], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).slice(0, 64) };
  } catch (err) {
    return { failed: String(err.stderr ?? err.message) };
  }
}
export const child_reads = childReads;

/** The capabilities the worker's processes have, as a child process sees them in /proc. */
export function effective_capabilities() {
  const line = execFileSync("/bin/grep", ["CapEff", "/proc/self/status"], { encoding: "utf8" });
  return { capEff: line.trim().split(/\s+/)[1] };
}

export function env_names(input, ctx) {
  return { processEnv: Object.keys(process.env).sort(), ctxEnv: Object.keys(ctx.env).sort() };
}

/** Starts `sleep` processes one after another until the system refuses one; bounded at 400 whatever happens. */
export async function fork_bomb() {
  const children = [];
  let error = null;
  for (let i = 0; i < 400 && error === null; i++) {
    const child = spawn("/bin/sleep", ["30"], { stdio: "ignore" });
    error = await new Promise((resolve) => {
      child.once("spawn", () => resolve(null));
      child.once("error", (err) => resolve(err.code ?? err.message));
    });
    if (error === null) children.push(child);
  }
  return { spawned: children.length, error };
}

/** Keeps JavaScript objects until the heap (or the memory limit) gives out; gives up at 2 GiB. */
export function hog_heap() {
  const kept = [];
  for (let i = 0; i < 256; i++) kept.push(new Array(1 << 20).fill(i));
  return { keptMiB: kept.length * 8 };
}

/** Keeps buffers outside the JavaScript heap, which only a memory limit of the process stops; gives up at 2 GiB. */
export function hog_buffers() {
  const kept = [];
  for (let i = 0; i < 128; i++) kept.push(Buffer.alloc(16 << 20, 1));
  return { keptMiB: kept.length * 16 };
}
