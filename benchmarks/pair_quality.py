"""The aligner against labelled truth: the shipped model's held-out set, tests/data/heldout41.tsv (or another set).

    python benchmarks/pair_quality.py                 # heldout41.tsv: frozen before the shipped model was fitted
    python benchmarks/pair_quality.py --set heldout43 # the forty-third's (not shipped: model_choice_43.py)
    python benchmarks/pair_quality.py --set heldout42 # the forty-second's (not shipped: model_choice_42.py)
    python benchmarks/pair_quality.py --set heldout35 # the thirty-fifth's (not shipped: model_choice_35.py)
    python benchmarks/pair_quality.py --set heldout36 # the thirty-sixth's (not shipped: model_choice_36.py)
    python benchmarks/pair_quality.py --set heldout37 # the thirty-seventh's (not shipped: model_choice_37.py)
    python benchmarks/pair_quality.py --set heldout38 # the thirty-eighth's (shipped until the forty-first)
    python benchmarks/pair_quality.py --set heldout39 # the thirty-ninth's (not shipped: model_choice_39.py)
    python benchmarks/pair_quality.py --set heldout40 # the fortieth's (not shipped: model_choice_40.py)
    python benchmarks/pair_quality.py --set heldout30 # an older held-out set, heldout2 to heldout40 (training data now)
    python benchmarks/pair_quality.py --set heldout1  # the first held-out part of pairs.tsv (training data now)
    python benchmarks/pair_quality.py --set development

For each method, precision, recall and F1 of its decisions on the labelled pairs, two ways:

- **weighted**: each pair weighs its stratum's size over the number drawn (tests/data/PAIRS.md), an estimate
  over all pairs of segments of the bundled corpus;
- **unweighted**: the labelled sample as drawn (it over-represents the high bands).

Methods, all run in this script on the same segments: the aligner's default (the pair model's precision-first
cutoff), its ``--review`` list, the forty-third pair model (fitted without heldout43 and not shipped,
``data/pair_model_43.json``) and its ``--review`` list, the forty-second pair model (fitted without heldout42 and not shipped,
``data/pair_model_42.json``) and its ``--review`` list, the forty-first (the shipped one, by its file) and its ``--review`` list, the fortieth pair model (fitted without heldout40 and not shipped,
``data/pair_model_40.json``) and its ``--review`` list, the thirty-ninth pair model (fitted without heldout39 and not shipped,
``data/pair_model_39.json``) and its ``--review`` list, the thirty-eighth (fitted without heldout38, ``data/pair_model_38.json``,
shipped until the forty-first) and its ``--review`` list, the thirty-seventh pair model (fitted without heldout37 and not shipped,
``data/pair_model_37.json``) and its ``--review`` list, the thirty-sixth pair model (fitted without heldout36 and not shipped,
``data/pair_model_36.json``) and its ``--review`` list, the thirty-fifth pair model (fitted without heldout35 and not shipped,
``data/pair_model_35.json``) and its ``--review`` list, the thirty-fourth (fitted without heldout34,
``data/pair_model_34.json``) and its ``--review`` list, the thirty-third pair model (fitted without heldout33,
``data/pair_model_33.json``) and its ``--review`` list, the thirty-second pair model (fitted without heldout32,
``data/pair_model_32.json``) and its ``--review`` list, the thirty-first pair model (fitted without heldout31 and not shipped,
``data/pair_model_31.json``) and its ``--review`` list, the thirtieth (fitted without heldout30,
``data/pair_model_30.json``) and its ``--review`` list, the twenty-ninth pair model (fitted without heldout29,
``data/pair_model_29.json``) and its ``--review`` list, the twenty-eighth pair model (fitted without heldout28, ``data/pair_model_28.json``)
and its ``--review`` list, the twenty-seventh pair model (fitted without heldout27, ``data/pair_model_27.json``)
and its ``--review`` list, the twenty-sixth pair model (fitted without heldout26, ``data/pair_model_26.json``)
and its ``--review`` list, the twenty-fifth pair model (fitted without heldout25, ``data/pair_model_25.json``)
and its ``--review`` list, the twenty-fourth pair model (fitted without heldout24, ``data/pair_model_24.json``)
and its ``--review`` list, the twenty-third pair model (fitted without heldout23, ``data/pair_model_23.json``)
and its ``--review`` list, the twenty-second pair model (fitted without heldout22, ``data/pair_model_22.json``)
and its ``--review`` list, the twenty-first pair model (fitted without heldout21, ``data/pair_model_21.json``)
and its ``--review`` list, the twentieth pair model (fitted without heldout20, ``data/pair_model_20.json``)
and its ``--review`` list, the nineteenth pair model (fitted without heldout19, ``data/pair_model_19.json``)
and its ``--review`` list, the eighteenth pair model (fitted without heldout18, ``data/pair_model_18.json``)
and its ``--review`` list, the seventeenth pair model (fitted without heldout17, ``data/pair_model_17.json``)
and its ``--review`` list, the sixteenth pair model (fitted without heldout16, ``data/pair_model_16.json``)
and its ``--review`` list, the fifteenth pair model (fitted without heldout15, ``data/pair_model_15.json``)
and its ``--review`` list, the fourteenth pair model (fitted without heldout14, ``data/pair_model_14.json``)
and its ``--review`` list, the thirteenth pair model (fitted without heldout13,
``data/pair_model_13.json``; template wording at 8 (sub-)documents, floor 15, as its meta says) and its
``--review`` list, the twelfth pair model with the candidates of its day (template wording at 8 (sub-)documents, floor 20, as its meta says; fitted without heldout12, ``data/pair_model_12.json``) and its
``--review`` list, the eleventh (the same defaults; fitted without heldout11, ``data/pair_model_11.json``) and its
``--review`` list, the tenth pair model with the candidates of its day (template wording at 5
(sub-)documents, score floor 15; fitted without heldout10, ``data/pair_model_10.json``) and its ``--review``
list, the ninth (fitted unweighted, without heldout9, ``data/pair_model_9.json``) and its ``--review`` list,
the eighth pair model (the word table and L2 regularisation, no table of 4-grams, fitted without heldout8,
``data/pair_model_8.json``), the seventh (no L2 regularisation, fitted
without heldout7, ``data/pair_model_7.json``), the sixth (trees with the learned word table, fitted without
heldout6, before active7 existed, ``data/pair_model_6.json``), the fifth (trees without the learned word table, fitted
without heldout5, ``data/pair_model_5.json``), the fourth (trees with the rank features, fitted without heldout4,
``data/pair_model_4.json``), the third (trees without the rank features, fitted without heldout3,
``data/pair_model_3.json``), the second (trees fitted without heldout2, ``data/pair_model_2.json``)
and the first (a logistic regression, ``data/pair_model_1.json``), each at its own cutoff with today's
candidates and the aligner's defaults of its day (``pair_data.aligner_as``: template wording at 5
(sub-)documents, the score floor at 25, 15 for the tenth), the default before any model (score ≥ 35 and shared specific
wording ≥ 3), and the naive baseline (TF-IDF character 1–2-gram sentence cosine) at its best threshold in
hindsight on the same pairs. Every model runs on today's segments and roles (since 2026-12-02 the lines of
the compilation's table of contents are procedure, which takes their pairs out of every model's default
output). Also: pairs each outputs on the bundled corpus, recall for Beijing ↔
Chongqing pairs and for done ↔ planned pairs (the progress report against the plans), the weighted F1 on
the **fresh** pairs of the set, those that no other labelled set holds, and, for the current held-out set, on
the pairs that neither the shipped model nor the one fitted before it (``data/pair_model_40.json``, which left
heldout40's pairs out of its training, and was not shipped) was fitted on (303 pairs for heldout41; the rule compares
the shipped model with the one it replaced, on the pairs neither of those two was fitted on: ``model_choice_N.py``,
302 pairs for heldout41 against the thirty-eighth): the older models were fitted on some of the set's pairs,
so their figures over the whole set flatter them, and only there do the last two compare fairly.
"""
from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager, nullcontext
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pair_data  # noqa: E402
from baseline_tfidf import SentenceTfidf  # noqa: E402
from build_holdout_pool import baseline_all_pairs  # noqa: E402

import importlib  # noqa: E402

from compare import pairmodel, pipeline  # noqa: E402
from compare.align import AlignConfig  # noqa: E402
from compare.roles import DEFAULT_ROLES  # noqa: E402

DONE_PLANNED = {"compilation_2021q1|progress_report_2021", "haidian_plan|progress_report_2021"}
FIRST_MODEL = Path(__file__).resolve().parent / "data" / "pair_model_1.json"
SECOND_MODEL = Path(__file__).resolve().parent / "data" / "pair_model_2.json"
THIRD_MODEL = Path(__file__).resolve().parent / "data" / "pair_model_3.json"
FOURTH_MODEL = Path(__file__).resolve().parent / "data" / "pair_model_4.json"
FIFTH_MODEL = Path(__file__).resolve().parent / "data" / "pair_model_5.json"
SIXTH_MODEL = Path(__file__).resolve().parent / "data" / "pair_model_6.json"
SEVENTH_MODEL = Path(__file__).resolve().parent / "data" / "pair_model_7.json"
EIGHTH_MODEL = Path(__file__).resolve().parent / "data" / "pair_model_8.json"
NINTH_MODEL = Path(__file__).resolve().parent / "data" / "pair_model_9.json"
TENTH_MODEL = Path(__file__).resolve().parent / "data" / "pair_model_10.json"
ELEVENTH_MODEL = Path(__file__).resolve().parent / "data" / "pair_model_11.json"
TWELFTH_MODEL = Path(__file__).resolve().parent / "data" / "pair_model_12.json"
# the models since the thirteenth, newest first: each scored with the aligner's defaults its meta names
# (template wording at 8 (sub-)documents, floor 15)
LATER_MODELS = ((43, "forty-third"), (42, "forty-second"), (41, "forty-first"), (40, "fortieth"), (39, "thirty-ninth"), (38, "thirty-eighth"), (37, "thirty-seventh"), (36, "thirty-sixth"), (35, "thirty-fifth"), (34, "thirty-fourth"), (33, "thirty-third"), (32, "thirty-second"), (31, "thirty-first"), (30, "thirtieth"), (29, "twenty-ninth"), (28, "twenty-eighth"), (27, "twenty-seventh"), (26, "twenty-sixth"), (25, "twenty-fifth"), (24, "twenty-fourth"), (23, "twenty-third"),
                (22, "twenty-second"), (21, "twenty-first"), (20, "twentieth"), (19, "nineteenth"), (18, "eighteenth"),
                (17, "seventeenth"), (16, "sixteenth"), (15, "fifteenth"), (14, "fourteenth"), (13, "thirteenth"))


def model_file(n: int) -> Path:
    """The n-th pair model as shipped (benchmarks/data/pair_model_n.json)."""
    return Path(__file__).resolve().parent / "data" / f"pair_model_{n}.json"


# the labelled held-out sets of tests/data that a fitted model has been scored on, or is about to be, newest
# first (heldout1 is a part of pairs.tsv): up to the newest model of LATER_MODELS, which names a model once it is
# fitted and before it is scored. A set drawn for a model not yet fitted is left out, so nothing scores it early.
# The current one is HELD_OUT; a model that was not shipped scored some later ones (``main``'s ``later``).
HELD_OUT_SETS = tuple(sorted((p.stem for p in pair_data.DATA.glob("heldout*.tsv")
                              if p.stem[7:].isdigit() and 2 <= int(p.stem[7:]) <= LATER_MODELS[0][0]),
                             key=lambda s: -int(s[7:])))
HELD_OUT = pair_data.HELD_OUT.removesuffix(".tsv")


def prf(decide: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, float, float]:
    tp = float((w * (decide & (y == 1))).sum())
    fp = float((w * (decide & (y == 0))).sum())
    fn = float((w * (~decide & (y == 1))).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def replicates(strata: list, *, draws: int = 2000, seed: int = 0):
    """``draws`` stratified bootstrap replicates of the rows whose strata are ``strata``: each stratum's rows
    resampled with replacement, as an index array a replicate."""
    rng = np.random.default_rng(seed)
    members: dict = {}
    for k, s in enumerate(strata):
        members.setdefault(s, []).append(k)
    groups = [np.asarray(v) for _, v in sorted(members.items())]
    for _ in range(draws):
        yield np.concatenate([g[rng.integers(0, len(g), len(g))] for g in groups])


def interval(decide: np.ndarray, y: np.ndarray, w: np.ndarray, strata: list, *, draws: int = 2000,
             seed: int = 0) -> tuple[tuple[float, float], tuple[float, float]]:
    """95% intervals of the weighted precision and recall: a stratified bootstrap (each stratum's drawn pairs
    resampled with replacement, its weight kept), percentiles of ``draws`` replicates. The weighted figures
    rest on few true pairs in large strata, so the interval says how far they can be trusted."""
    ps, rs = [], []
    for pick in replicates(strata, draws=draws, seed=seed):
        p, r, _ = prf(decide[pick], y[pick], w[pick])
        ps.append(p)
        rs.append(r)
    return (tuple(np.percentile(ps, [2.5, 97.5]).tolist()), tuple(np.percentile(rs, [2.5, 97.5]).tolist()))


@contextmanager
def model(path: Path | None):
    """The aligner with another pair model file (``None``: the shipped one)."""
    if path is None:
        yield
        return
    other = pairmodel.PairModel.from_json(path.read_bytes())
    align_module = importlib.import_module("compare.align")   # the module (compare.align is also a verb)
    saved = pairmodel.load, align_module.load_model
    pairmodel.load = align_module.load_model = lambda *a, **k: other
    try:
        yield
    finally:
        pairmodel.load, align_module.load_model = saved


def kept(config, model_file: Path | None = None, era: dict | None = None) -> tuple[set, int]:
    """The pairs the aligner keeps on the bundled corpus with ``config`` (an ``AlignConfig``, or a dict of its
    settings, made inside ``era``: ``pair_data.aligner_as``'s defaults of an older model's day; without it, those
    the model's meta names, if it names any: give ``era`` to score a model with other defaults) and the pair
    model in ``model_file`` (``None``: the shipped one)."""
    docs, _ = pair_data.corpus()
    if era is None and model_file is not None:   # the defaults its features were computed with, when it says
        era = pairmodel.PairModel.from_json(model_file.read_bytes()).meta.get("aligner")
    with model(model_file), (pair_data.aligner_as(**era) if era else nullcontext()):
        cfg = AlignConfig(**config) if isinstance(config, dict) else config
        al = pipeline.align_documents(docs, align_config=cfg)
    out = set()
    for p in al.pairs:
        a, b = (p.a.doc_id, p.a.start), (p.b.doc_id, p.b.start)
        out |= {(a, b), (b, a)}
    return out, len(al.pairs)


def labelled(which: str) -> list:
    """The rows of a labelled set, each set read whole from its own file (the training rows of ``pair_data.rows``
    leave out pairs that other sets hold)."""
    if which in HELD_OUT_SETS:
        return list(pair_data.stratified(f"{which}.tsv"))
    if which not in ("heldout1", "development"):
        raise ValueError(f"no labelled set {which!r} to score: {', '.join(HELD_OUT_SETS)} (a set drawn for a model "
                         "not fitted yet is not scored), and pairs.tsv's heldout1 and development parts")
    return [r for r in pair_data.stratified("pairs.tsv") if r.held_out == (which == "heldout1")]


def fresh(which: str, rows: list) -> np.ndarray:
    """The rows of a held-out set that no other labelled set holds (by the segments both sides fall on)."""
    others = pair_data.pairs_of(name for name in pair_data.TRAINING if name != f"{which}.tsv")
    return np.asarray([frozenset((r.a, r.b)) not in others for r in rows])


def unseen_by_previous(rows: list) -> np.ndarray:
    """The rows of the current held-out set that the previous model (fitted on the training sets of its day,
    less the pairs of its own held-out set, the last pool here) was not fitted on; the shipped model was fitted
    on none of them."""
    previous = pair_data.POOLS[-1]
    fitted = pair_data.pairs_of(n for n in pair_data.TRAINING if n != previous) - pair_data.pairs_of((previous,))
    return np.asarray([frozenset((r.a, r.b)) not in fitted for r in rows])


def compared_today(rows: list) -> np.ndarray:
    """The rows whose pair the aligner compares by default with today's segments and roles: both sides a
    measure or a goal, of different (sub-)documents. A set was drawn from the pairs the aligner compared on
    the day it was drawn; a later change of the roles (since 2026-12-02 the compilation's table of contents
    is procedure, ``compare/roles.py``) takes some of its pairs out of that population."""
    role = {(m.doc_id, m.start): m.role for m in pair_data.corpus()[1]}
    return np.asarray([role[r.a] in DEFAULT_ROLES and role[r.b] in DEFAULT_ROLES
                       and pair_data._group(r.a) != pair_data._group(r.b) for r in rows])


def evaluate(which: str = HELD_OUT, *, methods: tuple[str, ...] | None = None) -> dict:
    """Every method's decisions and figures on the labelled set ``which`` (``methods``: only these of the
    aligner's and the older models', by name; the baseline always)."""
    rows = labelled(which)
    y = np.asarray([r.match for r in rows])
    w = np.asarray([r.weight for r in rows])
    ones = np.ones(len(rows))
    out: dict = {"n": len(rows), "true": int(y.sum()), "methods": {}}
    old, tenth = pair_data.NINTH_AND_OLDER, pair_data.TENTH   # each model with the aligner's defaults of its day
    eleventh = pair_data.ELEVENTH
    configs = {"aligner (default)": ({}, None, None), "aligner --review": ({"review": True}, None, None),
               **{f"{name} {kind} (template 8, floor 15)": (cfg, model_file(n), None)   # their meta: 8, 15
                  for n, name in LATER_MODELS
                  for kind, cfg in (("pair model", {}), ("--review", {"review": True}))},
               "twelfth pair model (template 8, floor 20)": ({}, TWELFTH_MODEL, None),   # its meta: 8, 20
               "twelfth --review (template 8, floor 20)": ({"review": True}, TWELFTH_MODEL, None),
               "eleventh pair model (template 8, floor 20)": ({}, ELEVENTH_MODEL, eleventh),
               "eleventh --review (template 8, floor 20)": ({"review": True}, ELEVENTH_MODEL, eleventh),
               "tenth pair model (template 5, floor 15)": ({}, TENTH_MODEL, tenth),
               "tenth --review (template 5, floor 15)": ({"review": True}, TENTH_MODEL, tenth),
               "ninth pair model (4-gram table)": ({}, NINTH_MODEL, old),
               "ninth --review": ({"review": True}, NINTH_MODEL, old),
               "eighth pair model (word table, L2)": ({}, EIGHTH_MODEL, old),
               "seventh pair model (word table, no L2)": ({}, SEVENTH_MODEL, old),
               "sixth pair model (trees, word table)": ({}, SIXTH_MODEL, old),
               "fifth pair model (trees, no word table)": ({}, FIFTH_MODEL, old),
               "fourth pair model (trees, ranks)": ({}, FOURTH_MODEL, old),
               "third pair model (trees)": ({}, THIRD_MODEL, old),
               "second pair model (trees)": ({}, SECOND_MODEL, old),
               "first pair model (LR)": ({}, FIRST_MODEL, old),
               "before the model (score >= 35, evidence >= 3)": ({"use_model": False, "min_evidence": 3.0}, None,
                                                                 None)}
    unknown = set(methods or ()) - set(configs)
    if unknown:
        raise ValueError(f"no such method: {', '.join(sorted(unknown))}")
    # in scope: pairs the aligner compares by default (measures and goals of different (sub-)documents), by the
    # groups the pool was drawn with and today's roles (``compared_today``)
    compared = compared_today(rows)
    scope = np.asarray([r.group not in ("inside-one-document", "other-roles") for r in rows]) & compared
    out["scope"] = scope
    for name, (cfg, path, era) in configs.items():
        if methods is not None and name not in methods:
            continue
        pairs, size = kept(cfg, path, era)
        d = np.asarray([(r.a, r.b) in pairs for r in rows])
        out["methods"][name] = {"weighted": prf(d, y, w), "unweighted": prf(d, y, ones),
                                "in scope": prf(d[scope], y[scope], w[scope]), "pairs": size, "decisions": d}
    # the baseline over every coarse segment, at its best threshold in hindsight on these pairs
    _, segs = pair_data.corpus()
    index = {(m.doc_id, m.start): n for n, m in enumerate(segs)}
    base = SentenceTfidf([m.text for m in segs])
    score = np.asarray([base.score(index[r.a], index[r.b]) for r in rows])
    best = max(((t, prf(score >= t, y, ones)) for t in np.round(np.arange(0.10, 0.99, 0.02), 2)),
               key=lambda x: x[1][2])
    t = best[0]
    d = score >= t
    groups = [(m.doc_id, m.subdoc) for m in segs]
    size = sum(1 for (i, j), v in baseline_all_pairs(base, len(segs), t).items()
               if groups[i] != groups[j] and v >= t)
    out["methods"][f"baseline (cosine >= {t:.2f}, best in hindsight)"] = {
        "weighted": prf(d, y, w), "unweighted": prf(d, y, ones), "in scope": prf(d[scope], y[scope], w[scope]),
        "pairs": size, "decisions": d}
    out["groups"] = {
        "Beijing ↔ Chongqing": np.asarray(["chongqing" in r.group and "|" in r.group for r in rows]),
        "done ↔ planned": np.asarray([r.group in DONE_PLANNED for r in rows]),
    }
    out["fresh"] = fresh(which, rows) if which.startswith("heldout") and which != "heldout1" else None
    out["unseen"] = unseen_by_previous(rows) if which == HELD_OUT else None
    out["compared"] = compared
    out["y"] = y
    out["strata"] = [(r.group, r.band) for r in rows]
    out["w"] = w
    return out


def calibration(which: str) -> None:
    """The shipped model's probability against the readers' labels, by band of probability: the mean
    probability and the share of true pairs, weighted (usable rows; the others are never aligned)."""
    rows = labelled(which)
    x, usable, _ = pair_data.features(rows)
    p = pairmodel.load().probability(x[usable])
    y = np.asarray([r.match for r in rows])[usable]
    w = np.asarray([r.weight for r in rows])[usable]
    print("calibration of the shipped model (weighted): probability band, pairs, mean probability, share true; "
          "true pairs, their weight, its share of all the true weight")
    edges = (0.0, 0.01, 0.1, 0.2, 0.37, 0.5, 0.7, 0.9, 1.0 + 1e-9)
    total = float((w * y).sum())
    for lo, hi in zip(edges, edges[1:]):
        m = (p >= lo) & (p < hi)
        if m.any():
            true_w = float((w[m] * y[m]).sum())
            print(f"  {lo:.2f}-{min(hi, 1.0):.2f} {int(m.sum()):5} {np.average(p[m], weights=w[m]):.3f} "
                  f"{np.average(y[m], weights=w[m]):.4f}; {int(y[m].sum()):3} true, {true_w:6.1f} "
                  f"({true_w / total:.0%})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", choices=[*HELD_OUT_SETS, "heldout1", "development"], default=HELD_OUT)
    args = ap.parse_args()
    res = evaluate(args.set)
    later = {n: f" (the {word} model's, which was not shipped: benchmarks/model_choice_{n}.py)"
             for n, word in ((31, "thirty-first"), (35, "thirty-fifth"), (36, "thirty-sixth"),
                               (37, "thirty-seventh"), (39, "thirty-ninth"), (40, "fortieth"),
                               (42, "forty-second"), (43, "forty-third"))}
    newer = " (drawn after the shipped model's: not training data)"
    name = {**{s: f"tests/data/{s}.tsv" + ("" if s == HELD_OUT else later.get(
                   int(s[7:]), newer if int(s[7:]) > int(HELD_OUT[7:]) else " (training data now)"))
               for s in HELD_OUT_SETS},
            "heldout1": "the first held-out part of pairs.tsv", "development": "the development part of pairs.tsv"
            }[args.set]
    print(f"{name}: {res['n']} pairs, {res['true']} true")
    print(f"{'method':46} {'weighted P':>10} {'R':>6} {'F1':>6}  {'in scope P':>10} {'R':>6} {'F1':>6}  "
          f"{'unweighted P':>12} {'R':>6} {'F1':>6} {'pairs':>6}")
    for name, m in res["methods"].items():
        (wp, wr, wf), (sp, sr, sf), (up, ur, uf) = m["weighted"], m["in scope"], m["unweighted"]
        print(f"{name:46} {wp:10.3f} {wr:6.3f} {wf:6.3f}  {sp:10.3f} {sr:6.3f} {sf:6.3f}  {up:12.3f} {ur:6.3f} "
              f"{uf:6.3f} {m['pairs']:6}")
    print("95% intervals of the weighted figures (stratified bootstrap, 2,000 replicates):")
    for name, m in res["methods"].items():
        (p_lo, p_hi), (r_lo, r_hi) = interval(m["decisions"], res["y"], res["w"], res["strata"])
        print(f"  {name:44} P {p_lo:.3f}-{p_hi:.3f}  R {r_lo:.3f}-{r_hi:.3f}")
    print("in scope: measures and goals of different (sub-)documents, what the aligner compares by default; "
          "weighted: each pair weighs its stratum's size over the pairs drawn")
    y = res["y"]
    for gname, mask in res["groups"].items():
        t = int((y[mask] == 1).sum())
        found = {name: int((m["decisions"][mask] & (y[mask] == 1)).sum()) for name, m in res["methods"].items()}
        print(f"{gname}: {t} true pairs labelled; found " + ", ".join(f"{k.split(' (')[0]} {v}"
                                                                      for k, v in found.items()))
    calibration(args.set)
    c = res["compared"]
    if not c.all():
        w = res["w"]
        print(f"the {int(c.sum())} pairs the aligner compares by default with today's roles ({int(y[c].sum())} "
              f"true; {int((~c).sum())} pairs, {int(y[~c].sum())} true, are no longer compared), weighted P / R / F1: "
              + ", ".join(f"{k.split(' (')[0]} " + " / ".join(f"{v:.3f}" for v in prf(m['decisions'][c], y[c], w[c]))
                          for n, (k, m) in enumerate(res["methods"].items())
                          if n < 4 or k.startswith("baseline")))   # the aligner's and the newest model's
    if res["unseen"] is not None:
        u, w = res["unseen"], res["w"]
        print(f"the {int(u.sum())} pairs neither the shipped model nor the previous one was fitted on "
              f"({int(y[u].sum())} true), weighted / unweighted F1: "
              + ", ".join(f"{k.split(' (')[0]} {prf(m['decisions'][u], y[u], w[u])[2]:.3f} / "
                          f"{prf(m['decisions'][u], y[u], np.ones(int(u.sum())))[2]:.3f}"
                          for k, m in res["methods"].items()))
    if res["fresh"] is not None:
        f = res["fresh"]
        print(f"the {int(f.sum())} pairs no earlier labelled set holds ({int(y[f].sum())} true), weighted F1: "
              + ", ".join(f"{k.split(' (')[0]} {prf(m['decisions'][f], y[f], res['w'][f])[2]:.3f}"
                          for k, m in res["methods"].items()))


if __name__ == "__main__":
    main()
