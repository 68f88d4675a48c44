// @bun
// Bun has no permission model, so a policy without child processes is held by the kernel: before
// any tool loads, the worker installs a seccomp filter on itself that makes starting a process
// fail with EPERM. A filter cannot be removed and every thread gets it, so tool code (bun:ffi
// included) cannot undo it. Threads are still allowed: Bun needs them.
//
// Loaded by worker.mjs on Bun only, when the engine passes `--subprocess deny`.

import { dlopen, FFIType, ptr } from "bun:ffi";

const EPERM = 1;
const ENOSYS = 38;
const CLONE_THREAD = 0x10000;
const X32_SYSCALL_BIT = 0x40000000;

// Per architecture: its audit id and the numbers of the calls that start a process.
const ARCHES = {
  x64: { audit: 0xc000003e, execve: 59, execveat: 322, clone: 56, clone3: 435, fork: 57, vfork: 58 },
  arm64: { audit: 0xc00000b7, execve: 221, execveat: 281, clone: 220, clone3: 435 },
};

// classic BPF opcodes and seccomp return values
const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JGE_K = 0x35;
const JSET_K = 0x45;
const RET_K = 0x06;
const RET_KILL_PROCESS = 0x80000000;
const RET_ALLOW = 0x7fff0000;
const RET_ERRNO = 0x00050000;
// offsets in struct seccomp_data
const NR = 0;
const ARCH = 4;
const ARG0_LOW = 16;

/** The filter program for one architecture, as [code, jt, jf, k] instructions. */
function program(arch) {
  const denied = [arch.execve, arch.execveat, arch.fork, arch.vfork].filter((nr) => nr !== undefined);
  const ins = [
    [LD_W_ABS, 0, 0, ARCH],
    [JEQ_K, 1, 0, arch.audit],
    [RET_K, 0, 0, RET_KILL_PROCESS], // a call through another ABI could dodge the numbers below
    [LD_W_ABS, 0, 0, NR],
  ];
  if (arch.audit === ARCHES.x64.audit) ins.push([JGE_K, 0, 1, X32_SYSCALL_BIT], [RET_K, 0, 0, RET_ERRNO | EPERM]);
  for (const nr of denied) ins.push([JEQ_K, 0, 1, nr], [RET_K, 0, 0, RET_ERRNO | EPERM]);
  // clone3 keeps its flags in memory a filter cannot read: ENOSYS makes libc fall back to clone
  ins.push([JEQ_K, 0, 1, arch.clone3], [RET_K, 0, 0, RET_ERRNO | ENOSYS]);
  // clone makes a thread (allowed) or a process (denied), as its flags say
  ins.push(
    [JEQ_K, 0, 3, arch.clone],
    [LD_W_ABS, 0, 0, ARG0_LOW],
    [JSET_K, 1, 0, CLONE_THREAD],
    [RET_K, 0, 0, RET_ERRNO | EPERM],
    [RET_K, 0, 0, RET_ALLOW],
  );
  return ins;
}

/** Installs the filter; throws when this host cannot have it (the worker then refuses to start). */
export function forbidChildProcesses() {
  const arch = ARCHES[process.arch];
  if (arch === undefined) throw new Error(`no seccomp filter for ${process.arch}`);
  const ins = program(arch);
  const filter = new Uint8Array(ins.length * 8);
  const view = new DataView(filter.buffer);
  ins.forEach(([code, jt, jf, k], i) => {
    view.setUint16(i * 8, code, true);
    view.setUint8(i * 8 + 2, jt);
    view.setUint8(i * 8 + 3, jf);
    view.setUint32(i * 8 + 4, k, true);
  });
  const fprog = new DataView(new ArrayBuffer(16)); // struct sock_fprog { u16 len; filter* }
  fprog.setUint16(0, ins.length, true);
  fprog.setBigUint64(8, BigInt(ptr(filter)), true);

  const { symbols, close } = dlopen("libc.so.6", {
    prctl: { args: [FFIType.i32, FFIType.u64, FFIType.ptr, FFIType.u64, FFIType.u64], returns: FFIType.i32 },
  });
  try {
    const PR_SET_NO_NEW_PRIVS = 38;
    const PR_SET_SECCOMP = 22;
    const SECCOMP_MODE_FILTER = 2n;
    if (symbols.prctl(PR_SET_NO_NEW_PRIVS, 1n, null, 0n, 0n) !== 0) throw new Error("prctl(PR_SET_NO_NEW_PRIVS) failed");
    if (symbols.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, new Uint8Array(fprog.buffer), 0n, 0n) !== 0) {
      throw new Error("prctl(PR_SET_SECCOMP) failed: the kernel has no seccomp filters");
    }
  } finally {
    close();
  }
}

/** A process start the filter refused, as PERMISSION_DENIED (the ChildProcess permission, as on Node). */
export function childProcessDenied(thrown) {
  const err = thrown !== null && typeof thrown === "object" ? thrown : null;
  if (err === null || err.code !== "EPERM" || typeof err.syscall !== "string" || !err.syscall.includes("spawn")) return null;
  return {
    type: "PERMISSION_DENIED",
    message: `the tool may not start a process${err.path ? ` (${err.path})` : ""}: its policy allows no child processes`,
    permission: "ChildProcess",
    target: err.path ?? null,
  };
}
