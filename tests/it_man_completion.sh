# The man page renders without a single groff warning and documents every command that
# `btcstream --help` lists; the bash completion completes those commands after `btcstream ` and
# a command's own options (from its --help) after `btcstream train --`.
source "$(dirname "$0")/lib.sh"
page=$BS_SOURCE_DIR/btcstream.1
command -v groff >/dev/null || skip "groff is not installed (scripts/install-deps.sh installs it)"

# -ww: all warnings; any line on stderr fails the test (groff exits 0 on warnings).
LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$page" 2>warnings || fail "groff failed on btcstream.1"
[ ! -s warnings ] || { cat warnings >&2; fail "groff warns about btcstream.1"; }
LC_ALL=C.UTF-8 MANWIDTH=100 man -l "$page" 2>/dev/null | col -b >page.txt ||
    LC_ALL=C.UTF-8 groff -man -Tutf8 "$page" | col -b >page.txt
grep -q "^NAME" page.txt || fail "btcstream.1 did not render"

commands=$("$BTCSTREAM" --help | awk '/^Commands:/ { on = 1; next } /^$/ { on = 0 } on && /^  [a-z]/ { print $1 }')
[ "$(wc -w <<<"$commands")" -ge 5 ] || fail "found too few commands in btcstream --help: $commands"
for c in $commands; do
    # Each command heads an entry of the COMMANDS section: "       NAME ..." at the entry indent.
    grep -qE "^ {7}$c( |$)" page.txt || fail "btcstream.1 has no entry for '$c' (from btcstream --help)"
done
pass "btcstream.1 renders with no warning and documents $(wc -w <<<"$commands") commands"

# Completion, in a clean bash that knows only the script (no bash-completion package needed).
export PATH="$(dirname "$BTCSTREAM"):$PATH"
complete_line() { # WORDS...: the completions offered for the last word
    bash --norc --noprofile -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
        _btcstream; printf "%s\n" "${COMPREPLY[@]}"' _ "$BS_SOURCE_DIR/completion/btcstream.bash" "$@"
}
got=$(complete_line btcstream "" | sort | tr '\n' ' ')
for c in $commands; do grep -qw -- "$c" <<<"$got" || fail "'btcstream ' does not offer $c: $got"; done
got=$(complete_line btcstream tr)
expect_eq "$got" "train" "completion of 'btcstream tr'"
got=$(complete_line btcstream train -- | tr '\n' ' ')
# The options of `train --help`, worked out here from the help text itself.
for o in $("$BTCSTREAM" train --help | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u); do
    grep -qw -- "$o" <<<"$got" || fail "'btcstream train --' does not offer $o: $got"
done
for o in --max-iter --mode --seed --out-dir; do grep -qw -- "$o" <<<"$got" || fail "no $o in: $got"; done
grep -qw -- "--until-idle" <<<"$got" && fail "'btcstream train --' offers stream's --until-idle"
expect_eq "$(complete_line btcstream aggregate --table da)" "daily" "completion of --table"
pass "completion offers the commands and each command's options"
