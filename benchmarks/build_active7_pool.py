"""Draw a training pool where the sixth model is unsure (tests/data/PAIRS.md, "active7.tsv"): pairs for the
seventh model to learn from, never for scoring it.

    python benchmarks/build_active7_pool.py OUT.tsv [--seed 20261206] [--readers DIR]

(the readers' files of active7.tsv were written with ``build_heldout3_pool.write_readers(..., readers=8,
second=0)``: eight readers, no second reading.)

Drawn after heldout7 was frozen and labelled, from the pairs that **no** labelled set holds (the training sets,
heldout7 and the blind checks of the default output): new pairs only, so every label adds information.
The learning curve of the pair model still climbed (average precision 0.686 → 0.727 from 1,149 to 2,872
training rows), and the held-out misses lie where the model is unsure or where only the baseline looks.

Bands: the aligner's candidates by the probability the sixth model (``data/pair_model_6.json``) gives them, its
uncertain middle drawn most: ``p>=0.6``, ``p0.2-0.6`` (around its default cutoff 0.36), ``p0.05-0.2``,
``p0.01-0.05``, ``p0.002-0.01``, ``p<0.002``; ``baseline`` (not a candidate, but the TF-IDF sentence baseline
proposes it: best sentence cosine ≥ 0.25); ``random`` (neither). Each row carries its stratum's size and the
count drawn (over the unlabelled pairs), but the set is **not** one of ``pair_data.POOLS``: it is drawn from
what earlier sets left, so it weighs no operating point; it is a training set like align_eval.tsv.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_heldout2_pool import band_by  # noqa: E402
from build_heldout3_pool import pool_main  # noqa: E402
import pair_data  # noqa: E402

MODEL = Path(__file__).resolve().parent / "data" / "pair_model_6.json"
BANDS = ("p>=0.6", "p0.2-0.6", "p0.05-0.2", "p0.01-0.05", "p0.002-0.01", "p<0.002", "baseline", "random")
QUOTA = {"p>=0.6": 6, "p0.2-0.6": 30, "p0.05-0.2": 30, "p0.01-0.05": 30, "p0.002-0.01": 24, "p<0.002": 24,
         "baseline": 30, "random": 4}
LABELLED = ("pairs.tsv", "heldout2.tsv", "heldout3.tsv", "heldout4.tsv", "heldout5.tsv", "align_eval.tsv",
            "align_holdout.tsv", "heldout6.tsv", "heldout7.tsv", "default_pairs_judged_1.tsv",
            "default_pairs_judged_2.tsv", "default_pairs_judged_3.tsv", "default_pairs_judged_4.tsv",
            "default_pairs_judged_5.tsv", "default_pairs_judged_6.tsv")   # every labelled set of the day


band_of = band_by((0.6, "p>=0.6"), (0.2, "p0.2-0.6"), (0.05, "p0.05-0.2"), (0.01, "p0.01-0.05"),
                  (0.002, "p0.002-0.01"), (None, "p<0.002"))


def labelled() -> set:
    """The (doc, start) of the segments both sides of every labelled pair fall on, order-free."""
    return {tuple(sorted(p)) for p in pair_data.pairs_of(LABELLED)}


if __name__ == "__main__":
    pool_main(model=MODEL, band_of=band_of, bands=BANDS, quota=QUOTA, seed=20261206, done=labelled)
