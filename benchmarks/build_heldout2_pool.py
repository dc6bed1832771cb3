"""Draw the second held-out pool (tests/data/PAIRS.md, "heldout2.tsv"): frozen before the pair model that it
scores is fitted, and scored once.

    python benchmarks/build_heldout2_pool.py OUT.tsv [--seed 20261130]

(OUT.tsv is the pool without labels: tests/data/heldout2.tsv is it with the readers' labels.)

Population: the pairs the aligner compares by default on the bundled corpus — measures and goals
(``compare/roles.py``) of different (sub-)documents — that no earlier labelled set holds (``pairs.tsv``,
``pairs_second_reader.tsv``, ``align_eval.tsv``, ``align_holdout.tsv``, and ``default_pairs_judged_1.tsv``,
the first model's blind check). Each pair falls in one **group** (which two documents; between the compilation's documents; between the journal's
reports) and one **band**:

- ``p>=0.6``, ``p0.32-0.6``, ``p0.1-0.32``, ``p<0.1``: the candidate pairs of the aligner (``candidate_set``,
  every one scored in full) by the probability the first pair model (``data/pair_model_1.json``, the model of
  the day) gives them (the bands cover its rejections as well as its output);
- ``baseline``: not a candidate, but the TF-IDF sentence baseline proposes it (best sentence cosine ≥ 0.25);
- ``random``: neither proposes it (drawn uniformly from the rest of the group; its size counted exactly).

Every stratum (group × band) gets its band's quota (``QUOTA``); each drawn pair carries its stratum's size and the count
drawn, so population figures can be weighted. The readers see only the two texts.
"""
from __future__ import annotations

import argparse
from dataclasses import replace
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from baseline_tfidf import SentenceTfidf  # noqa: E402
from build_holdout_pool import baseline_all_pairs  # noqa: E402
from build_pair_pool import write_pool  # noqa: E402

from compare import pipeline  # noqa: E402
from compare.align import AlignConfig, candidate_set, pair_features, prepare, score_pairs  # noqa: E402
from compare.gold import read_tsv  # noqa: E402
from compare.pairmodel import PairModel  # noqa: E402
from compare.roles import select  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
BANDS = ("p>=0.6", "p0.32-0.6", "p0.1-0.32", "p<0.1", "baseline", "random")
QUOTA = {"p>=0.6": 20, "p0.32-0.6": 14, "p0.1-0.32": 12, "p<0.1": 12, "baseline": 8, "random": 8}


def group_of(a, b) -> str:
    if a.doc_id != b.doc_id:
        return "|".join(sorted((a.doc_id, b.doc_id)))
    return f"inside-{a.doc_id}"


def band_by(*edges: tuple[float | None, str]):
    """``band_of(p, base)`` for a pool: the candidates by probability, ``edges`` (lower edge, name) from the top
    (the last edge None); not a candidate: ``baseline`` where the TF-IDF sentence baseline proposes the pair
    (best sentence cosine ≥ 0.25), else ``random``."""
    def band_of(p: float | None, base: float) -> str:
        if p is None:
            return "baseline" if base >= 0.25 else "random"
        return next(name for edge, name in edges if edge is None or p >= edge)
    return band_of


band_of = band_by((0.6, "p>=0.6"), (0.32, "p0.32-0.6"), (0.1, "p0.1-0.32"), (None, "p<0.1"))


def labelled_places() -> set:
    """(doc, start) pairs of every earlier labelled set, order-free. These are raw places: two pairs of
    align_holdout.tsv whose raw starts differ from today's segments fall on the same segments as two pairs of
    the pool (kept as drawn; tests/data/PAIRS.md gives the figures without them)."""
    out = set()
    rows = {n: read_tsv(DATA / n) for n in ("align_eval.tsv", "align_holdout.tsv", "pairs.tsv",
                                            "default_pairs_judged_1.tsv")}
    for name, rs in rows.items():
        for r in rs:
            out.add(tuple(sorted(((r["doc_a"], int(r["start_a"])), (r["doc_b"], int(r["start_b"]))))))
    return out   # pairs_second_reader.tsv and align_eval_second_reader.tsv are pairs of the sets above


def scored_candidates(model_file: Path, *, template_groups: int = 5):
    """(prep, probability of each candidate pair by the model in ``model_file``, the baseline's best sentence
    cosine of each pair it proposes): the aligner's candidates on the bundled corpus, every one scored in full,
    whatever model is shipped (the ``lift_*`` and ``gram_lift_*`` columns come from ``model_file``'s own tables).
    Template wording starts at ``template_groups`` (sub-)documents: 5 for every pool up to heldout11, 8 from
    heldout12 (the aligner's default since the eleventh model)."""
    docs = pipeline.load(None).documents
    segs = [m for s in pipeline.segment_all(docs) for m in s.measures]
    cfg = AlignConfig(min_probability=0.0, template_groups=template_groups)
    cfg = replace(cfg, near_duplicates=cfg.blocking)   # near-duplicates blocked as clauses, as on 2026-11-30
    prep = prepare(docs, select(segs, cfg.roles), cfg)
    n = len(prep.ms)
    codes, _ = candidate_set(prep, cfg)
    cand = list(zip((codes // n).tolist(), (codes % n).tolist()))
    scores = score_pairs(prep.keys, prep.units, set(cand), local_min_chars=cfg.local_min_chars)
    model = PairModel.from_json(model_file.read_bytes())
    x = pair_features(prep, cand, scores, lift=prep.context.lift_vector(model),   # its own tables
                      gram_lift=prep.context.gram_lift_vector(model))
    prob = dict(zip(cand, model.probability(x).tolist()))
    base = baseline_all_pairs(SentenceTfidf([m.text for m in prep.ms]), n, 0.25)
    return prep, prob, base


def draw(prep, prob: dict, base: dict, *, band_of, bands: tuple, quota: dict, done: set, seed: int,
         cap: float = 1.0) -> list:
    """The stratified draw: (group, band, stratum size, count drawn, i, j) rows, shuffled. Pairs whose two
    segments ``done`` holds are left out of every stratum (their count still in the random stratum's size).
    A stratum gives its band's quota, and at most ``cap`` of its pairs (one at least)."""
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
            k = min(quota[band], len(items), max(1, int(cap * stratum)))
            drawn = sorted(rng.sample(items, k))
            rows += [(g, band, stratum, len(drawn), i, j) for i, j in drawn]
            print(f"{g:60} {band:10} population {stratum:8} drawn {len(drawn)}")
    rng.shuffle(rows)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=20261130)
    args = ap.parse_args()
    # as drawn on 2026-11-30: the first pair model, and near-duplicate blocking as the clause blocking's
    prep, prob, base = scored_candidates(Path(__file__).resolve().parent / "data" / "pair_model_1.json")
    rows = draw(prep, prob, base, band_of=band_of, bands=BANDS, quota=QUOTA, done=labelled_places(),
                seed=args.seed)
    write_pool(args.out, rows, prep.ms, held_out_column=False)
    print(f"{len(rows)} pairs written to {args.out}")


if __name__ == "__main__":
    main()
