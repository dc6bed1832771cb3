"""Segment every file of ../shared/corpus/lawref: counts, article check, time (ratio to decoding alone)."""
from __future__ import annotations

import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from compare.config import Config  # noqa: E402
from compare.ingest import infer_meta, read_document  # noqa: E402
from compare.segment import segment  # noqa: E402

LAWREF = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "lawref"
HEAD = re.compile(r"^[ \t\u3000]*(第[零〇一二三四五六七八九十百千]+条(?:之[一二三四五六七八九十]+)?)[ \t\u3000]", re.M)


def main() -> None:
    if not LAWREF.is_dir():
        print(f"lawref not found at {LAWREF}: nothing to measure")
        return
    files = sorted(LAWREF.rglob("*.md"))
    t0 = time.perf_counter()
    texts = [f.read_bytes().decode("utf-8") for f in files]
    t_read = time.perf_counter() - t0
    chars = sum(len(t) for t in texts)
    t1 = time.perf_counter()
    docs = [read_document(infer_meta(f)) for f in files]
    t_norm = time.perf_counter() - t1
    t2 = time.perf_counter()
    heads = mismatched = coarse = fine = 0
    roles = {"coarse": Counter(), "fine": Counter()}
    for d, raw in zip(docs, texts):
        cm, _ = segment(d, config=Config(level="coarse"))
        coarse += len(cm)
        roles["coarse"].update(m.role for m in cm)
        starts = {}
        for m in cm:
            starts.setdefault(m.start, []).append(m.label)
        for h in HEAD.finditer(raw):
            heads += 1
            mismatched += starts.get(h.start(1)) != [h.group(1)]
        fm = segment(d, config=Config(level="fine"))[0]
        fine += len(fm)
        roles["fine"].update(m.role for m in fm)
    t_seg = time.perf_counter() - t2
    print(f"files {len(files)}  characters {chars:,}")
    print(f"article headings at line starts {heads:,}  one coarse measure each: {heads - mismatched:,}"
          f"  mismatched {mismatched}")
    print(f"coarse segments {coarse:,}  fine segments {fine:,}")
    for level in ("coarse", "fine"):
        print(f"roles ({level}): " + ", ".join(f"{r} {n:,}" for r, n in roles[level].most_common()))
    print(f"read+decode {t_read:.2f}s  ingest+normalise {t_norm:.2f}s ({t_norm / t_read:.1f}x read)"
          f"  segment both levels {t_seg:.2f}s ({t_seg / t_read:.1f}x read)")


if __name__ == "__main__":
    main()
