# docs/architecture.*: the diagram's source renders, the committed SVG is the rendering of the
# current source (every label of the .dot is in it), and every file the diagram or the page
# names exists, so a moved module shows up here.
source "$(dirname "$0")/lib.sh"
docs=$BS_SOURCE_DIR/docs
command -v dot >/dev/null || skip "Graphviz is not installed (scripts/install-deps.sh installs it)"

dot -Tsvg "$docs/architecture.dot" -o fresh.svg 2>dot.err || { cat dot.err >&2; fail "architecture.dot does not render"; }
[ ! -s dot.err ] || { cat dot.err >&2; fail "dot warns about architecture.dot"; }
# Labels as SVG text: each line of each label. Graphviz escapes &, <, > and - in the SVG.
labels=$(grep -o 'label="[^"]*"' "$docs/architecture.dot" | sed 's/^label="//; s/"$//' |
    sed 's/\\n/\n/g' | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/-/\&#45;/g' | grep -v '^$' | sort -u)
[ "$(wc -l <<<"$labels")" -gt 20 ] || fail "found too few labels in architecture.dot"
while IFS= read -r line; do
    grep -qF -- ">$line</text>" fresh.svg || fail "the fresh rendering lacks '$line' (test is broken)"
    grep -qF -- ">$line</text>" "$docs/architecture.svg" ||
        fail "docs/architecture.svg is stale: no '$line' (run make docs and commit the SVG)"
done <<<"$labels"
pass "architecture.svg renders architecture.dot ($(wc -l <<<"$labels") label lines)"

# Files named in the diagram (x.c) and the page (lib/x.c, src/x.c, x.h).
for c in $(sed 's/\\n/ /g' "$docs/architecture.dot" | grep -ohE '[a-z_]+\.c' | sort -u); do
    [ -n "$(find "$BS_SOURCE_DIR/lib" "$BS_SOURCE_DIR/src" -name "$c")" ] || fail "architecture.dot names $c, which is neither in lib/ nor src/"
done
for f in $(grep -ohE '(lib|src)/[a-z_*/]+\.c' "$docs/architecture.md" | sort -u); do
    compgen -G "$BS_SOURCE_DIR/$f" >/dev/null || fail "architecture.md names $f, which does not exist"
done
for h in $(grep -ohE '`[a-z_]+\.h`' "$docs/architecture.md" | tr -d '`' | sort -u); do
    [ -f "$BS_SOURCE_DIR/include/btcstream/$h" ] || fail "architecture.md names $h, which is not a public header"
done
pass "every file architecture.dot and architecture.md name exists"
