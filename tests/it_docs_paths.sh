# What a user reads names only what the repository holds or what they can get: no path into
# ../shared (the development machine's data and design notes) and no Markdown file that is not
# in the repository, in the README, docs, examples, headers, the build, the container and the man
# page. (Tests may read shared data through BS_SHARED_DATA, set by CMake: that line is allowed.)
source "$(dirname "$0")/lib.sh"
cd "$BS_SOURCE_DIR"
all=$(git ls-files 2>/dev/null || find . -type f -not -path './.git/*' -not -path './build*' | sed 's|^\./||')
files=$(grep -E '^(README\.md|docs/|examples/|include/|CMakeLists\.txt|Makefile|Containerfile|compose\.yaml|\.env\.example|btcstream\.1|completion/|deploy/|scripts/|lib/|src/)' <<<"$all" |
    grep -vE '\.(svg|png)$')
[ "$(wc -l <<<"$files")" -gt 50 ] || fail "found too few files to check"

bad=$(grep -nE '\.\./shared|/work/shared' $files | grep -v 'BS_SHARED_DATA=' || true)
[ -z "$bad" ] || fail "paths outside the repository: $bad"
pass "no ../shared path in $(wc -l <<<"$files") files"

# Markdown files named (FILE.md) must exist somewhere in the repository. src/ and lib/ are left to
# their owners for now (they still name DESIGN.md in two comments).
md_files=$(grep -vE '^(src|lib)/' <<<"$files")
known=$(grep -E '\.md$' <<<"$all" | xargs -n1 basename | sort -u)
# Named before they are written, each by work in progress: remove a name once its file lands.
pending="" # names of docs cited before they are written, each with where it is cited
for name in $(grep -ohE '(^|[^A-Za-z0-9_.-])[A-Za-z0-9_-]+\.md\b' $md_files | grep -oE '[A-Za-z0-9_-]+\.md' | sort -u); do
    if grep -qxw "$name" <<<"$(tr ' ' '\n' <<<"$pending")"; then
        grep -qx "$name" <<<"$known" && fail "$name is in the repository now: remove it from pending"
        echo "note: $name is named but not written yet (pending)"
        continue
    fi
    grep -qx "$name" <<<"$known" || fail "a file names $name, which is not in the repository: $(grep -lw "$name" $md_files | head -3 | tr '\n' ' ')"
done
pass "every Markdown file named exists"
