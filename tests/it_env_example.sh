# .env.example documents every setting the code reads, and only those: each ALL_CAPS name in a
# string literal of lib/ or src/ (what getenv() and bs_config_get() are called with) appears in
# it as KEY= with a comment above, and each KEY= in it is read somewhere. The README's
# Configuration section names each one too.
source "$(dirname "$0")/lib.sh"
src=$BS_SOURCE_DIR
example=$src/.env.example
[ -f "$example" ] || fail ".env.example is missing"

read_by_code=$(grep -rhoE '"[A-Z][A-Z0-9]*_[A-Z0-9_]+"' "$src/lib" "$src/src" | tr -d '"' | sort -u)
[ -n "$read_by_code" ] || fail "found no setting names in lib/ and src/ (the pattern is broken)"
in_example=$(grep -oE '^[A-Z][A-Z0-9_]*=' "$example" | tr -d '=' | sort -u)

for name in $read_by_code; do
    grep -qE "^$name=" "$example" || fail "$name is read by the code but not in .env.example"
    # The line above the setting is a comment that explains it.
    above=$(grep -B1 -E "^$name=" "$example" | head -1)
    [[ $above == \#* ]] || fail "$name in .env.example has no comment above it"
    grep -q "\`$name\`" "$src/README.md" || fail "$name is not in the README's Configuration section"
done
for name in $in_example; do
    grep -qx "$name" <<<"$read_by_code" || fail "$name is in .env.example but nothing reads it"
done
pass "$(wc -w <<<"$read_by_code") settings, each in .env.example with a comment and in the README"

