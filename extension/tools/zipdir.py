"""Deterministic zips: sorted entries, fixed timestamps and permissions, so two
builds of the same tree give byte-identical archives.

   python3 extension/tools/zipdir.py DIR OUT.zip
       every file under DIR (dotfiles and dot-directories left out)
   python3 extension/tools/zipdir.py --from ROOT OUT.zip PATH...
       the files and directories PATH... (relative to ROOT), stored under
       their ROOT-relative names; dotfiles, __pycache__ and *.pyc left out.
       A PATH of the form NAME=FILE stores FILE (anywhere) as NAME.

Entries are stored with mode 0644, or 0755 when the file is executable, and the
time 2020-01-01 00:00. Deflate level 9 through Python's zlib: the bytes depend
on the zlib version (zlib 1.2.x and 1.3.x give the same output for these files;
zlib-ng may not)."""
import os
import stat
import sys
import zipfile

FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def _skip(rel: str) -> bool:
    parts = rel.split("/")
    return any(p.startswith(".") or p == "__pycache__" for p in parts) or rel.endswith(".pyc")


def _walk(root: str, rel_top: str):
    full_top = os.path.join(root, rel_top)
    if os.path.isfile(full_top):
        yield rel_top.replace(os.sep, "/"), full_top
        return
    if not os.path.isdir(full_top):
        raise SystemExit(f"zipdir.py: {full_top} does not exist")
    for base, dirs, files in os.walk(full_top):
        dirs.sort()
        for name in files:
            full = os.path.join(base, name)
            yield os.path.relpath(full, root).replace(os.sep, "/"), full


def write_zip(entries, out: str) -> int:
    entries = sorted({rel: full for rel, full in entries if not _skip(rel)}.items())
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for rel, full in entries:
            info = zipfile.ZipInfo(rel, FIXED_TIME)
            mode = 0o755 if os.stat(full).st_mode & stat.S_IXUSR else 0o644
            info.external_attr = (stat.S_IFREG | mode) << 16
            info.create_system = 3  # unix, so unzip restores the mode
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(full, "rb") as f:
                z.writestr(info, f.read(), compresslevel=9)
    return len(entries)


def zipdir(src: str, out: str) -> int:
    return write_zip(((os.path.relpath(full, src).replace(os.sep, "/"), full) for _, full in _walk(src, ".")), out)


def zipfrom(root: str, out: str, paths) -> int:
    entries = []
    for p in paths:
        if "=" in p:
            name, full = p.split("=", 1)
            entries.append((name, full))
        else:
            entries.extend(_walk(root, p))
    return write_zip(entries, out)


if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0] == "--from":
        zipfrom(args[1], args[2], args[3:])
    elif len(args) == 2:
        zipdir(args[0], args[1])
    else:
        raise SystemExit(__doc__)
