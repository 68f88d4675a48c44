#!/usr/bin/env sh
# Installs the npm-provided binaries (Bun, esbuild) and the sample tools' npm packages. The
# build runs this; it is quick when nothing changed, and without npm it only says what is
# missing, since the embedded GraalJS runtime needs none of it.
set -eu
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null 2>&1; then
  echo "toolchain: npm not found; the bun runtime and tool bundling stay unavailable (GraalJS runs plain JS tools)" >&2
  exit 0
fi
for dir in toolchain sample-tools; do
  [ -f "$dir/package-lock.json" ] || continue
  # npm ci records what it installed in node_modules/.package-lock.json; reinstall only when the lock moved on
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done
