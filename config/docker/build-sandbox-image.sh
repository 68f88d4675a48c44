#!/usr/bin/env bash
# Builds toolhost/sandbox:local, the image of docker sandboxes on machines that cannot reach a
# registry: a minimal Debian rootfs made with debootstrap from Debian's mirror (python3 with pip,
# ruby, bash, tar, findutils), the host's Node.js binary with its npm, and Bun when the build's
# toolchain has it (TypeScript), imported with `docker import`. Sandboxes run as uid 10001.
#
# Idempotent: the image carries a hash of its inputs (this script, the suite, the node and bun
# binaries) and is not rebuilt while they are unchanged.
#
#   config/docker/build-sandbox-image.sh [TAG]
#   (NODE=/path/to/node, BUN=/path/to/bun, SUITE=bookworm, MIRROR=http://deb.debian.org/debian)
set -euo pipefail
tag="${1:-toolhost/sandbox:local}"
suite="${SUITE:-bookworm}"
mirror="${MIRROR:-http://deb.debian.org/debian}"
packages="python3,python3-pip,ruby,bash,tar,findutils,coreutils,ca-certificates"
here="$(cd "$(dirname "$0")" && pwd)"
node="$(readlink -f "${NODE:-$(command -v node)}")"
[ -x "$node" ] || { echo "no Node.js binary found (set NODE=/path/to/node)" >&2; exit 1; }
npm_dir="$(dirname "$node")/../lib/node_modules/npm"
bun="${BUN:-$(command -v bun || true)}"
[ -n "$bun" ] || bun="$here/../../toolchain/node_modules/.bin/bun"
bun="$(readlink -f "$bun" 2>/dev/null || true)"
[ -x "$bun" ] || bun=""

inputs="$( { cat "$0"; echo "$suite $mirror $packages"; sha256sum "$node"; [ -z "$bun" ] || sha256sum "$bun"; } | sha256sum | cut -c1-32)"
if [ "$(docker image inspect -f '{{index .Config.Labels "dev.toolhost.inputs"}}' "$tag" 2>/dev/null || true)" = "$inputs" ]; then
  echo "$tag is up to date"
  exit 0
fi
command -v debootstrap >/dev/null || {
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q && apt-get install -y -q debootstrap
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
debootstrap --variant=minbase --include="$packages" "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -30 "$work/debootstrap.log" >&2; exit 1; }

cp "$node" "$root/usr/local/bin/node"
if [ -d "$npm_dir" ]; then
  mkdir -p "$root/usr/local/lib/node_modules"
  cp -r "$(readlink -f "$npm_dir")" "$root/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
fi
[ -z "$bun" ] || cp "$bun" "$root/usr/local/bin/bun"
echo 'sandbox:x:10001:10001:toolhost sandbox:/home/sandbox:/bin/bash' >>"$root/etc/passwd"
echo 'sandbox:x:10001:' >>"$root/etc/group"
mkdir -p "$root/workspace" "$root/home/sandbox"
chown 10001:10001 "$root/workspace" "$root/home/sandbox"
# what the image needs only to be built: package lists and caches, docs
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/*

previous="$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)"
tar -C "$root" -c . | docker import \
  -c 'USER 10001:10001' -c 'WORKDIR /workspace' -c 'ENV HOME=/home/sandbox LANG=C.UTF-8' \
  -c 'CMD ["sleep", "infinity"]' -c "LABEL dev.toolhost.inputs=$inputs" - "$tag" >/dev/null
# the image this one replaces, now untagged, unless a container still uses it
[ -z "$previous" ] || docker rmi "$previous" >/dev/null 2>&1 || true
echo "built $tag ($suite: $packages; node $("$node" --version)${bun:+, bun $("$bun" --version)})"
