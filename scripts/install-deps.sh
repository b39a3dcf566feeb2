#!/usr/bin/env bash
# Installs the Debian packages btcstream needs to build, test and run, and only those missing.
# Uses sudo when not root. Safe to run again: it does nothing when everything is present.
set -euo pipefail

packages=(
    build-essential cmake pkg-config
    libcmocka-dev
    libcurl4-openssl-dev libssl-dev
    libxgboost-dev
    libzip-dev unzip zlib1g-dev
    libsnappy-dev libzstd-dev
    libplplot-dev plplot-driver-cairo fonts-dejavu-core
    python3
    # the NATS JetStream bus (--bus): the C client
    libnats-dev
    # the dashboard (btcstream serve): libmicrohttpd serves it
    libmicrohttpd-dev
    # the exchange feeds (binance:, coinbase:, kraken:): the WebSocket client
    libwebsockets-dev
)
# BS_DEPS_BUILD_ONLY=1 (the container image) installs what builds and runs btcstream, not the
# tools only the tests use.
build_only=${BS_DEPS_BUILD_ONLY:-0}
if [ "$build_only" != 1 ]; then
    # the servers and browser the tests start on 127.0.0.1: nats-server for the bus, chromium
    # for the dashboard's page, Prometheus (promtool too) for its /metrics
    packages+=(nats-server chromium prometheus)
    # the documentation's checks: Doxygen (every public function documented), Graphviz (the
    # architecture diagram), groff (the man page, warnings as errors)
    packages+=(doxygen graphviz groff-base)
    # clang with its libFuzzer runtime: `make fuzz` builds the fuzz/ harnesses with it (the
    # regression run in `make test` needs only gcc)
    packages+=(clang libclang-rt-14-dev)
    # openssl (the command): the backfill's TLS test makes a throw-away CA with it
    packages+=(openssl)
fi
# `make test-container` only (BS_DEPS_CONTAINER=1): podman with runc and
# podman-compose, debootstrap for the base image.
[ "${BS_DEPS_CONTAINER:-0}" = 1 ] && packages+=(podman podman-compose runc debootstrap)
# Node.js: the build fetches the dashboard's chart library (uPlot) with npm, and the tests run
# their independent peers with it (DuckDB, hyparquet, an S3 server). A Node.js from another
# source (one that bundles npm) conflicts with Debian's npm, so ask only for what is absent.
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
