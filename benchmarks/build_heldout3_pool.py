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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_heldout2_pool import band_by, draw, scored_candidates  # noqa: E402
from build_pair_pool import write_pool  # noqa: E402
import pair_data  # noqa: E402

from compare.gold import read_tsv  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
MODEL = Path(__file__).resolve().parent / "data" / "pair_model_2.json"
BANDS = ("p>=0.46", "p0.2-0.46", "p0.03-0.2", "p0.01-0.03", "p<0.01", "baseline", "random")
QUOTA = {"p>=0.46": 14, "p0.2-0.46": 12, "p0.03-0.2": 12, "p0.01-0.03": 10, "p<0.01": 12, "baseline": 8,
         "random": 8}
EARLIER = ("pairs.tsv", "align_eval.tsv", "align_holdout.tsv", "heldout2.tsv", "default_pairs_judged_2.tsv",
           "default_pairs_judged_1.tsv")   # the second readers' files hold pairs of these


band_of = band_by((0.46, "p>=0.46"), (0.2, "p0.2-0.46"), (0.03, "p0.03-0.2"), (0.01, "p0.01-0.03"),
                  (None, "p<0.01"))


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


def pool_main(*, model: Path, band_of, bands: tuple, quota: dict, seed: int, done, cap: float = 1.0,
              template_groups: int = 5) -> None:
    """The command line of a held-out pool builder: draw (``done()``: the segment pairs left out), write the
    pool and, with ``--readers DIR``, the readers' files (``template_groups``: see ``scored_candidates``)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=seed)
    ap.add_argument("--readers", type=Path, help="also write the readers' files (texts only) under this folder")
    args = ap.parse_args()
    prep, prob, base = scored_candidates(model, template_groups=template_groups)
    rows = draw(prep, prob, base, band_of=band_of, bands=bands, quota=quota, done=done(), seed=args.seed, cap=cap)
    write_pool(args.out, rows, prep.ms, held_out_column=False)
    print(f"{len(rows)} pairs written to {args.out}")
    if args.readers:
        write_readers(args.out, args.readers, seed=args.seed)
        print(f"readers' files under {args.readers}")


if __name__ == "__main__":
    pool_main(model=MODEL, band_of=band_of, bands=BANDS, quota=QUOTA, seed=20261201, done=labelled_segments)
