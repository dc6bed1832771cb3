"""Add the pinyin spellings of every city and district to compare/data/divisions.tsv (its fourth column), so
that a region written in English in a corpus.toml (``Beijing (Haidian)``, ``Guangdong (Shenzhen)``) and the same
one inferred in Chinese (``北京市 (海淀区)``) are one (``ingest.region_parts``).

    pip install pypinyin==0.55.0      # MIT; only this script needs it, the package reads the column
    python benchmarks/divisions_pinyin.py

A name's spelling is its short form (``ingest._short``: 东城区 → 东城, 浦东新区 → 浦东, 深圳市 → 深圳, 延边朝鲜族自治州
→ 延边) in toneless pinyin, letters only:
pypinyin's reading of the whole name (its phrase dictionary: 六安 → luan) and every reading of each character
(朝阳 → chaoyang as well as zhaoyang; 长宁 → changning), at most 16 a name, space-separated. A province's
English names are ``ingest._ENGLISH``. Running it twice gives the same file.
"""
from __future__ import annotations

import itertools
import re
import sys
from pathlib import Path

from pypinyin import Style, lazy_pinyin, pinyin

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from compare.ingest import _short  # noqa: E402   the short name the package folds by

FILE = Path(__file__).resolve().parent.parent / "compare" / "data" / "divisions.tsv"
HEADER = "# pinyin: the city's or district's short name in toneless pinyin, every reading (benchmarks/divisions_pinyin.py)"


def spellings(name: str) -> list[str]:
    short = _short(name)
    out = ["".join(lazy_pinyin(short, style=Style.NORMAL))]
    for combo in itertools.product(*pinyin(short, style=Style.NORMAL, heteronym=True)):
        out.append("".join(combo))
    seen = []
    for s in out:
        s = re.sub(r"[^a-z]", "", s.lower())
        if s and s not in seen:
            seen.append(s)
    return seen[:16]


def main() -> None:
    lines = FILE.read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        if line.startswith("# pinyin:"):
            continue
        if not line.strip() or line.startswith("#"):
            out.append(line)
            continue
        name, province, sub = line.split("\t")[:3]
        out.append("\t".join((name, province, sub, " ".join(spellings(sub)) if sub else "")))
    at = max(k for k, line in enumerate(out) if line.startswith("#")) + 1
    out.insert(at, HEADER)
    FILE.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"{FILE}: {sum(1 for x in out if x and not x.startswith('#'))} names")


if __name__ == "__main__":
    main()
