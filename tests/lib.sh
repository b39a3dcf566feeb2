# Shared helpers for the integration tests (tests/it_*.sh), sourced, not run.
# Each test gets a fresh temporary directory that is removed on exit, and fails loudly.
set -euo pipefail
# Under pipefail, `CMD | grep -q P` fails when grep exits at its match while CMD still writes (CMD
# dies of SIGPIPE): write `grep -q P <<< "$(CMD)"` or grep a file instead. (it_install failed so.)

: "${BTCSTREAM:?BTCSTREAM must point at the built binary (ctest sets it)}"
: "${BS_SOURCE_DIR:?BS_SOURCE_DIR must point at the source tree (ctest sets it)}"
PY=/usr/bin/python3
REF="$PY $BS_SOURCE_DIR/tests/tools/reference_tables.py"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/btcstream-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok - $*"; }
skip() { echo "SKIP: $*"; exit 77; }

# expect_eq ACTUAL EXPECTED WHAT
expect_eq() { [ "$1" == "$2" ] || fail "$3: expected '$2', got '$1'"; }

# expect_contains FILE TEXT WHAT
expect_contains() { grep -qF -- "$2" "$1" || { cat "$1" >&2; fail "$3: '$2' not found in $1"; }; }

# shared_data FILE: path of a file from ../shared/data, or skip the test when it is absent.
shared_data() {
    local f="${BS_SHARED_DATA:-}/$1"
    [ -f "$f" ] || skip "shared data $1 is not here"
    echo "$f"
}
