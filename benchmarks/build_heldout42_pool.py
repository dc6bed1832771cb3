"""Draw the forty-second held-out pool (tests/data/PAIRS.md, "heldout42.tsv"): frozen before the pair model that it
scores is fitted or anything is tuned, and scored once.

    python benchmarks/build_heldout42_pool.py OUT.tsv [--seed 20261341] [--readers DIR]

(OUT.tsv is the pool without labels: tests/data/heldout42.tsv is it with the readers' labels.) Population,
design and strata as for heldout22 (``build_heldout22_pool.py``), earlier labelled pairs included (heldout41's
too); the bands by the probability the forty-first model (``data/pair_model_41.json``, shipped, fitted with
heldout38 to heldout40 among its rows; the next fit is its recipe with heldout41) gives the candidates:
``p>=0.53`` (its default output), ``p0.1-0.53``, ``p0.01-0.1``, ``p0.005-0.01``, ``p<0.005``; then ``baseline`` and
``random``.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_heldout5_pool import capped_pool_main  # noqa: E402

MODEL = Path(__file__).resolve().parent / "data" / "pair_model_41.json"


if __name__ == "__main__":
    capped_pool_main(model=MODEL, edges=(0.53, 0.1, 0.01, 0.005), seed=20261341, template_groups=8)
