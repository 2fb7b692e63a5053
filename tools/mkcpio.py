#!/usr/bin/env python3
"""tools/mkcpio.py TREE OUT: a directory tree as a cpio archive in the "newc"
format Linux unpacks as its initramfs (Documentation/driver-api/early-userspace/
buffer-format.rst): per entry a 110-byte ASCII header, the name with its NUL,
padding to 4 bytes, the data, padding to 4 bytes; the archive ends with the
entry "TRAILER!!!". Files, directories and symbolic links only; every entry is
owned by root, with the tree's modes, and a fixed time so the archive is the
same from one build to the next (Debian's cpio is not a build dependency)."""

import os
import stat
import sys


def pad4(n):
    return (4 - n % 4) % 4


def entry(ino, name, mode, data, nlink):
    fields = [ino, mode, 0, 0, nlink, 0, len(data), 0, 0, 0, 0, len(name) + 1, 0]
    head = b"070701" + b"".join(b"%08X" % f for f in fields)
    name_part = name.encode() + b"\0"
    out = head + name_part + b"\0" * pad4(len(head) + len(name_part))
    return out + data + b"\0" * pad4(len(data))


def members(tree):
    for dirpath, dirnames, filenames in os.walk(tree):
        dirnames.sort()
        for n in sorted(dirnames) + sorted(filenames):
            path = os.path.join(dirpath, n)
            yield os.path.relpath(path, tree), path


def archive(tree):
    out, ino = [], 1
    for rel, path in members(tree):
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            data, nlink = os.readlink(path).encode(), 1
        elif stat.S_ISDIR(st.st_mode):
            data, nlink = b"", 2
        elif stat.S_ISREG(st.st_mode):
            with open(path, "rb") as f:
                data, nlink = f.read(), 1
        else:
            sys.exit("mkcpio: %s: not a file, directory or link" % path)
        out.append(entry(ino, rel, st.st_mode, data, nlink))
        ino += 1
    out.append(entry(0, "TRAILER!!!", 0, b"", 1))
    return b"".join(out)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: mkcpio.py TREE OUT")
    with open(sys.argv[2], "wb") as f:
        f.write(archive(sys.argv[1]))


if __name__ == "__main__":
    main()
