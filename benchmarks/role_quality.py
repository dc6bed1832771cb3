"""Segment roles and fine boundaries against the hand-made gold with roles (tests/data/gold/ROLES.md).

    python benchmarks/role_quality.py            # development part only (what tuning may look at)
    python benchmarks/role_quality.py --heldout  # the frozen held-out part (score it once, at the end)

Prints per gold file the boundary precision/recall of segment starts at both levels, then, over all files,
precision/recall of measure+goal against the other roles and the confusion matrix (rows: gold, columns:
engine), for coarse segments. A majority baseline (every segment a measure: what the engine did before
roles) is printed beside it.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from compare import pipeline  # noqa: E402
from compare.config import Config  # noqa: E402
from compare.gold import (ROLES, find_bounds, load_role_gold, role_cases, role_segments,  # noqa: E402
                          score_roles)

GOLD = ROOT / "tests" / "data" / "gold" / "roles"
LAWREF = ROOT.parent / "shared" / "corpus" / "lawref"
KEEP = {"measure", "goal"}


def evaluate(cases=None, *, lawref: Path = LAWREF):
    """{level: [(case, RoleScore)]} over every gold file whose source is present."""
    cases = cases or role_cases(GOLD, corpus_dir=ROOT / "corpus", lawref_dir=lawref)
    bundled = {Path(d.path).name: d for d in pipeline.load(None).documents}
    out = {"coarse": [], "fine": []}
    for case in cases:
        if case.lawref:
            if not case.source.exists():
                continue
            doc = pipeline.load([case.source]).documents[0]
        else:
            doc = bundled[case.source.name]
        lo, hi = find_bounds(doc.raw, case.start_text, case.end_text)
        coarse, fine = role_segments(doc.raw, load_role_gold(case.gold), source_name=case.source.name,
                                     start=lo, end=hi)
        for level, gold in (("coarse", coarse), ("fine", fine)):
            seg = pipeline.segment_all([doc], config=Config(level=level))[0]
            out[level].append((case, score_roles(doc.raw, gold, seg.measures, span=(lo, hi))))
    return out


def prf(pairs, predicted=lambda p: p[1] in KEEP):
    tp = sum(1 for p in pairs if p[0] in KEEP and predicted(p))
    fp = sum(1 for p in pairs if p[0] not in KEEP and predicted(p))
    fn = sum(1 for p in pairs if p[0] in KEEP and not predicted(p))
    P = tp / (tp + fp) if tp + fp else 0.0
    R = tp / (tp + fn) if tp + fn else 0.0
    return P, R


def kappa(a: list[str], b: list[str]) -> float:
    """Cohen's kappa of two label lists."""
    n = len(a)
    po = sum(x == y for x, y in zip(a, b)) / n
    ca, cb = Counter(a), Counter(b)
    pe = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return (po - pe) / (1 - pe) if pe < 1 else 1.0


def second_reader_agreement() -> str:
    """Agreement of the second reader (tests/data/gold/roles/second_reader.tsv) with the gold roles."""
    from compare.gold import read_tsv

    first = {}
    for case in role_cases(GOLD, corpus_dir=ROOT / "corpus", lawref_dir=LAWREF):
        for r in load_role_gold(case.gold):
            if r["level"] == "coarse":
                first[(case.gold.name, r["anchor"])] = r["role"]
    rows = read_tsv(GOLD / "second_reader.tsv")
    a = [first[(r["gold"], r["anchor"])] for r in rows]
    b = [r["role"] for r in rows]
    exact = sum(x == y for x, y in zip(a, b)) / len(a)
    ka = [x in KEEP for x in a]
    kb = [x in KEEP for x in b]
    binary = sum(x == y for x, y in zip(ka, kb)) / len(a)
    return (f"second reader on {len(rows)} coarse segments: exact role agreement {exact:.3f} "
            f"(kappa {kappa(a, b):.3f}); measure+goal vs rest {binary:.3f} "
            f"(kappa {kappa([str(x) for x in ka], [str(x) for x in kb]):.3f})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--heldout", action="store_true", help="score the frozen held-out part")
    ap.add_argument("--errors", action="store_true", help="list the development part's role errors")
    a = ap.parse_args()
    part = "held-out" if a.heldout else "development"
    res = evaluate()
    print(f"{'gold file':34} {'level':6} {'gold':>5} {'pred':>5} {'match':>5} {'P':>6} {'R':>6}")
    for level in ("coarse", "fine"):
        for case, sc in res[level]:
            P = sc.matched_starts / sc.predicted_starts if sc.predicted_starts else 0
            R = sc.matched_starts / sc.gold_starts if sc.gold_starts else 0
            print(f"{case.gold.name:34} {level:6} {sc.gold_starts:5} {sc.predicted_starts:5} {sc.matched_starts:5} "
                  f"{P:6.3f} {R:6.3f}")
        g = sum(sc.gold_starts for _, sc in res[level])
        p = sum(sc.predicted_starts for _, sc in res[level])
        m = sum(sc.matched_starts for _, sc in res[level])
        print(f"{'all (boundaries)':34} {level:6} {g:5} {p:5} {m:5} {m / p:6.3f} {m / g:6.3f}")
    print("\n" + second_reader_agreement())
    for level in ("coarse", "fine"):
        pairs = [p for _, sc in res[level] for p in sc.pairs if p[2] == a.heldout]
        P, R = prf(pairs)
        bP, bR = prf(pairs, predicted=lambda p: True)
        print(f"\nroles, {level}, {part} part: {len(pairs)} gold segments over {len(res[level])} files")
        print(f"  measure+goal vs rest: engine P {P:.3f} R {R:.3f} | baseline (all measure) P {bP:.3f} R {bR:.3f}")
        acc = sum(1 for p in pairs if p[0] == p[1]) / len(pairs)
        print(f"  exact role agreement: {acc:.3f}")
        conf = Counter((p[0], p[1]) for p in pairs)
        cols = list(ROLES) + (["(none)"] if any(p[1] == "(none)" for p in pairs) else [])
        print("  " + f"{'gold/engine':14}" + "".join(f"{c[:10]:>11}" for c in cols))
        for r in ROLES:
            print("  " + f"{r:14}" + "".join(f"{conf[(r, c)]:>11}" for c in cols))
        if a.errors and not a.heldout and level == "coarse":
            for case, sc in res[level]:
                for gr, pr, ho, anchor in sc.pairs:
                    if not ho and gr != pr:
                        print(f"    {case.gold.stem:28} gold {gr:10} engine {pr:10} {anchor}")


if __name__ == "__main__":
    main()
