#!/usr/bin/env python3
"""tools/function-lengths.py: the longest C functions in the tree, and the
median and 90th percentile of all function lengths, so growth is visible
(style.md: median under 15 lines, over 60 needs a reason).

    tools/function-lengths.py [DIR...]     (default: hypervisor guest-kernel)

A function is a line at column 0 that ends a declarator with ')' and is
followed by a line '{' at column 0; it ends at the next '}' at column 0.
"""
import os
import re
import statistics
import sys

DECL = re.compile(r"^[A-Za-z_].*\)\s*$")


def functions(path):
    """(name, first line, length) of each function definition in path."""
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    found = []
    for i in range(len(lines) - 1):
        if DECL.match(lines[i]) and lines[i + 1] == "{":
            end = next((j for j in range(i + 2, len(lines)) if lines[j] == "}"), None)
            if end is not None:
                name = lines[i].split("(")[0].split()[-1].lstrip("*")
                found.append((name, i + 1, end - i + 1))
    return found


def main(dirs):
    rows = []
    for top in dirs:
        for root, _, files in os.walk(top):
            for name in files:
                if name.endswith(".c"):
                    path = os.path.join(root, name)
                    rows += [(n, path, line, length) for n, line, length in functions(path)]
    if not rows:
        print("no functions found")
        return 1
    lengths = sorted(r[3] for r in rows)
    p90 = lengths[int(0.9 * (len(lengths) - 1))]
    print("%d functions: median %g lines, 90th percentile %d, longest %d"
          % (len(rows), statistics.median(lengths), p90, lengths[-1]))
    for n, path, line, length in sorted(rows, key=lambda r: -r[3])[:10]:
        print("  %4d  %s:%d %s" % (length, path, line, n))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["hypervisor", "guest-kernel"]))
