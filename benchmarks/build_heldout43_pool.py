"""Draw the forty-third held-out pool (tests/data/PAIRS.md, "heldout43.tsv"): frozen before the pair model that it
scores is fitted or anything is tuned, and scored once.

    python benchmarks/build_heldout43_pool.py OUT.tsv [--seed 20261342] [--readers DIR]

(OUT.tsv is the pool without labels: tests/data/heldout43.tsv is it with the readers' labels.) Population,
design and strata as for heldout22 (``build_heldout22_pool.py``), earlier labelled pairs included (heldout42's
too); the bands by the probability the forty-second model (``data/pair_model_42.json``, fitted with heldout41
among its rows; not shipped: ``model_choice_42.py``; the next fit is its recipe with heldout42) gives the
candidates: ``p>=0.46`` (its default output), ``p0.1-0.46``, ``p0.01-0.1``, ``p0.005-0.01``, ``p<0.005``; then
``baseline`` and ``random``.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_heldout5_pool import capped_pool_main  # noqa: E402

MODEL = Path(__file__).resolve().parent / "data" / "pair_model_42.json"


if __name__ == "__main__":
    capped_pool_main(model=MODEL, edges=(0.46, 0.1, 0.01, 0.005), seed=20261342, template_groups=8)
