"""Groups twiggy's per-item sizes (CSV on stdin) by crate, so the bench report
shows what each dependency costs in the wasm. Used by ./build.sh bench."""
import csv
import re
import sys
from collections import Counter

sizes = Counter()
for row in csv.DictReader(sys.stdin):
    name, size = row["Name"], int(row["ShallowSize"])
    if name.startswith('"function names"') or name.startswith("custom section"):
        continue  # stripped from the shipped file
    if name.startswith("data segment"):
        key = "(data: strings and tables)"
    elif "serde" in name and re.search(r"[Dd]eserializ|Visitor|::de::|content::", name):
        key = "serde (deserialize, all types)"
    elif "serde" in name:
        key = "serde (serialize, all types)"
    else:
        m = re.search(r"([a-z_][a-z0-9_]*)(?:\[[0-9a-f]+\])?::", name)
        key = m.group(1) if m else "(other)"
        if key == "keyferry":
            m2 = re.search(r"keyferry::([a-z_]+)", name)
            key = f"keyferry::{m2.group(1)}" if m2 else key
    sizes[key] += size
total = sum(sizes.values())
for key, size in sizes.most_common(18):
    print(f"  {key:<36} {size:>8} bytes  {100 * size / total:5.1f}%")
print(f"  {'total (code + data)':<36} {total:>8} bytes")
