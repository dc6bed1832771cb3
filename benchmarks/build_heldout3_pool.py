"""Draw the third held-out pool (tests/data/PAIRS.md, "heldout3.tsv"): frozen before the pair model that it
scores is fitted, and scored once.

    python benchmarks/build_heldout3_pool.py OUT.tsv [--seed 20261201]
    python benchmarks/build_heldout3_pool.py OUT.tsv --readers DIR   # also the readers' files (texts only)

(OUT.tsv is the pool without labels: tests/data/heldout3.tsv is it with the readers' labels.) The builder at
commit ab49dbc, which froze the pool, rebuilds it byte for byte. Since then ``kernels.runs_and_sentences`` sums
each run on its own (the second model was fitted with running sums that crossed the pairs of a block); the
second model's probability moves across a band's edge for a few pairs, so today's code draws a few other
pairs.

Population: as for heldout2 (``build_heldout2_pool.py``), the pairs the aligner compares by default on the
bundled corpus — measures and goals of different (sub-)documents — that no earlier labelled set holds. Unlike
heldout2, earlier pairs are left out by the **segments** they fall on (largest overlap, as
``pair_data._places`` locates them), not by raw places, so a pair whose raw start moved is still recognised;
heldout2 and the blind checks of the first two models' default output are among the earlier sets.

Bands: the aligner's candidates by the probability the pair model of the day (``data/pair_model_2.json``,
shipped until this set was drawn) gives them, with the low bands split finer than heldout2's, because the
true pairs that model misses lie there and one of heldout2's strata (2,983 pairs, 12 drawn) gave a single
true pair a weight of 249: ``p>=0.46`` (its default output), ``p0.2-0.46``, ``p0.03-0.2`` (its ``--review``
zone), ``p0.01-0.03``, ``p<0.01``; ``baseline`` (not a candidate, but the TF-IDF sentence baseline proposes
it: best sentence cosine ≥ 0.25); ``random`` (neither; drawn uniformly, the stratum's size counted exactly).
Every row carries its stratum's size and the count drawn, so population figures can be weighted.
"""
from __future__ import annotations

import argparse
import csv
import random
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from baseline_tfidf import SentenceTfidf  # noqa: E402
from build_heldout2_pool import group_of  # noqa: E402
from build_holdout_pool import baseline_all_pairs  # noqa: E402
from build_pair_pool import write_pool  # noqa: E402
import pair_data  # noqa: E402

from compare.align import AlignConfig, candidate_set, pair_features, prepare, score_pairs  # noqa: E402
from compare.gold import read_tsv  # noqa: E402
from compare.pairmodel import PairModel  # noqa: E402
from compare.roles import select  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
MODEL = Path(__file__).resolve().parent / "data" / "pair_model_2.json"
BANDS = ("p>=0.46", "p0.2-0.46", "p0.03-0.2", "p0.01-0.03", "p<0.01", "baseline", "random")
QUOTA = {"p>=0.46": 14, "p0.2-0.46": 12, "p0.03-0.2": 12, "p0.01-0.03": 10, "p<0.01": 12, "baseline": 8,
         "random": 8}
EARLIER = ("pairs.tsv", "align_eval.tsv", "align_holdout.tsv", "heldout2.tsv", "default_pairs_judged_2.tsv",
           "default_pairs_judged_1.tsv")   # the second readers' files hold pairs of these


def band_of(p: float | None, base: float) -> str:
    if p is None:
        return "baseline" if base >= 0.25 else "random"
    return ("p>=0.46" if p >= 0.46 else "p0.2-0.46" if p >= 0.2 else "p0.03-0.2" if p >= 0.03
            else "p0.01-0.03" if p >= 0.01 else "p<0.01")


def labelled_segments() -> set:
    """The (doc, start) of the current segments both sides of every earlier labelled pair fall on, order-free."""
    return {tuple(sorted(pair_data._places(r))) for name in EARLIER for r in read_tsv(DATA / name)}


def write_readers(pool: Path, out: Path, *, readers: int = 6, second: int = 200, seed: int = 20261201) -> None:
    """The readers' files: the pool split into ``readers`` shares (pair, text_a, text_b only), and ``second``
    pairs drawn at random for two further readers, each given pairs that the other did not read."""
    with open(pool, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))

    def dump(path: Path, part: list) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, delimiter="\t", lineterminator="\n")
            w.writerow(["pair", "text_a", "text_b"])
            w.writerows([r["pair"], r["text_a"], r["text_b"]] for r in part)

    for k in range(readers):
        dump(out / f"reader{k + 1}" / "pairs.tsv", rows[k::readers])
    picked = sorted(random.Random(seed).sample(rows, min(second, len(rows))), key=lambda r: int(r["pair"]))
    dump(out / "second1" / "pairs.tsv", picked[0::2])
    dump(out / "second2" / "pairs.tsv", picked[1::2])


def scored_candidates(model_file: Path):
    """(prep, probability of each candidate pair by the model in ``model_file``, the baseline's best sentence
    cosine of each pair it proposes): the aligner's candidates on the bundled corpus, every one scored in full."""
    docs, segs = pair_data.corpus()
    cfg = AlignConfig(min_probability=0.0)
    cfg = replace(cfg, near_duplicates=cfg.blocking)   # as for heldout2: near-duplicates blocked as clauses
    prep = prepare(docs, select(segs, cfg.roles), cfg)
    n = len(prep.ms)
    codes, _ = candidate_set(prep, cfg)
    cand = list(zip((codes // n).tolist(), (codes % n).tolist()))
    scores = score_pairs(prep.keys, prep.units, set(cand), local_min_chars=cfg.local_min_chars)
    model = PairModel.from_json(model_file.read_bytes())
    prob = dict(zip(cand, model.probability(pair_features(prep, cand, scores)).tolist()))
    base = baseline_all_pairs(SentenceTfidf([m.text for m in prep.ms]), n, 0.25)
    return prep, prob, base


def draw(prep, prob: dict, base: dict, *, band_of, bands: tuple, quota: dict, done: set, seed: int) -> list:
    """The stratified draw: (group, band, stratum size, count drawn, i, j) rows, shuffled. Pairs whose two
    segments ``done`` holds are left out of every stratum (their count still in the random stratum's size)."""
    ms, n = prep.ms, len(prep.ms)

    def place(i: int, j: int) -> tuple:
        return tuple(sorted(((ms[i].doc_id, ms[i].start), (ms[j].doc_id, ms[j].start))))

    def in_scope(i: int, j: int) -> bool:
        return prep.groups[i] != prep.groups[j]

    strata: dict[tuple[str, str], list[tuple[int, int]]] = {}
    proposed = set(prob) | {p for p in base if in_scope(*p)}
    for p in sorted(proposed):
        if in_scope(*p) and place(*p) not in done:
            strata.setdefault((group_of(ms[p[0]], ms[p[1]]), band_of(prob.get(p), base.get(p, 0.0))), []).append(p)
    rng = random.Random(seed)
    g_of = np.asarray(prep.groups)
    count: dict[str, int] = {}
    for i in range(n):   # the size of every group, counted exactly
        others = np.flatnonzero(g_of[i + 1:] != g_of[i]) + i + 1
        for j in others.tolist():
            g = group_of(ms[i], ms[j])
            count[g] = count.get(g, 0) + 1
    rows = []
    for g in sorted(count):
        picked: set[tuple[int, int]] = set()
        size = count[g] - sum(len(v) for (gg, _), v in strata.items() if gg == g)
        tries = 0
        while len(picked) < quota["random"] and tries < 500_000:
            tries += 1
            i, j = sorted(rng.sample(range(n), 2))
            if (in_scope(i, j) and group_of(ms[i], ms[j]) == g and (i, j) not in proposed
                    and place(i, j) not in done):
                picked.add((i, j))
        for band in bands:
            items = sorted(picked) if band == "random" else strata.get((g, band), [])
            stratum = size if band == "random" else len(items)
            drawn = sorted(rng.sample(items, min(quota[band], len(items))))
            rows += [(g, band, stratum, len(drawn), i, j) for i, j in drawn]
            print(f"{g:60} {band:10} population {stratum:8} drawn {len(drawn)}")
    rng.shuffle(rows)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=20261201)
    ap.add_argument("--readers", type=Path, help="also write the readers' files (texts only) under this folder")
    args = ap.parse_args()
    prep, prob, base = scored_candidates(MODEL)
    rows = draw(prep, prob, base, band_of=band_of, bands=BANDS, quota=QUOTA, done=labelled_segments(),
                seed=args.seed)
    write_pool(args.out, rows, prep.ms, held_out_column=False)
    print(f"{len(rows)} pairs written to {args.out}")
    if args.readers:
        write_readers(args.out, args.readers)
        print(f"readers' files under {args.readers}")


if __name__ == "__main__":
    main()
