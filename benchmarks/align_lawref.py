"""Every article of ../shared/corpus/lawref against every article of the other files, with the product's
default pipeline (the pair model at its default operating point): what ``policy-compare align`` computes.

Prints the articles, candidate pairs and pairs kept; the wall time of each stage (reading, segmenting, keys
and words, candidates, scoring, pair model, explaining); the peak memory of the whole process tree (this
process and its workers, sampled every 0.2 s); the blocking recall on a random sample of articles (all pairs
of the sample scored by the model the slow, obvious way: which pairs the model would keep that blocking never
proposed); the time that brute force would take for the whole corpus, extrapolated from that sample in the
same run, as a ratio; and one linear pass that only reads, normalises and shingles the corpus (the practical
floor), as a ratio. Last line:
``SUMMARY wall_s=… peak_gb=… blocking_recall=… brute_ratio=… floor_ratio=…``.

    python benchmarks/align_lawref.py [--fraction 1.0] [--workers 2] [--engine local|dask] [--sample 2000]
                                      [--out-parts FOLDER]

``--fraction 0.25`` takes every fourth file (sorted by path), so that 25%, 50% and 100% are alike.
"""
from __future__ import annotations

import argparse
import random
import sys
import threading
import time
from itertools import combinations
from pathlib import Path

import numpy as np
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from compare import pipeline, progress  # noqa: E402
from compare.align import AlignConfig, candidate_set, pair_features, prepare, rare_candidates, score_pairs  # noqa: E402
from compare.pairmodel import FEATURES, load as load_model  # noqa: E402
from compare.parallel import DaskEngine  # noqa: E402
from compare.roles import select  # noqa: E402

LAWREF = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "lawref"


class PeakMemory:
    """The largest memory of this process and all its descendants together, sampled in a thread: the sum of
    their proportional set sizes (PSS: a page shared by forked workers is counted once, split among them;
    RSS would count it in every worker)."""

    def __init__(self, every: float = 0.2):
        self.every, self.peak, self._stop = every, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for p in [me, *me.children(recursive=True)]:
                try:
                    total += p.memory_full_info().pss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(self.every)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def floor_pass(files: list[Path], workers) -> float:
    """Seconds of one pass that reads, normalises and shingles (character 4-grams) every file."""
    t = time.perf_counter()
    loaded = pipeline.load(files, workers=workers)
    for d in loaded.documents:
        text = d.normalized.text
        len({text[i:i + 4] for i in range(len(text) - 3)})
    return time.perf_counter() - t


def brute_force(docs, measures, cfg: AlignConfig, n: int, workers, rng: random.Random):
    """All pairs of a random sample of ``n`` aligned measures (other files only), scored and given to the pair
    model the slow, obvious way. Returns (seconds, sample size, pairs the model keeps, those blocking proposes,
    sample pairs)."""
    prep = prepare(docs, measures, cfg, workers=workers)
    codes, _ = candidate_set(prep, cfg, workers=workers)     # the aligner's candidates
    big_n = len(prep.keys)
    cand = set(zip((codes // big_n).tolist(), (codes % big_n).tolist()))
    rare = rare_candidates(prep.grams, prep.groups, max_df=cfg.rare_df, min_shared=cfg.rare_shared)
    sample = sorted(rng.sample(range(len(prep.ms)), min(n, len(prep.ms))))
    every = [(i, j) for i, j in combinations(sample, 2) if prep.groups[i] != prep.groups[j]]
    t = time.perf_counter()
    scores = score_pairs(prep.keys, prep.units, set(every), local_min_chars=cfg.local_min_chars,
                         explain_from=cfg.floor, explain=set(rare), workers=workers)
    above = [p for p in every if scores[p].score >= cfg.floor or p in rare]
    x = pair_features(prep, above, scores) if above else np.zeros((0, len(FEATURES)))
    prob = load_model().probability(x)
    evidence = prep.grams.evidence(above)
    seconds = time.perf_counter() - t
    template = x[:, FEATURES.index("template")]
    pi, pj = (np.asarray([p[k] for p in above], dtype=np.int64) for k in (0, 1))
    groups = np.asarray(prep.groups)
    identical = cfg.identical(whole=np.asarray([scores[p].whole for p in above]),
                              length=np.asarray([min(len(prep.keys[i].text), len(prep.keys[j].text)) for i, j in above]),
                              template=template, group_a=groups[pi], group_b=groups[pj])
    kept = {p for p, q, e, tm, same in zip(above, prob, evidence, template, identical)   # the product's keep rule
            if cfg.keeps(score=scores[p].score, whole=scores[p].whole, evidence=float(e), probability=float(q),
                         template=float(tm), identical=bool(same))}   # (identical: over the sample's pairs only)
    return seconds, len(sample), len(kept), len(kept & cand), len(every)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fraction", type=float, default=1.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--engine", choices=["local", "dask"], default="local")
    ap.add_argument("--sample", type=int, default=2000)
    ap.add_argument("--out-parts", type=Path, default=None, metavar="FOLDER",
                    help="also write the pairs as Parquet parts there (align --out-parts) and time it apart")
    args = ap.parse_args()
    if not LAWREF.is_dir():
        raise SystemExit(f"lawref not found at {LAWREF}: nothing to measure")
    files = sorted(LAWREF.rglob("*.md"))
    files = files[::max(1, round(1 / args.fraction))]
    cfg = AlignConfig()
    timings = progress.record()
    engine = DaskEngine(workers=args.workers) if args.engine == "dask" else None
    with PeakMemory() as mem:
        if engine:
            engine.__enter__()
        workers = engine or args.workers
        t0 = time.perf_counter()
        loaded = pipeline.load(files, workers=workers)
        segmented = pipeline.segment_all(loaded.documents, workers=workers)
        alignment = pipeline.align_documents(loaded.documents, align_config=cfg, segmented=segmented,
                                             workers=workers)
        wall = time.perf_counter() - t0
        if engine:
            engine.__exit__(None, None, None)
    stages = list(timings)
    written = None
    if args.out_parts is not None:
        t = time.perf_counter()
        parts = pipeline.write_pair_parts(alignment, loaded, args.out_parts, paths=files, align_config=cfg,
                                          workers=args.workers)
        written = (time.perf_counter() - t, parts, sum(p.stat().st_size for p in args.out_parts.iterdir()))
    measures = select([m for s in segmented for m in s.measures], cfg.roles)
    floor = floor_pass(files, args.workers)
    bf, n, truth, found, sample_pairs = brute_force(loaded.documents, measures, cfg, args.sample, args.workers,
                                                   random.Random(7))
    big_n = len(measures)
    bf_all = bf * (big_n / n) ** 2
    recall = found / truth if truth else 1.0
    print(f"files {len(files)} ({args.fraction:.0%} of lawref)  documents {len(loaded.documents)}  "
          f"articles aligned {big_n:,}  engine {args.engine}, workers {args.workers}")
    print(f"candidate pairs {alignment.candidates:,}  pairs kept {len(alignment.pairs):,}")
    print("stages: " + "  ".join(f"{name} {s:.1f}s" for name, s in stages))
    print(f"wall {wall:.1f}s  peak memory of the process tree (PSS) {mem.peak / 2**30:.2f} GB")
    print(f"brute force on {n:,} articles ({sample_pairs:,} pairs of other files): {bf:.1f}s -> all "
          f"~{bf_all:,.0f}s = {bf_all / wall:,.1f}x this run; blocking recall {recall:.4f} "
          f"({found} of the {truth} pairs the model keeps)")
    print(f"linear floor (read, normalise, shingle): {floor:.1f}s; this run = {wall / floor:.1f}x the floor")
    if written:
        print(f"pairs written as {written[1]} Parquet parts with their wording changes (not in the wall time): "
              f"{written[0]:.1f}s, {written[2] / 2**20:.1f} MB")
    print(f"SUMMARY wall_s={wall:.1f} peak_gb={mem.peak / 2**30:.2f} blocking_recall={recall:.4f} "
          f"brute_ratio={bf_all / wall:.1f} floor_ratio={wall / floor:.2f}")


if __name__ == "__main__":
    main()
