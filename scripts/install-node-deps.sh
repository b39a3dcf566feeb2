#!/usr/bin/env bash
# Installs the npm packages the tests and benchmarks use as independent peers (DuckDB, hyparquet,
# an S3-compatible server and AWS's own client), from the lock file, once.
set -euo pipefail
cd "$(dirname "$0")/../tests/node"
if [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
    exit 0
fi
echo "install-node-deps: npm ci in tests/node" >&2
npm ci --no-audit --no-fund --loglevel=error >/dev/null
