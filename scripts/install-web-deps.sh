#!/usr/bin/env bash
# Installs the dashboard page's chart library (uPlot, from npm; lib/serve/web/package.json and
# its lock) so that the build can embed it. Run by the build itself when the stamp is older than
# the lock; never commits a copy of the library. Needs npm (scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/../lib/serve/web"
stamp=node_modules/.btcstream-stamp
if [ -f node_modules/uplot/dist/uPlot.iife.min.js ] && [ "$stamp" -nt package-lock.json ]; then
    exit 0
fi
command -v npm >/dev/null || { echo "install-web-deps: npm is missing: run scripts/install-deps.sh" >&2; exit 1; }
echo "install-web-deps: npm ci in lib/serve/web" >&2
npm ci --no-audit --no-fund --loglevel=error >/dev/null
touch "$stamp"
