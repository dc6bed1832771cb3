"""Two pair models on documents whose vocabulary they never saw: a 10% sample of ../shared/corpus/lawref (every
tenth file, sorted by path) aligned by default with two models, each with the aligner's defaults of its day
(``pair_data.aligner_as``) — the eighth (``data/pair_model_8.json``) against the ninth (``data/pair_model_9.json``)
or, with ``--against tenth``, the tenth (``data/pair_model_10.json``) against the eleventh
(``data/pair_model_11.json``, shipped when it was drawn), or, with ``--models A,B``, the A-th against the B-th
(``data/pair_model_A.json``, ``data/pair_model_B.json``) with today's defaults (a champion, the shipped model,
and a challenger: ``model_choice.py``) — and 80 of
the pairs drawn for blind readers: 20 that only the earlier model keeps with score ≥ 70, 20 that only it keeps
below 70, 20 that only the later one keeps, 20 that both keep.

    python benchmarks/lawref_models.py draw DIR [--against tenth]   # DIR/pairs.tsv (texts only), DIR/key.tsv
    python benchmarks/lawref_models.py draw DIR --models 34,36      # the shipped thirty-fourth, the thirty-sixth
    python benchmarks/lawref_models.py score [tests/data/lawref_models_judged.tsv] [--names eighth,ninth]
    python benchmarks/lawref_models.py score tests/data/lawref_models_judged_11.tsv --names tenth,eleventh
    python benchmarks/lawref_models.py score tests/data/lawref_models_judged_36.tsv --names thirty-fourth,thirty-sixth

``key.tsv`` holds each drawn pair's stratum, its size, score and places (lawref paths and offsets, no text);
tests/data/lawref_models_judged.tsv is it with two blind readers' labels of 2026-11-30 (the eighth model
against the ninth, then shipped), tests/data/lawref_models_judged_11.tsv of 2026-12-01 (the tenth against the
eleventh), tests/data/lawref_models_judged_36.tsv and _38.tsv of 2026-12-03 (the thirty-fourth, shipped, against the
thirty-sixth and against the thirty-eighth) (``match``,
``match_second``: the policy of tests/data/PAIRS.md, "the same provision" for laws). ``score`` weighs each stratum by its size and estimates both models'
precision and their recall relative to the true pairs either keeps (no lawref needed). ``draw`` says so and
stops without lawref.
"""
from __future__ import annotations

import argparse
import csv
import random
import sys
import warnings
from contextlib import nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pair_data  # noqa: E402
from compare import pipeline  # noqa: E402
from compare.align import AlignConfig  # noqa: E402
from compare.gold import read_tsv  # noqa: E402

LAWREF = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "lawref"
EIGHTH = Path(__file__).resolve().parent / "data" / "pair_model_8.json"
TENTH = Path(__file__).resolve().parent / "data" / "pair_model_10.json"
NINTH = Path(__file__).resolve().parent / "data" / "pair_model_9.json"
# the two models each draw compares, with the aligner's defaults of their day
EARLIER = {"eighth": (EIGHTH, pair_data.NINTH_AND_OLDER), "tenth": (TENTH, pair_data.TENTH)}
ELEVENTH = Path(__file__).resolve().parent / "data" / "pair_model_11.json"
LATER = {"eighth": (NINTH, pair_data.NINTH_AND_OLDER), "tenth": (ELEVENTH, pair_data.ELEVENTH)}


def aligned(against: str = "eighth", models: tuple[int, int] | None = None) -> tuple[dict, dict]:
    """The pairs the ``against`` model and the one it was compared with (``LATER``: the ninth for the eighth, as
    drawn on 2026-11-30; the eleventh, then shipped, for the tenth, 2026-12-01) keep on the sample, by places;
    with ``models`` (two model numbers), those two with today's defaults."""
    import pair_quality

    warnings.filterwarnings("ignore")
    docs = pipeline.load(sorted(LAWREF.rglob("*.md"))[::10], workers=2).documents
    out = []
    compared = ([(pair_quality.model_file(n), None) for n in models] if models
                else (EARLIER[against], LATER[against]))
    for path, era in compared:
        with pair_quality.model(path), (pair_data.aligner_as(**era) if era else nullcontext()):
            al = pipeline.align_documents(docs, align_config=AlignConfig(), workers=2)
        out.append({((p.a.doc_id, p.a.start), (p.b.doc_id, p.b.start)): p for p in al.pairs})
    return out[0], out[1]


def strata(e: dict, n: dict) -> dict:
    drop = [e[k] for k in e if k not in n]
    return {"drop-hi": [p for p in drop if p.score >= 70], "drop-lo": [p for p in drop if p.score < 70],
            "add": [n[k] for k in n if k not in e], "both": [n[k] for k in n if k in e]}


def draw(out: Path, against: str = "eighth", models: tuple[int, int] | None = None) -> None:
    e, n = aligned(against, models)
    groups = strata(e, n)
    rng = random.Random(1)
    pick = [(kind, p) for kind in ("drop-hi", "drop-lo", "add", "both") for p in rng.sample(groups[kind], 20)]
    rng.shuffle(pick)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "key.tsv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["pair", "kind", "stratum_size", "score", "doc_a", "start_a", "doc_b", "start_b"])
        for k, (kind, p) in enumerate(pick, 1):
            w.writerow([k, kind, len(groups[kind]), f"{p.score:.0f}", p.a.doc_id, p.a.start, p.b.doc_id, p.b.start])
    with open(out / "pairs.tsv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["pair", "text_a", "text_b"])
        for k, (_, p) in enumerate(pick, 1):
            w.writerow([k, " ".join(p.a.raw.split()), " ".join(p.b.raw.split())])
    print(f"{models[0] if models else against} model {len(e)} pairs, {models[1] if models else 'shipped'} "
          f"{len(n)}; " + ", ".join(f"{k} {len(v)}" for k, v in groups.items()))


def score(judged: Path, names: tuple[str, str] = ("eighth", "ninth")) -> None:
    rows = {r["pair"]: r for r in read_tsv(judged)}
    for column in ("match", "match_second"):
        got = {k: int(r[column]) for k, r in rows.items()}
        true = {}
        for kind in ("drop-hi", "drop-lo", "add", "both"):
            mine = [k for k, r in rows.items() if r["kind"] == kind]
            true[kind] = int(rows[mine[0]]["stratum_size"]) * sum(got[k] for k in mine) / len(mine)
        size = {kind: int(next(r for r in rows.values() if r["kind"] == kind)["stratum_size"]) for kind in true}
        tp_e, tp_n = true["both"] + true["drop-hi"] + true["drop-lo"], true["both"] + true["add"]
        union = tp_e + true["add"]
        for name, tp, kept in ((names[0], tp_e, size["both"] + size["drop-hi"] + size["drop-lo"]),
                               (names[1], tp_n, size["both"] + size["add"])):
            p, r = tp / kept, tp / union
            print(f"{column:12} {name:8} pairs {kept:6}  precision {p:.2f}  recall (of the true pairs either keeps) "
                  f"{r:.2f}  F1 {2 * p * r / (p + r):.2f}")


def _two_models(value: str) -> tuple[int, int]:
    """``--models``: two model numbers whose files exist (benchmarks/data/pair_model_N.json)."""
    import pair_quality

    parts = value.split(",")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        raise argparse.ArgumentTypeError(f"two model numbers, the shipped one first (34,36), not {value!r}")
    models = tuple(int(p) for p in parts)
    missing = [str(pair_quality.model_file(n)) for n in models if not pair_quality.model_file(n).is_file()]
    if missing:
        raise argparse.ArgumentTypeError(f"no such model file: {', '.join(missing)}")
    return models


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="verb", required=True)
    d = sub.add_parser("draw")
    d.add_argument("dir", type=Path)
    d.add_argument("--against", choices=sorted(EARLIER), default="eighth")
    d.add_argument("--models", type=_two_models, metavar="SHIPPED,NEW",
                   help="two model numbers, the shipped one first, each with today's defaults: 34,36 (instead of "
                        "--against)")
    s = sub.add_parser("score")
    s.add_argument("judged", type=Path, nargs="?",
                   default=Path(__file__).resolve().parent.parent / "tests" / "data" / "lawref_models_judged.tsv")
    s.add_argument("--names", default="eighth,ninth", help="the earlier and the later model's names")
    args = ap.parse_args()
    if args.verb == "score":
        score(args.judged, tuple(args.names.split(",", 1)))
    elif not LAWREF.is_dir():
        print(f"lawref not found at {LAWREF}: nothing to draw")
    else:
        draw(args.dir, args.against, args.models)


if __name__ == "__main__":
    main()
