"""Deterministic zip of a directory: sorted entries, fixed timestamps and
permissions, so two builds of the same tree give byte-identical archives.
   python3 extension/tools/zipdir.py DIR OUT.zip"""
import os
import sys
import zipfile

FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def zipdir(src: str, out: str) -> None:
    paths = []
    for base, dirs, files in os.walk(src):
        dirs.sort()
        for name in files:
            full = os.path.join(base, name)
            rel = os.path.relpath(full, src).replace(os.sep, "/")
            if not rel.startswith("."):
                paths.append((rel, full))
    paths.sort()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for rel, full in paths:
            info = zipfile.ZipInfo(rel, FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(full, "rb") as f:
                z.writestr(info, f.read(), compresslevel=9)


if __name__ == "__main__":
    zipdir(sys.argv[1], sys.argv[2])
