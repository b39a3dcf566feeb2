# The public API is documented: Doxygen (docs/Doxyfile, through docs/doxygen_filter.py) finds a
# comment for every function of include/btcstream/*.h and no documentation error (a broken
# group, an unknown tag), and docs/API.md names every public function and only functions that
# exist. Undocumented struct fields, enum values and typedefs are counted, not fatal: headers
# describe many of them in the prose above the struct, which Doxygen cannot attribute.
# The check itself is checked on a header with an undocumented function.
source "$(dirname "$0")/lib.sh"
command -v doxygen >/dev/null || skip "doxygen is not installed (scripts/install-deps.sh installs it)"

# run_doxygen SOURCE_DIR OUT: the warnings, one a line, in OUT/warnings.
run_doxygen() {
    mkdir -p "$2"
    # WARN_AS_ERROR is left to this script, which decides which warnings are fatal.
    (cat "$BS_SOURCE_DIR/docs/Doxyfile"; echo "WARN_AS_ERROR = NO"; echo "WARN_LOGFILE = $2/warnings") |
        BS_SOURCE_DIR="$1" BS_DOXYGEN_OUT="$2" doxygen - >"$2/log" 2>&1 ||
        { cat "$2/log" >&2; fail "doxygen failed"; }
}
# fatal_warnings FILE: every warning but an undocumented non-function member.
fatal_warnings() {
    grep -E 'warning|error' "$1" | grep -vE 'is not documented' || true
    grep -E '\(function\) of file .* is not documented' "$1" || true
}

run_doxygen "$BS_SOURCE_DIR" dox
fatal=$(fatal_warnings dox/warnings)
[ -z "$fatal" ] || { echo "$fatal" >&2; fail "Doxygen: undocumented public functions or documentation errors (above)"; }
members=$(grep -c 'is not documented' dox/warnings || true)

# The functions Doxygen saw, from its XML, against the names docs/API.md gives.
functions=$($PY -c '
import glob, sys, xml.etree.ElementTree as ET
for f in glob.glob(sys.argv[1] + "/*_8h.xml"):
    for m in ET.parse(f).iter("memberdef"):
        if m.get("kind") == "function": print(m.findtext("name"))' dox/xml | sort -u)
[ "$(wc -l <<<"$functions")" -gt 50 ] || fail "Doxygen found too few functions: $functions"
api=$BS_SOURCE_DIR/docs/API.md
for f in $functions; do
    grep -q "\`$f()\`" "$api" || fail "docs/API.md does not describe $f() (from include/btcstream/)"
done
for f in $(grep -oE '`bs_[a-z0-9_]+\(\)`' "$api" | tr -d '`()' | sort -u); do
    grep -qx "$f" <<<"$functions" || fail "docs/API.md names $f(), which no public header declares"
done
pass "$(wc -l <<<"$functions") public functions, each documented in its header and in docs/API.md ($members fields, values and types left to the prose)"

# A header with an undocumented function must fail the check.
mkdir -p probe/include/btcstream probe/docs
cp "$BS_SOURCE_DIR/docs/doxygen_filter.py" probe/docs/
printf '%s\n' '/*' ' * probe.h - a test header.' ' */' '' '/* Documented. */' 'int bs_probe_a(void);' '' \
    'int bs_probe_b(void);' >probe/include/btcstream/probe.h
run_doxygen "$WORK/probe" probe/out
fatal=$(fatal_warnings probe/out/warnings)
grep -q 'bs_probe_b' <<<"$fatal" || fail "an undocumented function went unnoticed: $fatal"
grep -q 'bs_probe_a' <<<"$fatal" && fail "a documented function was reported: $fatal"
pass "an undocumented function fails the check"
