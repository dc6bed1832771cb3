"""Draw the fourth held-out pool (tests/data/PAIRS.md, "heldout4.tsv"): frozen before the pair model that it
scores is fitted or anything is tuned, and scored once.

    python benchmarks/build_heldout4_pool.py OUT.tsv [--seed 20261202] [--readers DIR]

(OUT.tsv is the pool without labels: tests/data/heldout4.tsv is it with the readers' labels.)

Population: **every** pair the aligner compares by default on the bundled corpus — measures and goals
(``compare/roles.py``) of different (sub-)documents — including the pairs earlier labelled sets hold. heldout2
and heldout3 left those out, so each measured only what no earlier set held: by heldout3, the earlier sets
held 414 of the 493 default pairs, and its figures described the hard remainder. Here nothing is left out of
the population; instead every earlier labelled pair that falls on the segments of a heldout4 pair is left out
of training (``pair_data.rows()``), so the model is never fitted on a pair it is scored on.

Bands: the aligner's candidates by the probability the third model (``data/pair_model_3.json``, shipped when
this set was drawn) gives them: ``p>=0.33`` (its default output), ``p0.1-0.33``, ``p0.02-0.1`` (the rest of
its ``--review`` zone), ``p0.005-0.02``, ``p<0.005``; ``baseline`` (not a candidate, but the TF-IDF sentence
baseline proposes it: best sentence cosine ≥ 0.25); ``random`` (neither; drawn uniformly, the stratum's size
counted exactly). Every row carries its stratum's size and the count drawn, so population figures can be
weighted. The readers' files (``--readers``) hold the texts only (``build_heldout3_pool.write_readers``).
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_heldout2_pool import band_by  # noqa: E402
from build_heldout3_pool import pool_main  # noqa: E402

MODEL = Path(__file__).resolve().parent / "data" / "pair_model_3.json"
BANDS = ("p>=0.33", "p0.1-0.33", "p0.02-0.1", "p0.005-0.02", "p<0.005", "baseline", "random")
QUOTA = {"p>=0.33": 16, "p0.1-0.33": 12, "p0.02-0.1": 12, "p0.005-0.02": 10, "p<0.005": 12, "baseline": 8,
         "random": 8}


band_of = band_by((0.33, "p>=0.33"), (0.1, "p0.1-0.33"), (0.02, "p0.02-0.1"), (0.005, "p0.005-0.02"),
                  (None, "p<0.005"))


if __name__ == "__main__":
    pool_main(model=MODEL, band_of=band_of, bands=BANDS, quota=QUOTA, seed=20261202, done=set)
