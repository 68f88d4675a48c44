#!/usr/bin/env bash
# Builds toolhost/node-worker:local, a worker image for machines that cannot reach a registry:
# the host's Node.js binary and the shared libraries it links against, FROM scratch, with an
# unprivileged user. The engine bind-mounts the SDK and the tools read-only, so the image holds
# nothing of Toolhost itself and needs rebuilding only when Node changes.
#
#   config/docker/build-local-image.sh [TAG]     (NODE=/path/to/node to choose the binary)
set -euo pipefail
tag="${1:-toolhost/node-worker:local}"
node="$(readlink -f "${NODE:-$(command -v node)}")"
[ -x "$node" ] || { echo "no Node.js binary found (set NODE=/path/to/node)" >&2; exit 1; }

ctx="$(mktemp -d)"
trap 'rm -rf "$ctx"' EXIT
mkdir -p "$ctx/rootfs/usr/bin" "$ctx/rootfs/etc" "$ctx/rootfs/tmp"
# Docker copies the image's /tmp (mode included) onto the tmpfs the engine mounts there.
chmod 1777 "$ctx/rootfs/tmp"
cp "$node" "$ctx/rootfs/usr/bin/node"
# The dynamic loader and every library ldd names, at the same paths as on the host.
for lib in $(ldd "$node" | grep -o '/[^ ]*'); do
  mkdir -p "$ctx/rootfs$(dirname "$lib")"
  cp -L "$lib" "$ctx/rootfs$lib"
done
echo 'root:x:0:0:root:/:/sbin/nologin' >"$ctx/rootfs/etc/passwd"
echo 'toolhost:x:10001:10001:toolhost worker:/tmp:/sbin/nologin' >>"$ctx/rootfs/etc/passwd"
printf 'root:x:0:\ntoolhost:x:10001:\n' >"$ctx/rootfs/etc/group"

cat >"$ctx/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY rootfs/ /
USER 10001:10001
WORKDIR /tmp
ENTRYPOINT ["/usr/bin/node"]
DOCKERFILE
# The classic builder: Debian's docker.io may lack buildx, and FROM scratch needs no registry.
DOCKER_BUILDKIT=0 docker build -q -t "$tag" "$ctx" >"$ctx/build.log" 2>&1 || { cat "$ctx/build.log" >&2; exit 1; }
echo "built $tag from $node ($("$node" --version))"
