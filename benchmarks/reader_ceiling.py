"""How far readers agree, against the bar: one reader scored as a method against another, and agreement on
what is true by the shipped model's probability band.

    python benchmarks/reader_ceiling.py      # about 30 seconds

1. **A second reader as a method.** Every held-out set has a second reading of 200 pairs drawn at random
   from its pool (``heldoutN_second_reader.tsv``): the second readers' labels are scored against the first
   readers' as the aligner's decisions are (each pair weighted by its stratum's size over the pairs drawn, each
   set's weights scaled to the same total; a 95% bootstrap interval over pairs). This is the ceiling a method
   can be expected to reach against these labels: the bar asks weighted precision 0.85 with recall 0.70.
2. **Re-read pairs by band.** Pairs that two or more sets hold (a later set re-draws earlier pairs) were read
   independently two or more times. For the first two readings of each, the positive specific agreement
   (2 · both 1 / (2 · both 1 + one 1)) by the shipped model's probability band: where the weighted recall is
   lost (under the cutoff), readers agree less on what is true. The band is only a stratification: the model
   was fitted on most of these pairs.
"""
from __future__ import annotations

import collections
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pair_data  # noqa: E402

from compare import pairmodel  # noqa: E402
from compare.gold import read_tsv  # noqa: E402

SETS = ("pairs.tsv",) + tuple(f"heldout{k}.tsv" for k in range(2, 100) if (pair_data.DATA / f"heldout{k}.tsv").exists())


def weighted_pr(ref: np.ndarray, other: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    tp = float((w * (ref & other)).sum())
    return tp / float((w * other).sum()), tp / float((w * ref).sum())


def second_reader_as_method() -> None:
    w_all, first, second = [], [], []
    for name in SETS[1:]:
        path = pair_data.DATA / name.replace(".tsv", "_second_reader.tsv")
        if not path.exists():
            continue
        pool = {r["pair"]: r for r in read_tsv(pair_data.DATA / name)}
        rows = [(pool[s["pair"]], int(s["match"])) for s in read_tsv(path)]
        w = np.asarray([float(r["stratum_size"]) / float(r["drawn"]) for r, _ in rows])
        w_all.append(w * 1000.0 / w.sum())
        first += [int(r["match"]) for r, _ in rows]
        second += [m for _, m in rows]
    w = np.concatenate(w_all)
    a, b = np.asarray(first) == 1, np.asarray(second) == 1
    p, r = weighted_pr(a, b, w)
    rng = np.random.default_rng(0)
    boot = [weighted_pr(a[i], b[i], w[i]) for i in (rng.integers(0, len(w), len(w)) for _ in range(2000))]
    (p_lo, p_hi), (r_lo, r_hi) = np.percentile([x[0] for x in boot], [2.5, 97.5]), np.percentile(
        [x[1] for x in boot], [2.5, 97.5])
    up, ur = weighted_pr(a, b, np.ones(len(w)))
    print(f"second readers against the first, {len(w_all)} held-out sets, {len(w)} pairs ({int(a.sum())} true by the "
          f"first): weighted P {p:.3f} ({p_lo:.2f}-{p_hi:.2f}) R {r:.3f} ({r_lo:.2f}-{r_hi:.2f}) F1 {2 * p * r / (p + r):.3f}; "
          f"unweighted P {up:.3f} R {ur:.3f}")


def rereads_by_band() -> None:
    readings: dict = collections.defaultdict(list)
    row_of: dict = {}
    for name in SETS:
        for r in pair_data.stratified(name):
            key = frozenset((r.a, r.b))
            readings[key].append(r.match)
            row_of.setdefault(key, r)
    multi = sorted((k for k, v in readings.items() if len(v) >= 2), key=lambda k: sorted(k))
    rows = [row_of[k] for k in multi]
    x, usable, _ = pair_data.features(rows)
    model = pairmodel.load()
    p = np.zeros(len(rows))
    p[usable] = model.probability(x[usable])
    cut = model.min_probability
    print(f"{len(readings)} labelled pairs of the stratified sets, {len(multi)} read two or more times; the first two "
          f"readings, by the shipped model's probability (cutoff {cut}):")
    for lo, hi in ((0.0, 0.01), (0.01, 0.1), (0.1, cut), (cut, 1.01)):
        two = [readings[k][:2] for k, q in zip(multi, p) if lo <= q < hi]
        both = sum(1 for u, v in two if u and v)
        one = sum(1 for u, v in two if u != v)
        print(f"  {lo:.2f}-{min(hi, 1.0):.2f}: {len(two):5} pairs, both 1 {both:4}, one 1 {one:4}: positive agreement "
              f"{2 * both / max(1, 2 * both + one):.2f}")


if __name__ == "__main__":
    second_reader_as_method()
    rereads_by_band()
