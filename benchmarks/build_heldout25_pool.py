"""Draw the twenty-fifth held-out pool (tests/data/PAIRS.md, "heldout25.tsv"): frozen before the pair model that it
scores is fitted or anything is tuned, and scored once.

    python benchmarks/build_heldout25_pool.py OUT.tsv [--seed 20261314] [--readers DIR]

(OUT.tsv is the pool without labels: tests/data/heldout25.tsv is it with the readers' labels.)

Population and design: as for heldout5 to heldout12 (``build_heldout5_pool.py``): every pair the aligner
compares by default on the bundled corpus, earlier labelled pairs included (heldout24's too), each stratum
giving at most half its pairs (one at least); every earlier labelled pair that falls on the segments of a
heldout25 pair is left out of training (``pair_data.rows()``). As for heldout12 to heldout24, the
candidates are those of the aligner's defaults of the day: template wording starts at 8 (sub-)documents, the
score floor is 15.

Bands: the aligner's candidates by the probability the twenty-fourth model (``data/pair_model_24.json``,
shipped when this set was drawn) gives them: ``p>=0.53`` (its default output), ``p0.1-0.53``, ``p0.01-0.1``,
``p0.005-0.01``, ``p<0.005`` (its ``--review`` cutoff is 0.005); ``baseline`` (not a candidate, but
the TF-IDF sentence baseline proposes it: best sentence cosine ≥ 0.25); ``random`` (neither; drawn uniformly,
the stratum's size counted exactly).
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_heldout5_pool import capped_pool_main  # noqa: E402

MODEL = Path(__file__).resolve().parent / "data" / "pair_model_24.json"


if __name__ == "__main__":
    capped_pool_main(model=MODEL, edges=(0.53, 0.1, 0.01, 0.005), seed=20261314, template_groups=8)
