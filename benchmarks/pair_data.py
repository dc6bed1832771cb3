"""Labelled pairs as the engine sees them: each labelled pair located among the current segments of the
bundled corpus, with the pair model's features computed exactly as ``align`` computes them.

Used by ``fit_pair_model.py`` (training) and ``pair_quality.py`` (held-out evaluation); shared with tests.
"""
from __future__ import annotations

import importlib
import sys
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from compare import pipeline  # noqa: E402
from compare.align import AlignConfig, pair_features, prepare, score_pairs  # noqa: E402
from compare.gold import read_tsv  # noqa: E402
from compare.roles import DEFAULT_ROLES, ROLES  # noqa: E402

DATA = ROOT / "tests" / "data"


@contextmanager
def aligner_as(*, template_groups: int, floor: float):
    """The aligner's defaults as they were when an older model shipped: template wording at ``template_groups``
    (sub-)documents and the score floor ``floor`` (``align.DEFAULT_FLOOR`` too, below which pairs sharing rare
    wording still reach the model). Until the tenth model: 5 and 25; the tenth: 5 and 15; the eleventh and
    the twelfth: 8 and 20; since the thirteenth: 8 and 15 (a model's meta names them since the twelfth).
    Every ``AlignConfig()`` made inside has them; the defaults come back on leaving."""
    align = importlib.import_module("compare.align")   # the module (compare.align is also a verb)
    defaults = align.AlignConfig.__init__.__kwdefaults__
    saved = dict(defaults), align.DEFAULT_FLOOR
    defaults.update(template_groups=template_groups, floor=floor)
    align.DEFAULT_FLOOR = floor
    try:
        yield
    finally:
        defaults.clear()
        defaults.update(saved[0])
        align.DEFAULT_FLOOR = saved[1]


NINTH_AND_OLDER = {"template_groups": 5, "floor": 25.0}   # the aligner's defaults up to the ninth model
TENTH = {"template_groups": 5, "floor": 15.0}             # the tenth's
ELEVENTH = {"template_groups": 8, "floor": 20.0}          # the eleventh's (and the twelfth's, in its meta)


@dataclass(frozen=True)
class Row:
    source: str          # a training set (``TRAINING``) or the held-out set
    pair: str
    match: int
    held_out: bool
    weight: float        # stratum size over pairs drawn (pairs.tsv), else 1
    group: str
    band: str
    a: tuple[str, int]   # (doc_id, raw start) of the located segment
    b: tuple[str, int]


@lru_cache(maxsize=1)
def corpus():
    docs = pipeline.load(None).documents
    segs = [m for s in pipeline.segment_all(docs) for m in s.measures]
    return docs, segs


def _locate(segs_by_doc, doc: str, start: int, end: int):
    best, best_n = None, 0
    for m in segs_by_doc[doc]:
        n = min(m.end, end) - max(m.start, start)
        if n > best_n:
            best, best_n = m, n
    return best


@lru_cache(maxsize=1)
def _by_doc() -> dict[str, list]:
    _, segs = corpus()
    by_doc: dict[str, list] = {}
    for m in segs:
        by_doc.setdefault(m.doc_id, []).append(m)
    return by_doc


def _places(r: dict) -> tuple[tuple[str, int], tuple[str, int]]:
    """The (doc_id, start) of the current segments a labelled row's two sides fall on (largest overlap)."""
    a = _locate(_by_doc(), r["doc_a"], int(r["start_a"]), int(r["end_a"]))
    b = _locate(_by_doc(), r["doc_b"], int(r["start_b"]), int(r["end_b"]))
    return (a.doc_id, a.start), (b.doc_id, b.start)


@lru_cache(maxsize=1)
def _groups() -> dict[tuple[str, int], tuple[str, str]]:
    """The comparison group (document, sub-document) of every segment, by its (doc_id, start)."""
    return {(m.doc_id, m.start): (m.doc_id, m.subdoc) for m in corpus()[1]}


def _group(place: tuple[str, int]) -> tuple[str, str]:
    return _groups()[place]


def _stratified(name: str, held_out) -> list[Row]:
    """The rows of a stratified pool (pairs.tsv, heldout2.tsv), each weighing its stratum's size over the drawn."""
    return [Row(name, r["pair"], int(r["match"]), held_out(r), float(r["stratum_size"]) / float(r["drawn"]),
                r["group"], r["band"], *_places(r)) for r in read_tsv(DATA / name)]


POOLS = ("pairs.tsv", "heldout2.tsv", "heldout3.tsv", "heldout4.tsv", "heldout5.tsv",
         "heldout6.tsv", "heldout7.tsv", "heldout8.tsv", "heldout9.tsv", "heldout10.tsv",
         "heldout11.tsv", "heldout12.tsv", "heldout13.tsv", "heldout14.tsv",
         "heldout15.tsv", "heldout16.tsv", "heldout17.tsv", "heldout18.tsv",
         "heldout19.tsv", "heldout20.tsv", "heldout21.tsv", "heldout22.tsv",
         "heldout23.tsv", "heldout24.tsv", "heldout25.tsv", "heldout26.tsv",
         "heldout27.tsv", "heldout28.tsv", "heldout29.tsv", "heldout30.tsv",
         "heldout31.tsv", "heldout32.tsv", "heldout33.tsv", "heldout34.tsv",
         "heldout35.tsv", "heldout36.tsv", "heldout37.tsv", "heldout38.tsv",
         "heldout39.tsv", "heldout40.tsv")   # the stratified training sets (the shipped model's)
ACTIVE = ("active7.tsv",)   # drawn where a model was unsure, from pairs no set held: training only, no weights
TRAINING = POOLS + ("align_eval.tsv", "align_holdout.tsv") + ACTIVE
HELD_OUT = "heldout41.tsv"   # its pairs are never training rows
# a training pair's label: "first", that of the first set of ``TRAINING`` that holds it; "majority", the majority
# of every reading the training sets hold of it (a tie: the reading of the latest set); ``benchmarks/label_votes_24.py``
LABELS = "first"


def pairs_of(names) -> set:
    """The segment pairs (order-free) of the labelled sets ``names`` (files of tests/data)."""
    return {frozenset(_places(r)) for name in names for r in read_tsv(DATA / name)}


def held_out_pairs() -> set:
    """The segment pairs of the held-out set, whose pairs come from the whole population (earlier labelled
    pairs included): no training row may fall on them."""
    return pairs_of((HELD_OUT,))


@lru_cache(maxsize=1)
def rows() -> tuple[Row, ...]:
    """Every labelled training pair, located (the stratified pools by exact place; the older sets by largest
    overlap). heldout2.tsv to heldout40.tsv, each scored once, are training data since the next held-out set
    was frozen; active7.tsv (``ACTIVE``) weighs 1 a row, as the older sets do. A pair that two sets hold (both
    its sides on the same segments) is kept once, from the first set of ``TRAINING`` that holds it; a pair of
    the held-out set (``HELD_OUT``) is never kept, nor a pair whose two sides lie in one (sub-)document (the
    aligner never compares those: 104 rows of pairs.tsv). A pool row weighs its stratum's size over the rows of
    the stratum kept."""
    out = _stratified("pairs.tsv", lambda r: r["held_out"] == "1")
    out += [row for name in POOLS[1:] for row in _stratified(name, lambda r: False)]
    for name in ("align_eval.tsv", "align_holdout.tsv"):
        out += [Row(name, r.get("pair", ""), int(r["match"]), False, 1.0, "", "", *_places(r))
                for r in read_tsv(DATA / name)]
    for name in ACTIVE:
        out += [Row(name, r["pair"], int(r["match"]), False, 1.0, r["group"], r["band"], *_places(r))
                for r in read_tsv(DATA / name)]
    if LABELS == "majority":
        out = _majority(out)
    seen = held_out_pairs()
    kept = []
    for r in out:
        key = frozenset((r.a, r.b))
        if key not in seen and _group(r.a) != _group(r.b):
            seen.add(key)
            kept.append(r)
    # a stratum that lost rows: the rows it keeps stand for all of it (its size over the rows kept)
    stratum = lambda r: (r.source, r.group, r.band)   # noqa: E731
    drawn, left = Counter(map(stratum, out)), Counter(map(stratum, kept))
    return tuple(replace(r, weight=r.weight * drawn[stratum(r)] / left[stratum(r)]) if r.source in POOLS else r
                 for r in kept)


def _drawn_when(source: str) -> float:
    """The order in which the labelled sets were drawn: align_eval, align_holdout, pairs, heldout2 to heldout6,
    active7, heldout7 and on."""
    if source.startswith("heldout"):
        return float(source.removeprefix("heldout").removesuffix(".tsv"))
    return {"align_eval.tsv": -2.0, "align_holdout.tsv": -1.0, "pairs.tsv": 0.0, "active7.tsv": 6.5}[source]


def _majority(out: list[Row]) -> list[Row]:
    """The rows with each pair's label the majority of all its readings in ``out`` (a tie: the reading of the set
    drawn last)."""
    votes: dict[frozenset, list[tuple[float, int]]] = {}
    for r in out:
        votes.setdefault(frozenset((r.a, r.b)), []).append((_drawn_when(r.source), r.match))

    def label(v: list[tuple[float, int]]) -> int:
        ones = sum(m for _, m in v)
        return 1 if 2 * ones > len(v) else 0 if 2 * ones < len(v) else max(v)[1]

    return [replace(r, match=label(votes[frozenset((r.a, r.b))])) for r in out]


@lru_cache(maxsize=4)
def stratified(name: str) -> tuple[Row, ...]:
    """A stratified set read whole (pairs.tsv with its first held-out part marked), each row weighing its
    stratum's size over the pairs drawn. The pairs of the held-out set (``HELD_OUT``, heldout41.tsv) are never
    part of ``rows()`` and never fitted or tuned on."""
    return tuple(_stratified(name, lambda r: r.get("held_out") == "1"))


@lru_cache(maxsize=2)
def _prepared(roles: tuple[str, ...]):
    docs, segs = corpus()
    cfg = AlignConfig(roles=roles)
    return prepare(docs, [m for m in segs if m.role in roles], cfg)


def features(rows_: list[Row]) -> tuple[np.ndarray, np.ndarray, list[float]]:
    """(X, usable mask, scores) for the rows: features as ``align`` computes them, in the set of measures
    the default roles give (or all roles, when a side is neither a measure nor a goal). A row whose side is
    never aligned (key shorter than ``min_key_chars``) is not usable. The ``lift_*`` and ``gram_lift_*`` columns
    come from the shipped model's tables, which were learned from the training rows' own labels: right for held-out rows,
    in-sample for training rows (cross-validation on them must recompute those columns inside each fold, as
    ``fit_pair_model.cv_probabilities`` does, or leave them out: 0.866 average precision in-sample against
    0.804 nested)."""
    from compare.pairmodel import FEATURES

    x = np.zeros((len(rows_), len(FEATURES)))
    usable = np.zeros(len(rows_), dtype=bool)
    score = [0.0] * len(rows_)
    for prep, todo in _located(rows_):
        pairs = sorted({p for _, p in todo})
        sc = score_pairs(prep.keys, prep.units, set(pairs), local_min_chars=prep.config.local_min_chars)
        feats = dict(zip(pairs, pair_features(prep, pairs, sc)))
        for k, p in todo:
            x[k] = feats[p]
            usable[k] = True
            score[k] = sc[p].score
    return x, usable, score


def _located(rows_: list[Row]):
    """(prepared set, [(row index, (i, j)), …]) for the default roles' measures, then for all roles' (a row
    whose side is neither a measure nor a goal): each row in the first set holding both its sides as two
    measures, i < j; a row that none holds is left out (its side is never aligned)."""
    done = np.zeros(len(rows_), dtype=bool)
    for roles in (DEFAULT_ROLES, ROLES):
        prep = _prepared(roles)
        index = {(m.doc_id, m.start): n for n, m in enumerate(prep.ms)}
        todo = []
        for k, r in enumerate(rows_):
            if not done[k] and r.a in index and r.b in index and index[r.a] != index[r.b]:
                todo.append((k, tuple(sorted((index[r.a], index[r.b])))))
                done[k] = True
        if todo:
            yield prep, todo


def _shared(rows_: list[Row], of) -> list[set[str]]:
    """``of(context, i) & of(context, j)`` for each row's two measures (empty for a row ``features`` finds
    unusable)."""
    out: list[set[str]] = [set() for _ in rows_]
    for prep, todo in _located(rows_):
        for k, (i, j) in todo:
            out[k] = of(prep.context, i) & of(prep.context, j)
    return out


def shared_grams(rows_: list[Row]) -> list[set[str]]:
    """The character 4-grams both sides of each row share: what the ``gram_lift_*`` features and their table
    (``pairmodel.word_lift`` over 4-grams) are computed from."""
    return _shared(rows_, lambda ctx, i: ctx.grams_of(i))


def shared_words(rows_: list[Row]) -> list[set[str]]:
    """The jieba words both sides of each row share: what the ``lift_*`` features and their word table
    (``pairmodel.word_lift``) are computed from."""
    return _shared(rows_, lambda ctx, i: ctx.words(i))
