# The walkthroughs stay true: every command in a ```console block of README.md, docs/example.md and
# docs/tutorial.md runs (tests/tools/doc_commands.py, in a fresh directory each) and prints what
# the page shows ("..." lines elide). `make docs-example-update` rewrites the pages' outputs after
# a deliberate change. The checker itself is checked: a page with a wrong output must fail.
source "$(dirname "$0")/lib.sh"
check="$PY $BS_SOURCE_DIR/tests/tools/doc_commands.py"

for page in README.md docs/example.md docs/tutorial.md; do
    [ -f "$BS_SOURCE_DIR/$page" ] || fail "$page is missing"
    $check "$BS_SOURCE_DIR/$page" || fail "$page: an output no longer matches (make docs-example-update rewrites them; read the diff)"
done
pass "README.md, docs/example.md and docs/tutorial.md print what they show"

# A page that lies, one that elides, and one whose command fails.
mkdir docs
cp "$BS_SOURCE_DIR/docs/make_ticks.py" docs/
printf '%s\n' '```console' '$ echo one; echo two; echo three' 'one' 'three' '```' >docs/wrong.md
printf '%s\n' '```console' '$ echo one; echo two; echo three' 'one' '...' '```' >docs/elided.md
printf '%s\n' '```console' '$ false' '```' >docs/failing.md
printf '%s\n' '```sh' '$ false' '```' '```console' '$ btcstream --version | cut -d" " -f1' 'btcstream' '```' >docs/other.md
! $check docs/wrong.md 2>/dev/null || fail "a wrong output passed"
$check docs/elided.md >/dev/null || fail "an elided output failed"
! $check docs/failing.md 2>/dev/null || fail "a failing command passed"
$check docs/other.md >/dev/null || fail "a non-console block was run, or btcstream is not on PATH"
cp docs/wrong.md docs/updated.md
$check --update docs/updated.md >/dev/null || fail "--update failed"
expect_eq "$(sed -n 3,5p docs/updated.md | tr '\n' ' ')" "one two three " "--update rewrote the output"
pass "the checker fails on a wrong output or a failing command, and --update rewrites"
