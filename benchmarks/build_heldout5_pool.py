"""Draw the fifth held-out pool (tests/data/PAIRS.md, "heldout5.tsv"): frozen before the pair model that it
scores is fitted or anything is tuned, and scored once.

    python benchmarks/build_heldout5_pool.py OUT.tsv [--seed 20261203] [--readers DIR]

(OUT.tsv is the pool without labels: tests/data/heldout5.tsv is it with the readers' labels.)

Population: as for heldout4 (``build_heldout4_pool.py``), **every** pair the aligner compares by default on the
bundled corpus — measures and goals (``compare/roles.py``) of different (sub-)documents — earlier labelled
pairs included, and every earlier labelled pair that falls on the segments of a heldout5 pair is left out of
training (``pair_data.rows()``). heldout4 drew its small strata whole, and leaving them out of training took
20 of the 22 true Beijing ↔ Chongqing pairs from the model: here a stratum gives at most half its pairs
(``CAP``; one at least), so the other half stays with the training rows. On the day of drawing, earlier sets
held 439 of the 477 pairs of the default band and 2,665 of the 14,000 candidates.

Bands: the aligner's candidates by the probability the fourth model (``data/pair_model_4.json``, shipped when
this set was drawn) gives them: ``p>=0.37`` (its default output), ``p0.1-0.37``, ``p0.01-0.1`` (the rest of
its ``--review`` zone), ``p0.002-0.01``, ``p<0.002``; ``baseline`` (not a candidate, but the TF-IDF sentence
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

MODEL = Path(__file__).resolve().parent / "data" / "pair_model_4.json"
BANDS = ("p>=0.37", "p0.1-0.37", "p0.01-0.1", "p0.002-0.01", "p<0.002", "baseline", "random")
QUOTA = {"p>=0.37": 20, "p0.1-0.37": 12, "p0.01-0.1": 12, "p0.002-0.01": 10, "p<0.002": 12, "baseline": 8,
         "random": 8}
CAP = 0.5


band_of = band_by((0.37, "p>=0.37"), (0.1, "p0.1-0.37"), (0.01, "p0.01-0.1"), (0.002, "p0.002-0.01"),
                  (None, "p<0.002"))


def capped_pool_main(*, model: Path, edges: tuple[float, ...], seed: int, template_groups: int = 5) -> None:
    """The command line of a later pool drawn as this one (whole population, ``QUOTA`` a stratum in band order,
    ``CAP``): the candidates banded by ``model``'s probability at ``edges`` (its default cutoff first), e.g.
    (0.36, 0.1, 0.01, 0.002) gives ``p>=0.36``, ``p0.1-0.36``, ``p0.01-0.1``, ``p0.002-0.01``, ``p<0.002``; then
    ``baseline`` and ``random``."""
    names = ((f"p>={edges[0]:g}",) + tuple(f"p{lo:g}-{hi:g}" for hi, lo in zip(edges, edges[1:]))
             + (f"p<{edges[-1]:g}",))
    bands = names + ("baseline", "random")
    pool_main(model=model, band_of=band_by(*zip(edges, names), (None, names[-1])), bands=bands,
              quota=dict(zip(bands, QUOTA.values())), seed=seed, done=set, cap=CAP, template_groups=template_groups)


if __name__ == "__main__":
    pool_main(model=MODEL, band_of=band_of, bands=BANDS, quota=QUOTA, seed=20261203, done=set, cap=CAP)
