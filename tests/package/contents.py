"""What the zips written by ./build.sh package must hold.

   python3 tests/package/contents.py DIST          check DIST/keyferry-{chrome,firefox,source}.zip
   python3 tests/package/contents.py --diff A B    print the entries that differ between two zips
"""
import json
import os
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXED_DATE = (2020, 1, 1, 0, 0, 0)
# What the source zip must hold (besides every file under src/ and extension/),
# and what it must not.
SOURCE_REQUIRED = ["BUILD.md", "TOOLCHAIN.txt", "README.md", "Cargo.toml", "Cargo.lock", "build.sh",
                   "manifest.json", "benches/core.rs"]
SOURCE_FORBIDDEN_TOP = {"target", "dist", "tests", "fuzz", "docs", "node_modules", ".git", ".tools", ".ci"}

errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)


def tree(top):
    """Files under ROOT/top as repository-relative paths (dotfiles and caches left out)."""
    out = set()
    for base, dirs, files in os.walk(os.path.join(ROOT, top)):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
        for f in files:
            if not f.startswith(".") and not f.endswith(".pyc"):
                out.add(os.path.relpath(os.path.join(base, f), ROOT).replace(os.sep, "/"))
    return out


def common(z, label):
    names = z.namelist()
    check(names == sorted(names), f"{label}: entries are not sorted")
    check(len(names) == len(set(names)), f"{label}: duplicate entries")
    for info in z.infolist():
        check(info.date_time == FIXED_DATE, f"{label}: {info.filename} has time {info.date_time}")
        check(not any(p.startswith(".") for p in info.filename.split("/")), f"{label}: dotfile {info.filename}")
        check(not info.filename.endswith("/"), f"{label}: directory entry {info.filename}")
    check(z.testzip() is None, f"{label}: corrupt entry")
    return set(names)


def extension_zip(path, browser, dist_dir):
    label = os.path.basename(path)
    with zipfile.ZipFile(path) as z:
        names = common(z, label)
        on_disk = {os.path.relpath(os.path.join(b, f), dist_dir).replace(os.sep, "/")
                   for b, _, fs in os.walk(dist_dir) for f in fs}
        on_disk = {n for n in on_disk if not any(p.startswith(".") for p in n.split("/"))}
        check(names == on_disk, f"{label}: entries {sorted(names ^ on_disk)} differ from {dist_dir}")
        m = json.loads(z.read("manifest.json"))
        for req in ("manifest.json", "background.js", "agent.js", "overlay.html", "overlay.js",
                    *(f"pkg/keyferry_{m}{x}" for m in ("background", "overlay", "pages") for x in (".js", "_bg.wasm"))):
            check(req in names, f"{label}: {req} missing")
        # Every file the manifest names is in the package.
        referenced = set(m.get("icons", {}).values()) | set(m.get("action", {}).get("default_icon", {}).values())
        referenced |= {m["action"]["default_popup"]} if "default_popup" in m.get("action", {}) else set()
        referenced |= set(m["background"].get("scripts", [])) | ({m["background"]["service_worker"]} if "service_worker" in m["background"] else set())
        for cs in m.get("content_scripts", []):
            referenced |= set(cs.get("js", [])) | set(cs.get("css", []))
        for war in m.get("web_accessible_resources", []):
            referenced |= set(war["resources"])
        if "managed_schema" in m.get("storage", {}):
            referenced.add(m["storage"]["managed_schema"])
        if "options_ui" in m:
            referenced.add(m["options_ui"]["page"])
        if "default_locale" in m:
            referenced.add(f"_locales/{m['default_locale']}/messages.json")
        for r in sorted(referenced):
            check(r in names, f"{label}: the manifest names {r}, which is not in the zip")
        if browser == "firefox":
            check("service_worker" not in m["background"], f"{label}: Chrome's service_worker key in the Firefox manifest")
            check(bool(m.get("browser_specific_settings", {}).get("gecko", {}).get("id")), f"{label}: no gecko id")
        else:
            check("browser_specific_settings" not in m, f"{label}: gecko settings in the Chrome manifest")
            check("scripts" not in m["background"], f"{label}: background.scripts in the Chrome manifest")


def source_zip(path):
    label = os.path.basename(path)
    with zipfile.ZipFile(path) as z:
        names = common(z, label)
        for req in SOURCE_REQUIRED:
            check(req in names, f"{label}: {req} missing")
        for n in sorted(names):
            check(n.split("/")[0] not in SOURCE_FORBIDDEN_TOP, f"{label}: {n} does not belong in the source zip")
        missing = (tree("src") | tree("extension")) - names
        check(not missing, f"{label}: source files missing: {sorted(missing)}")
        mode = z.getinfo("build.sh").external_attr >> 16
        check(mode & 0o111, f"{label}: build.sh is not executable ({oct(mode)})")


def diff(a, b):
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        ia = {i.filename: i for i in za.infolist()}
        ib = {i.filename: i for i in zb.infolist()}
        for n in sorted(ia.keys() | ib.keys()):
            x, y = ia.get(n), ib.get(n)
            if not x or not y:
                print(f"  only in {'first' if x else 'second'}: {n}")
            elif (x.CRC, x.file_size, x.date_time, x.external_attr) != (y.CRC, y.file_size, y.date_time, y.external_attr):
                print(f"  differs: {n} ({x.file_size} vs {y.file_size} bytes)")


def main(argv):
    if argv[:1] == ["--diff"]:
        diff(argv[1], argv[2])
        return 0
    dist = argv[0]
    extension_zip(os.path.join(dist, "keyferry-chrome.zip"), "chrome", os.path.join(dist, "chrome"))
    extension_zip(os.path.join(dist, "keyferry-firefox.zip"), "firefox", os.path.join(dist, "firefox"))
    source_zip(os.path.join(dist, "keyferry-source.zip"))
    for e in errors:
        print(f"  FAIL {e}", file=sys.stderr)
    if not errors:
        print("  chrome, firefox and source zips hold what they should")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
