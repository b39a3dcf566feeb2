#!/usr/bin/env python3
"""Doxygen INPUT_FILTER for btcstream's headers (see docs/Doxyfile).

The headers are written for people, in plain C comments (the house style): a paragraph at the
top says what the module is, a comment above a prototype documents it (and the prototypes right
under it, with no blank line between, such as a _new and its _free), and a comment after a field
documents the field. Doxygen reads only its own comment markers, so this filter adds them on the
fly, line for line (warnings keep their line numbers), and the headers stay as they are:

  - the first comment of the file becomes the file's documentation (@file);
  - a comment that starts a line becomes a documentation comment for what follows;
  - a comment after code on the same line documents that member (/**< ... */);
  - a documentation comment and the run of declarations after it, up to a blank line, are a
    member group, so the comment documents each of them (DISTRIBUTE_GROUP_DOC).
"""
import re
import sys


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    lines = text.split("\n")
    out = []
    seen_first = False
    in_comment = False
    group_open = False  # inside a doc comment and the run of declarations after it
    depth = 0  # brace depth: member groups only at file scope, plain doc comments inside structs
    for line in lines:
        stripped = line.strip()
        if in_comment or "/*" in line or stripped.startswith("*"):
            # "<n>" and "<uuid>" in prose are placeholders, not HTML tags.
            line = re.sub(r"<([a-z_]+)>", r"\<\1\>", line)
        if in_comment:
            out.append(line)
            if "*/" in line:
                in_comment = False
            continue
        if stripped.startswith("/*") and not stripped.startswith("/**"):
            if group_open:
                out[-1] += " /**@}*/"
                group_open = False
            marker = "/** @file" if not seen_first else "/**"
            if not seen_first:
                seen_first = True
                line = line.replace("/*", marker + "\n" if stripped == "/*" else marker + " ", 1)
                line = line.replace("\n", " ")  # keep one line
            elif depth == 0:
                line = line.replace("/*", "/**@{*/ " + marker, 1)
                group_open = True
            else:
                line = line.replace("/*", marker, 1)
            out.append(line)
            if "*/" not in line.split("/**@{*/", 1)[-1]:
                in_comment = True
            continue
        # A trailing comment after code documents that member.
        m = re.match(r"^(\s*\S.*?;\s*)/\*(?!\*)(.*)$", line)
        if m and not stripped.startswith("#"):
            line = m.group(1) + "/**<" + m.group(2)
        if stripped == "":
            if group_open:  # the blank line that ends the group carries its end marker
                line = "/**@}*/"
                group_open = False
        code = re.sub(r"/\*.*?\*/", "", line)
        depth += code.count("{") - code.count("}")
        out.append(line)
    if group_open:
        out[-1] += " /**@}*/"
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main()
