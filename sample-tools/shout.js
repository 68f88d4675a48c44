// Plain exported functions are tools too: named after the export, no schema, called as
// fn(input, ctx). No SDK import needed.

export async function shout(input, ctx) {
  return { text: String(input.text).toUpperCase() };
}

// The tool sees only the invocation's env: ctx.env, and in a worker process process.env too,
// never the engine's own environment.
export function echo_env(input, ctx) {
  return { env: ctx.env, processEnv: typeof process === "undefined" ? null : { ...process.env } };
}
