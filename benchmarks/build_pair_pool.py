"""Draw the pair pool for labelling (tests/data/PAIRS.md): stratified, not favouring any method.

    python benchmarks/build_pair_pool.py OUT.tsv [--total 1700]

Population: pairs of coarse segments of the bundled corpus. Each pair falls in one **group** (which two
documents, or a comparison inside one document: between the compilation's documents, between the journal's
reports, inside one (sub-)document; and pairs where a side is not a measure or goal) and one **band** by
what the two methods say of it, computed before any model exists:

- ``engine≥60``, ``engine45-60``, ``engine35-45``, ``engine25-35``: the current engine's score (blocking at
  permissive settings, no evidence rule);
- ``baseline``: only the TF-IDF sentence baseline proposes it (best sentence cosine ≥ 0.25);
- ``random``: neither method proposes it (drawn uniformly from all remaining pairs of the group).

Every stratum (group × band) gets a quota; each drawn pair carries its stratum's size and count drawn, so
population figures can be weighted. Pairs already in align_eval.tsv or align_holdout.tsv are left out.
A **held-out** part (about 28%, by a hash of the pair's place, fixed here before any labelling or fitting)
is kept for the final score.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from baseline_tfidf import SentenceTfidf  # noqa: E402
from build_holdout_pool import baseline_all_pairs  # noqa: E402

from compare import pipeline  # noqa: E402
from compare.align import score_pairs  # noqa: E402
from compare.candidates import BlockingConfig, candidate_pairs, clause_units  # noqa: E402
from compare.gold import read_tsv  # noqa: E402
from compare.keys import make_key  # noqa: E402
from compare.roles import DEFAULT_ROLES  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
BANDS = ("engine>=60", "engine45-60", "engine35-45", "engine25-35", "baseline", "random")
QUOTA = {"engine>=60": 60, "engine45-60": 60, "engine35-45": 60, "engine25-35": 50, "baseline": 30, "random": 30}
INSIDE_QUOTA = {"engine>=60": 60, "engine45-60": 60, "engine35-45": 60, "engine25-35": 50, "baseline": 40,
                "random": 40}


def held_out(doc_a: str, start_a: int, doc_b: str, start_b: int) -> bool:
    """The frozen held-out rule: about 28% of the pairs, by a hash of the two places (order-free)."""
    key = "\t".join(sorted([f"{doc_a}:{start_a}", f"{doc_b}:{start_b}"])).encode("utf-8")
    return hashlib.blake2b(key, digest_size=8).digest()[0] < 72


def group_of(a, b) -> str:
    if a.role not in DEFAULT_ROLES or b.role not in DEFAULT_ROLES:
        return "other-roles"
    if a.doc_id != b.doc_id:
        return "|".join(sorted((a.doc_id, b.doc_id)))
    if a.subdoc == b.subdoc:
        return "inside-one-document"
    return f"inside-{a.doc_id}"


def band_of(engine: float | None, base: float) -> str:
    if engine is not None and engine >= 60:
        return "engine>=60"
    if engine is not None and engine >= 45:
        return "engine45-60"
    if engine is not None and engine >= 35:
        return "engine35-45"
    if engine is not None and engine >= 25:
        return "engine25-35"
    return "baseline" if base >= 0.25 else "random"


def labelled_places() -> set:
    out = set()
    for name in ("align_eval.tsv", "align_holdout.tsv"):
        for r in read_tsv(DATA / name):
            a, b = (r["doc_a"], int(r["start_a"])), (r["doc_b"], int(r["start_b"]))
            out.add(tuple(sorted((a, b))))
    return out


def write_pool(path: Path, rows: list, ms: list, *, held_out_column: bool) -> None:
    """The drawn pairs (group, band, stratum size, count drawn, i, j) as the readers' TSV: places, labels and
    both raw texts on one line each (with ``held_out_column``, the frozen held-out rule's verdict too)."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["pair", "group", "band", "stratum_size", "drawn"] + (["held_out"] if held_out_column else [])
                   + ["doc_a", "start_a", "end_a", "label_a", "subdoc_a", "doc_b", "start_b", "end_b", "label_b",
                      "subdoc_b", "text_a", "text_b"])
        for k, (g, band, size, drawn, i, j) in enumerate(rows, 1):
            a, b = ms[i], ms[j]
            w.writerow([k, g, band, size, drawn]
                       + ([int(held_out(a.doc_id, a.start, b.doc_id, b.start))] if held_out_column else [])
                       + [a.doc_id, a.start, a.end, a.label, a.subdoc, b.doc_id, b.start, b.end, b.label, b.subdoc,
                          " ".join(a.raw.split()), " ".join(b.raw.split())])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=20261129)
    args = ap.parse_args()
    docs = pipeline.load(None).documents
    ms = [m for s in pipeline.segment_all(docs) for m in s.measures if len(m.text) >= 8]
    n = len(ms)
    keys = [make_key(m.text) for m in ms]
    gid: dict = {}
    groups = [gid.setdefault((m.doc_id, m.subdoc), len(gid)) for m in ms]
    bc = BlockingConfig(top_k=60, min_cosine=0.05)
    cand = candidate_pairs(keys, groups, config=bc)
    engine = {p: s.score for p, s in score_pairs(keys, clause_units(keys, bc.min_clause_chars, whole=False), cand,
                                                 local_min_chars=14).items()}
    base = baseline_all_pairs(SentenceTfidf([m.text for m in ms]), n, 0.25)
    done = labelled_places()
    proposed = set(engine) | set(base)
    strata: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for p in sorted(proposed):
        i, j = p
        if tuple(sorted(((ms[i].doc_id, ms[i].start), (ms[j].doc_id, ms[j].start)))) in done:
            continue
        e = engine.get(p)
        strata.setdefault((group_of(ms[i], ms[j]), band_of(e, base.get(p, 0.0))), []).append(p)
    # pairs no method proposes: the size of each group's "random" stratum is counted exactly
    by_group: dict[str, list[int]] = {}
    rng = random.Random(args.seed)
    all_groups = sorted({g for g, _ in strata} | {"inside-one-document"})
    pair_count: dict[str, int] = dict.fromkeys(all_groups, 0)
    for i in range(n):
        for j in range(i + 1, n):
            pair_count[group_of(ms[i], ms[j])] = pair_count.get(group_of(ms[i], ms[j]), 0) + 1
    for g in all_groups:
        proposed_g = sum(len(v) for (gg, _), v in strata.items() if gg == g)
        size = pair_count.get(g, 0) - proposed_g
        quota = (INSIDE_QUOTA if g.startswith("inside") or g == "other-roles" else QUOTA)["random"]
        picked: set[tuple[int, int]] = set()
        tries = 0
        while len(picked) < quota and tries < 200_000:
            tries += 1
            i, j = sorted(rng.sample(range(n), 2))
            if group_of(ms[i], ms[j]) == g and (i, j) not in proposed and (i, j) not in picked:
                picked.add((i, j))
        strata[(g, "random")] = sorted(picked)
        by_group[g] = [size]
    rows = []
    for (g, band) in sorted(strata):
        items = strata[(g, band)]
        size = by_group[g][0] if band == "random" else len(items)
        quota = (INSIDE_QUOTA if g.startswith("inside") or g == "other-roles" else QUOTA)[band]
        picked = sorted(rng.sample(items, min(quota, len(items))))
        rows += [(g, band, size, len(picked), i, j) for i, j in picked]
        print(f"{g:60} {band:12} population {size:8} drawn {len(picked)}")
    rng.shuffle(rows)
    write_pool(args.out, rows, ms, held_out_column=True)
    print(f"{len(rows)} pairs written to {args.out}; held out: "
          f"{sum(held_out(ms[i].doc_id, ms[i].start, ms[j].doc_id, ms[j].start) for *_, i, j in rows)}")


if __name__ == "__main__":
    main()
