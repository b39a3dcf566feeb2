#!/usr/bin/env bash
# Installs what the benchmarks' peers need (Debian packages and the npm peers) when missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
need=()
for p in python3-pandas python3-sklearn python3-matplotlib python3-xgboost python3-numpy time; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    echo "bench setup: installing ${need[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
bash "$root/scripts/install-node-deps.sh"
