#!/usr/bin/env bash
# `make test-container`: builds the image from Containerfile on a Debian 12 base made here, with
# no registry (debootstrap through the Debian mirror apt already uses, then `podman import`), and
# runs `make run` inside it, then runs compose.yaml with podman-compose. Slow (a few minutes the first time; the base image is kept and
# reused), so it is not part of `make test`.
#
# Environment: BS_BASE_IMAGE (default localhost/debian:bookworm-minbase) names the base image;
# when it already exists it is reused. BS_CONTAINER_IMAGE names the image built.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
base=${BS_BASE_IMAGE:-localhost/debian:bookworm-minbase}
image=${BS_CONTAINER_IMAGE:-localhost/btcstream:test}
# runc instead of crun, ulimits within the host's: see containers.conf.
export CONTAINERS_CONF="$here/containers.conf"

BS_DEPS_CONTAINER=1 bash "$repo/scripts/install-deps.sh"

# The mirror of the first Debian source apt uses (deb822 .sources or one-line .list files).
debian_mirror() {
    local uri
    uri=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null |
        awk '{print $2}' | grep -m1 '/debian/\?$' || true)
    [ -n "$uri" ] || uri=$(grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list |
        awk '{print $2}' | grep -m1 '/debian/\?$' || true)
    echo "${uri:-http://deb.debian.org/debian}"
}

if ! podman image exists "$base"; then
    rootfs=$(mktemp -d "${TMPDIR:-/tmp}/btcstream-rootfs.XXXXXX")
    trap 'rm -rf "$rootfs"' EXIT
    mirror=$(debian_mirror)
    echo "test-container: debootstrap --variant=minbase bookworm from $mirror" >&2
    debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1 ||
        { tail -20 "$rootfs.log" >&2; exit 1; }
    rm -f "$rootfs.log"
    # debootstrap leaves the host's resolver and apt caches; the image needs neither.
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -c . | podman import --change 'CMD ["/bin/bash"]' - "$base" >/dev/null
    rm -rf "$rootfs"
    trap - EXIT
fi

echo "test-container: podman build --pull=never (base $base)" >&2
podman build --pull=never --network=host --build-arg BASE_IMAGE="$base" -t "$image" \
    -f "$repo/Containerfile" "$repo"

echo "test-container: make run inside $image" >&2
out=$(mktemp "${TMPDIR:-/tmp}/btcstream-container.XXXXXX")
trap 'rm -f "$out"' EXIT
podman run --rm --network=host --workdir /src --entrypoint make "$image" run 2>&1 | tee "$out"
# The pipeline must have reached its last stage, not just exited 0.
grep -q 'output_plot.png' "$out" || { echo "FAIL: make run inside the container wrote no plot" >&2; exit 1; }
echo "ok - make run inside the container"

# compose.yaml as a user runs it (podman-compose), from a copy beside a .env made from the
# example: the pipeline runs, and its outputs are in the volume afterwards.
project=btcstreamtest$$
dir=$(mktemp -d "${TMPDIR:-/tmp}/btcstream-compose.XXXXXX")
trap 'rm -f "$out"; (cd "$dir" && podman-compose -p "$project" down -v >/dev/null 2>&1); rm -rf "$dir"' EXIT
cp "$repo/compose.yaml" "$repo/.env.example" "$dir/"
cp "$dir/.env.example" "$dir/.env"
(cd "$dir" && BTCSTREAM_IMAGE="$image" podman-compose -p "$project" up btcstream) >"$out" 2>&1 ||
    { tail -30 "$out" >&2; echo "FAIL: podman-compose up failed" >&2; exit 1; }
listing=$(podman run --rm --entrypoint ls -v "${project}_btcstream-data:/data" "$image" /data)
for f in Data bitcoin_predictions.parquet bitcoin_predictions.zip model.json output_plot.png; do
    grep -qx "$f" <<<"$listing" || { echo "FAIL: compose left no $f in its volume: $listing" >&2; exit 1; }
done
echo "ok - compose.yaml runs the pipeline with .env mounted and its outputs in the volume"

# The dashboard service serves what the pipeline committed to the volume.
(cd "$dir" && BTCSTREAM_IMAGE="$image" podman-compose -p "$project" up -d dashboard) >"$out" 2>&1 ||
    { tail -30 "$out" >&2; echo "FAIL: podman-compose could not start the dashboard" >&2; exit 1; }
summary=""
for i in $(seq 1 50); do
    summary=$(curl -fsS http://127.0.0.1:8080/api/summary 2>/dev/null) && break
    sleep 0.2
done
grep -q '"ticks"' <<<"$summary" || { echo "FAIL: the dashboard did not answer: $summary" >&2; exit 1; }
echo "ok - compose.yaml's dashboard serves the committed history on 127.0.0.1:8080"
