import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import { defineTool } from "@toolhost/sdk";

// Tools that probe a worker container's walls: what it can see, write, reach and spawn.

const codeOf = (fn) => {
  try {
    fn();
    return "ok";
  } catch (e) {
    return e.code ?? e.message;
  }
};

export const whereAmI = defineTool({
  name: "where_am_i",
  description: "Says which container serves the call (its hostname) and as which user.",
  run: () => ({ hostname: os.hostname(), uid: process.getuid() }),
});

export const readHostFile = defineTool({
  name: "read_host_file",
  description: "Reads input.path and returns its content.",
  run: ({ path }) => ({ content: fs.readFileSync(path, "utf8") }),
});

export const writeFiles = defineTool({
  name: "write_files",
  description: "Tries to write to the root filesystem and to /tmp; returns each outcome and the container's hostname.",
  run: () => ({
    root: codeOf(() => fs.writeFileSync("/owned", "x")),
    tmp: codeOf(() => fs.writeFileSync("/tmp/scratch.txt", "x")),
    hostname: os.hostname(),
  }),
});

// In a child process (which Node's permission model does not confine): reads input.path and
// writes to / and /tmp, meeting the container's own walls. Returns each outcome.
const inChildProcess = ({ path }) => {
  const script = `
    const fs = require("node:fs");
    const codeOf = ${codeOf.toString()};
    console.log(JSON.stringify({
      read: codeOf(() => fs.readFileSync(${JSON.stringify(path)})),
      root: codeOf(() => fs.writeFileSync("/owned", "x")),
      tmp: codeOf(() => fs.writeFileSync("/tmp/child.txt", "x")),
    }));`;
  const child = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
  if (child.error) throw child.error;
  return JSON.parse(child.stdout);
};

export const containerWalls = defineTool({
  name: "container_walls",
  description: "Meets the container's walls in a child process (its policy allows child processes).",
  run: inChildProcess,
});

export const childProcessDenied = defineTool({
  name: "child_process_denied",
  description: "The same as container_walls, under a policy that allows no child process.",
  run: inChildProcess,
});

/** Opens a TCP connection to host:port: 'connected' or 'timeout', or the connection's error thrown. */
const connect = ({ host, port }) =>
  new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, timeout: 3000 });
    socket.on("connect", () => {
      socket.destroy();
      resolve({ outcome: "connected" });
    });
    socket.on("timeout", () => {
      socket.destroy();
      resolve({ outcome: "timeout" });
    });
    socket.on("error", reject);
  });

export const connectTo = defineTool({
  name: "connect_to",
  description: "Opens a TCP connection to input.host:input.port; returns 'connected' or the error code.",
  run: (input) => connect(input).catch((e) => ({ outcome: e.code ?? e.message })),
});

const fetchUrl = async ({ url, viaCtx = false }, ctx) => {
  const response = await (viaCtx ? ctx.fetch : fetch)(url);
  return { status: response.status, text: await response.text() };
};

export const fetchAllowed = defineTool({
  name: "fetch_allowed",
  description: "Fetches input.url (with ctx.fetch when input.viaCtx); its policy allows one host. Returns status and body.",
  run: fetchUrl,
});

export const connectAllowed = defineTool({
  name: "connect_allowed",
  description: "Opens a raw TCP connection to input.host:input.port under a policy that allows that host for fetch.",
  run: connect,
});

export const forkBomb = defineTool({
  name: "fork_bomb",
  description: "Spawns input.count idle node processes as fast as it can; returns how many started and how many failed.",
  run: async ({ count = 500 }) => {
    let started = 0;
    let failed = 0;
    const attempts = [];
    for (let i = 0; i < count; i++) {
      attempts.push(
        new Promise((resolve) => {
          const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1e9)"], { stdio: "ignore" });
          child.on("spawn", () => {
            started++;
            resolve();
          });
          child.on("error", () => {
            failed++;
            resolve();
          });
        }),
      );
    }
    await Promise.all(attempts);
    return { started, failed, hostname: os.hostname() };
  },
});

export const eatMemory = defineTool({
  name: "eat_memory",
  description: "Allocates and touches 16 MiB buffers until the process is killed.",
  run: () => {
    const held = [];
    for (;;) held.push(Buffer.alloc(16 * 1024 * 1024, 1));
  },
});

export const floodConsole = defineTool({
  name: "flood_console",
  description: "Writes input.mib MiB through process.stdout (captured as log lines by the SDK).",
  run: ({ mib = 100 }) => {
    const line = "z".repeat(1023) + "\n";
    for (let i = 0; i < mib * 1024; i++) process.stdout.write(line);
    return { written: mib };
  },
});

export const floodStdout = defineTool({
  name: "flood_stdout",
  description: "Writes input.mib MiB straight to file descriptor 1 (past the SDK's capture), then returns.",
  run: ({ mib = 100 }) => {
    const chunk = Buffer.alloc(1024 * 1024, 0x7a);
    for (let i = 0; i < mib; i++) {
      // fd 1 is a non-blocking pipe: a full pipe answers EAGAIN, and the write is retried
      for (let off = 0; off < chunk.length; ) {
        try {
          off += fs.writeSync(1, chunk, off);
        } catch (e) {
          if (e.code !== "EAGAIN") throw e;
        }
      }
    }
    return { written: mib };
  },
});

export const neverAnswers = defineTool({
  name: "never_answers",
  description: "Logs 'started', then returns a promise that never settles.",
  run: (input, ctx) => {
    ctx.log("info", "started");
    return new Promise(() => {});
  },
});

export const waitForFile = defineTool({
  name: "wait_for_file",
  description: "Writes input.dir/started, then waits until input.dir/go exists (a call the test holds in flight).",
  run: async ({ dir }) => {
    fs.writeFileSync(`${dir}/started`, os.hostname());
    while (!fs.existsSync(`${dir}/go`)) await new Promise((resolve) => setTimeout(resolve, 20));
    return { went: true };
  },
});
