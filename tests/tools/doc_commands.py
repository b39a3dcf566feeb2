#!/usr/bin/env python3
"""Runs the commands of Markdown walkthroughs and checks their output, as Python's doctest does.

    doc_commands.py [--update] [--keep DIR] FILE.md...

In each ```console block, a line starting with "$ " is a command (a line ending in a backslash
continues it on the next line); the lines after it, up to the next command or the end of the
block, are its expected output (stdout and stderr together). A line "..." in the expected output
stands for any number of lines, so long outputs can be shown in part. Other code blocks (```sh,
```c, ...) are not run: use them for what needs the network or a long time.

Each file runs in a fresh directory WORK/demo (kept with --keep), with WORK/docs linked to the
repository's docs/ (the page's own folder, or docs/ beside a page at the top) (so "../docs/make_ticks.py" works as it does for a reader who made demo/ at
the repository's top) and the directory of $BTCSTREAM first on PATH, so "btcstream" is the binary
under test. Commands run one after another in bash (with pipefail), each from WORK/demo, and
must exit 0 (or be stopped by SIGPIPE, as `btcstream ... | head` is).

With --update the expected outputs are rewritten in place from the real runs, keeping each
block's "..." elisions (the same number of lines before and after it); use it after a change to
what a command prints, then read the diff.
Exit status: 0 when every output matches (or was updated), 1 otherwise.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

FENCE = re.compile(r"^(\s*)```(\S*)\s*$")


def parse(lines):
    """Yields (index of the command's first line, command text, [start, end) of its output)."""
    in_block = in_console = False
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if m:
            in_block = not in_block
            in_console = in_block and m.group(2) == "console"
            i += 1
            continue
        if in_console and lines[i].startswith("$ "):
            start = i
            cmd = lines[i][2:]
            while cmd.endswith("\\") and i + 1 < len(lines):
                i += 1
                cmd = cmd[:-1] + "\n" + lines[i]
            out_start = i + 1
            j = out_start
            while j < len(lines) and not lines[j].startswith("$ ") and not FENCE.match(lines[j]):
                j += 1
            yield start, cmd, (out_start, j)
            i = j
            continue
        i += 1


def matches(expected, actual):
    """Whether actual (list of lines) fits expected, where a "..." line matches any lines."""
    if not expected:
        return not actual
    if expected[0].strip() == "...":
        return any(matches(expected[1:], actual[k:]) for k in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and matches(expected[1:], actual[1:])


def updated(expected, actual):
    """New expected lines from actual, keeping expected's elision (lines kept before/after)."""
    if "..." not in [e.strip() for e in expected]:
        return actual
    idx = [k for k, e in enumerate(expected) if e.strip() == "..."]
    head, tail = idx[0], len(expected) - idx[-1] - 1
    if head + tail >= len(actual):
        return actual
    return actual[:head] + ["..."] + (actual[len(actual) - tail:] if tail else [])


def run_file(path, update, keep):
    work = keep or tempfile.mkdtemp(prefix="btcstream-doc.")
    os.makedirs(os.path.join(work, "demo"), exist_ok=True)
    docs = os.path.join(work, "docs")
    page_dir = os.path.dirname(os.path.abspath(path))
    if os.path.basename(page_dir) != "docs":  # README.md, at the top of the repository
        page_dir = os.path.join(page_dir, "docs")
    if not os.path.exists(docs):
        os.symlink(page_dir, docs)
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(os.path.abspath(env["BTCSTREAM"])) + os.pathsep + env["PATH"]
    env["TZ"] = "UTC"
    env["LC_ALL"] = "C.UTF-8"
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    failures, count, edits = 0, 0, []
    try:
        for start, cmd, (a, b) in parse(lines):
            count += 1
            proc = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], cwd=os.path.join(work, "demo"),
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True, errors="replace")
            actual = [l.rstrip() for l in proc.stdout.split("\n")]
            while actual and actual[-1] == "":
                actual.pop()
            expected = [l.rstrip() for l in lines[a:b]]
            # 141: a writer stopped by SIGPIPE when `head` had read enough (under pipefail).
            if proc.returncode not in (0, 141):
                failures += 1
                print(f"{path}:{start + 1}: exit status {proc.returncode}: $ {cmd}\n"
                      + "\n".join(actual), file=sys.stderr)
            elif update:
                edits.append((a, b, updated(expected, actual)))
            elif not matches(expected, actual):
                failures += 1
                print(f"{path}:{start + 1}: output differs: $ {cmd}\n--- expected\n"
                      + "\n".join(expected) + "\n--- actual\n" + "\n".join(actual),
                      file=sys.stderr)
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    if update and not failures:
        for a, b, new in reversed(edits):
            lines[a:b] = new
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
    return count, failures


def main():
    p = argparse.ArgumentParser(description="run and check the commands of Markdown files")
    p.add_argument("--update", action="store_true", help="rewrite expected outputs in place")
    p.add_argument("--keep", help="run in this directory and keep it")
    p.add_argument("files", nargs="+")
    a = p.parse_args()
    if "BTCSTREAM" not in os.environ:
        sys.exit("doc_commands.py: set BTCSTREAM to the built binary")
    bad = 0
    for path in a.files:
        count, failures = run_file(path, a.update, a.keep)
        if count == 0:
            print(f"{path}: no ```console commands found", file=sys.stderr)
            failures += 1
        print(f"{path}: {count} commands, {failures} failed" + (" (updated)" if a.update and not failures else ""))
        bad += failures
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
