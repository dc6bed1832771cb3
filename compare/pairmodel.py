"""The pair model: from what two measures share to a calibrated probability that they are the same measure.

Features of a candidate pair (``FEATURES``), all computed from the matching keys of the measures aligned
together:

- ``clause``, ``whole``, ``local``, ``coverage``: the similarity scores of ``align.score_pairs``;
- ``evidence``: specific shared wording, the sum of the weights ``ln(N/df)/ln(N/2)`` of the character 4-grams
  both keys contain; ``specific``: the same over the 4-grams that are not template wording;
- ``template``: the share of the shared 4-grams that are **template wording**, learned from the corpus: a
  4-gram that occurs in many unrelated (sub-)documents (``template_groups``) says nothing about a shared
  instrument (协助市人大常委会做好…, 各有关部门每季度报送…, 本条例自…起施行);
- ``run``: the weight of the most specific run of consecutive shared 4-grams (a named pilot, centre or
  platform buried in a long item still gives a long run);
- ``words``: the IDF mass of the jieba words both keys contain over the smaller side's IDF mass;
- ``len_ratio``, ``len_min``, ``len_max``: the keys' lengths;
- ``same_doc``: both in one document (a journal's summary restating its own reports, or a compilation);
- ``goal``, ``other_role``: how many sides are goals, or neither measure nor goal (``compare/roles.py``);
- ``heading``: how many sides are headings; ``title``: how many are short lines without a sentence (titles,
  signatures); ``stage``: one side done, the other planned;
- ``instrument``: the IDF mass of the shared jieba words that name an instrument (ending in 试点, 平台, 基金,
  清单…: ``data/instruments.txt``); ``word_cosine``: the cosine of the two keys' IDF-weighted word sets;
  ``sentence``: the largest share of one clause's specific wording that the other measure contains (a
  sentence found whole in a long item);
- ``rank_*``, ``top_*``, ``rivals_*`` (``rival_columns``): the pair among each side's other candidates in the other
  side's (sub-)document — how many of them share more specific wording with it (the rank, 0 for the best
  counterpart), this pair's specific wording over the best one's, and how many share any — the smaller and
  the larger of the two sides' figures. A plan's item and the one progress-report paragraph that is its only
  counterpart in that report stand out even when they share little; a paragraph that shares a few words with
  forty measures of the other document does not.
- ``lift_max``, ``lift_sum``, ``lift_min`` (``lift_columns``): what the labelled pairs taught about the words the
  two sides share. The model carries a word table (``word_lift``, learned when it is fitted): for each jieba word
  that the sides of a labelled pair shared, the log of how much likelier the pairs sharing it were to be the
  same measure than pairs in general (smoothed). A pair's columns are the largest, the sum of the positive and
  the smallest lift among its shared words that the table knows. A shared 技术转让所得税 or 单一窗口 weighs up,
  a shared 服务业 or 加强 weighs down; a word the table does not know counts for nothing.
- ``gram_lift_max``, ``gram_lift_sum``, ``gram_lift_min``: the same over the character 4-grams the two keys share,
  from the model's table of 4-grams (``gram_lift``; ``PairContext.gram_lift_vector`` finds them among the
  context's n-gram columns, ``kernels.shared_wording`` sums them): a named pilot that jieba cuts into pieces
  still weighs up. Only when the context's n-grams are 4-grams (``AlignConfig.evidence_n``); else 0.
- ``named``: one side quotes the title of the other's sub-document of the same document (``align.named_links``):
  a journal's summary report (关于“推进高精尖产业发展”，建议…) against a measure of the report of that title, whose
  recommendations it restates.

Gradient-boosted trees (``Trees``; the first model was a logistic regression, ``Linear``) give the
probability. The fitted model ships with the package as ``data/pair_model.json`` (every tree node by node,
the operating points, what it was fitted on); its
sha256 is stamped into every manifest. ``python benchmarks/fit_pair_model.py`` rebuilds it from the labelled
TSVs (scikit-learn is needed to fit, not to predict).
"""
from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse

from .arrays import distinct
from .keys import lexicon

MODEL_FILE = Path(__file__).resolve().parent / "data" / "pair_model.json"
FEATURES = ("clause", "whole", "local", "coverage", "evidence", "specific", "share", "rare", "template", "run",
            "words",
            "len_ratio", "len_min", "len_max", "same_doc", "goal", "other_role", "heading", "title", "stage",
            "instrument", "word_cosine", "sentence",
            "rank_min", "rank_max", "top_min", "top_max", "rivals_min", "rivals_max",
            "lift_max", "lift_sum", "lift_min",
            "gram_lift_max", "gram_lift_sum", "gram_lift_min", "named")
LIFT = ("lift_max", "lift_sum", "lift_min")   # computed with the model's word table (``word_lift``)
GRAM_LIFT = ("gram_lift_max", "gram_lift_sum", "gram_lift_min")   # with its table of shared 4-grams
GRAM_N = 4
LIFT_SMOOTHING = 5.0


def word_lift(shared: list[set[str]], match, *, smoothing: float = LIFT_SMOOTHING) -> dict[str, float]:
    """The word table of the ``lift_*`` features, learned from labelled pairs: for each jieba word that the two
    sides of at least one pair share (``shared``, one set a pair; ``match`` 0/1 a pair), the log of the share of
    true pairs among the pairs sharing it over the share among all pairs, both smoothed towards the latter
    (``smoothing`` pseudo-pairs). 技术转让所得税 shared by pairs readers call the same measure weighs up;
    加强, 推进 or 服务业 shared by pairs of different measures weigh down."""
    base = float(np.mean(match)) if len(match) else 0.0
    if base <= 0:
        return {}
    pos: dict[str, float] = {}
    tot: dict[str, float] = {}
    for words, y in zip(shared, match):
        for w in words:
            tot[w] = tot.get(w, 0.0) + 1.0
            pos[w] = pos.get(w, 0.0) + float(y)
    # multiples of 2**-20: any sum of a pair's lifts is exact, so its order (the vocabulary's) does not matter
    return {w: round(math.log((pos[w] + smoothing * base) / (tot[w] + smoothing) / base) * 2**20) / 2**20
            for w in sorted(tot)}


def lift_columns(shared: list[set[str]], table: dict[str, float]) -> np.ndarray:
    """The ``lift_max``, ``lift_sum`` (of the positive lifts) and ``lift_min`` of each pair's shared words that
    ``table`` knows (0, 0, 0 when it knows none): the obvious computation, which ``PairContext.feature_rows``
    does with sparse products, and what ``fit_pair_model`` computes for its training rows out of fold."""
    out = np.zeros((len(shared), 3))
    for n, words in enumerate(shared):
        lifts = sorted(table[w] for w in words if w in table)
        if lifts:
            out[n] = (lifts[-1], sum(v for v in lifts if v > 0), lifts[0])
    return out


def rival_columns(groups, pi: np.ndarray, pj: np.ndarray, specific: np.ndarray, rows=None, *,
                  dense: bool = False) -> np.ndarray:
    """The ``rank``, ``top`` and ``rivals`` columns (``rank_min`` … ``rivals_max``) of the pairs ``rows`` (all
    by default) among the pairs (pi[n], pj[n]) sharing ``specific`` wording (``kernels.shared_wording``). For
    each side of a pair, its measure's list is that of the given pairs in different groups that share specific
    wording with it and whose other side is in the other side's group: ``rank`` counts those that share more,
    ``top`` is this pair's figure over the list's best, ``rivals`` is the list's length. Given every candidate
    at once (all pairs that share such wording are candidates), a pair's figures do not depend on how the
    pairs are split into blocks or stages.

    The lists are one sorted array of codes: (measure, group) × the figure's rank among the distinct figures.
    Where measures × groups × figures would not fit in 62 bits (or with ``dense``), the (measure, group) is
    coded by its rank among those that have a list: the same figures, a little more work."""
    g = np.asarray(groups, dtype=np.int64)
    pi, pj = np.asarray(pi, dtype=np.int64), np.asarray(pj, dtype=np.int64)
    s = np.asarray(specific, dtype=np.float64)
    rows = np.arange(len(pi)) if rows is None else np.asarray(rows, dtype=np.int64)
    width = np.int64(int(g.max()) + 1 if len(g) else 1)
    member = np.flatnonzero((s > 0) & (g[pi] != g[pj]))
    keys = np.concatenate([pi[member] * width + g[pj[member]], pj[member] * width + g[pi[member]]])
    uvals, val_rank = np.unique(s[member], return_inverse=True)   # both sides of a pair share its figure
    val_rank = np.concatenate([val_rank, val_rank])
    del member
    span = np.int64(len(uvals) + 1)
    dense = dense or float(len(g)) * float(width) * float(span) >= 2.0 ** 62
    ukeys = None
    if dense:
        ukeys, keys = np.unique(keys, return_inverse=True)
    code = keys.astype(np.int64) * span + val_rank
    del keys, val_rank
    code.sort()
    v = s[rows]
    v_rank = np.searchsorted(uvals, v, "right")      # the codes above this pair's figure start here
    out = []
    for a, b in ((pi[rows], pj[rows]), (pj[rows], pi[rows])):
        key = a * width + g[b]
        listed = np.ones(len(key), dtype=bool)
        if ukeys is not None:
            at = np.minimum(np.searchsorted(ukeys, key), max(len(ukeys) - 1, 0))
            listed = ukeys[at] == key if len(ukeys) else ~listed
            key = at
        order = np.argsort(key, kind="stable")       # sorted needles: searchsorted walks the codes once
        base = key[order] * span
        lo = np.empty(len(key), dtype=np.int64)
        hi, above = lo.copy(), lo.copy()
        lo[order] = np.searchsorted(code, base, "left")
        hi[order] = np.searchsorted(code, base + span, "left")
        above[order] = np.searchsorted(code, base + v_rank[order], "left")
        count = np.where(listed, hi - lo, 0)
        rank = np.where(listed, hi - above, 0)      # not in the list (s is 0): every figure in it is above
        best = np.zeros(len(key))
        best[count > 0] = uvals[code[hi[count > 0] - 1] % span]
        top = np.where(v > 0, v / np.where(v > 0, np.maximum(best, v), 1.0), 0.0)
        out.append((rank.astype(np.float64), top, count.astype(np.float64)))
    (ra, ta, na), (rb, tb, nb) = out
    return np.column_stack([np.log1p(np.minimum(ra, rb)), np.log1p(np.maximum(ra, rb)), np.minimum(ta, tb),
                            np.maximum(ta, tb), np.log1p(np.minimum(na, nb)), np.log1p(np.maximum(na, nb))])


@dataclass(frozen=True)
class Linear:
    """A logistic regression over standardised features."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def raw(self, x: np.ndarray) -> np.ndarray:
        # feature by feature, element-wise: each row's value is the same whatever rows come with it, and never
        # lower when a feature moves the way its coefficient favours
        z = np.full(x.shape[0], self.intercept)
        for k in range(len(self.coef)):
            z = z + ((x[:, k] - self.mean[k]) / self.scale[k]) * self.coef[k]
        return z

    def direction(self, k: int) -> int:
        return 1 if self.coef[k] > 0 else -1


@dataclass(frozen=True)
class Trees:
    """Gradient-boosted regression trees (scikit-learn's HistGradientBoostingClassifier, exported node by
    node): the log-odds are ``baseline`` plus each tree's leaf value, tree after tree. ``monotonic[k]`` is +1
    (-1) where the fit constrained the model to grow (shrink) with feature k, 0 where it is free."""

    baseline: float
    feature: np.ndarray      # per node, over all trees (children are absolute node indices)
    threshold: np.ndarray    # a row goes left when its value is <= threshold
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    leaf: np.ndarray
    roots: np.ndarray        # each tree's first node
    depth: int
    monotonic: np.ndarray

    def raw(self, x: np.ndarray) -> np.ndarray:
        """The log-odds of each row: the baseline plus each tree's leaf value, tree after tree (so each row's
        value is the same whatever rows come with it). Every tree is evaluated at once by its leaf bitmasks
        (QuickScorer, Lucchese et al. 2015): a node whose test fails (value > threshold) rules out the leaves
        of its left subtree, and the row's leaf is the leftmost leaf no failed node rules out. For each feature
        the nodes testing it are sorted by threshold, so the nodes a row fails are a prefix, whose rule-outs
        are precomputed per tree; compiled (``kernels.leaf_sums``; ``tests/test_pair_model.py`` checks it
        against walking each tree)."""
        from . import kernels   # numba: imported where it is used

        if x.ndim != 2 or x.shape[1] < len(self.monotonic):
            raise ValueError(f"the trees need rows of {len(self.monotonic)} features, not {x.shape}")
        table, _ = self._tables
        return kernels.leaf_sums(x, self.baseline, table, self._packed)

    @cached_property
    def _packed(self) -> tuple:
        from . import kernels

        return kernels.pack_features(self._tables[1])

    def walk(self, x: np.ndarray) -> np.ndarray:
        """``raw`` the slow, obvious way: each row down each tree, node by node."""
        z = np.full(x.shape[0], self.baseline)
        for root in self.roots.tolist():
            leaf_values = np.empty(x.shape[0])
            for r in range(x.shape[0]):
                nd = root
                while not self.leaf[nd]:
                    nd = self.left[nd] if x[r, self.feature[nd]] <= self.threshold[nd] else self.right[nd]
                leaf_values[r] = self.value[nd]
            z = z + leaf_values
        return z

    @cached_property
    def _tables(self) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
        """(leaf values per tree in left-to-right order; per feature: its nodes' thresholds, sorted, and the
        leaves of each tree still possible after failing the first k of them, as bitmasks)."""
        trees = len(self.roots)
        values: list[list[float]] = []
        nodes: dict[int, list[tuple[float, int, int]]] = {}
        for t, root in enumerate(self.roots.tolist()):
            order: list[int] = []
            stack: list[tuple[int, bool]] = [(root, False)]
            left_mask: dict[int, int] = {}
            first_leaf: dict[int, int] = {}
            while stack:   # depth first, left before right: leaves numbered left to right
                nd, done = stack.pop()
                if self.leaf[nd]:
                    first_leaf[nd] = len(order)
                    order.append(nd)
                elif not done:
                    stack += [(nd, True), (int(self.right[nd]), False), (int(self.left[nd]), False)]
                else:
                    lo, hi = first_leaf[int(self.left[nd])], first_leaf[int(self.right[nd])]
                    first_leaf[nd] = lo
                    left_mask[nd] = ((1 << hi) - 1) & ~((1 << lo) - 1)   # the leaves of its left subtree
            if len(order) > 64:
                raise ValueError("a tree of the pair model has more than 64 leaves")
            values.append([float(self.value[nd]) for nd in order])
            for nd, m in left_mask.items():
                nodes.setdefault(int(self.feature[nd]), []).append((float(self.threshold[nd]), t, m))
        table = np.zeros((trees, max(len(v) for v in values)))
        for t, v in enumerate(values):
            table[t, :len(v)] = v
        feats = []
        for f in range(len(self.monotonic)):
            ns = sorted(nodes.get(f, []), key=lambda z: z[0])
            prefix = np.full((len(ns) + 1, trees), np.uint64(2**64 - 1), dtype=np.uint64)
            for k, (_, t, m) in enumerate(ns):
                prefix[k + 1] = prefix[k]
                prefix[k + 1, t] &= np.uint64(~m & (2**64 - 1))
            feats.append((np.asarray([z[0] for z in ns], dtype=np.float64), prefix))
        return table, feats

    def direction(self, k: int) -> int:
        if not self.monotonic[k]:
            raise ValueError(f"the pair model is not monotonic in feature {FEATURES[k]}: it cannot be bounded")
        return int(self.monotonic[k])


@dataclass(frozen=True)
class PairModel:
    """A fitted model (``Linear`` or ``Trees``) and its operating points."""

    features: tuple[str, ...]
    scorer: "Linear | Trees"
    min_probability: float       # the default operating point (precision first)
    review_probability: float    # the screening list (recall first)
    review_max_pairs: int
    meta: dict
    sha256: str
    word_lift: dict = field(default_factory=dict)   # the ``lift_*`` features' word table (``word_lift``)
    gram_lift: dict = field(default_factory=dict)   # the ``gram_lift_*`` features' table of 4-grams
    named: tuple[float, float] | None = None         # (intercept, slope): ``probability`` of the named pairs

    def probability(self, x: np.ndarray) -> np.ndarray:
        """The probability of each row of features. With ``named`` (since the fourteenth model), a pair whose
        ``named`` feature is 1 (one side quotes the title of the other's sub-document: a journal's summary and
        one of its reports) has ``1 / (1 + exp(-(intercept + slope * raw)))``: a logistic regression of the
        labels of the named rows of the stratified sets (292 for the forty-first, weighted by stratum) on their
        out-of-fold raw scores (without it, the thirteenth model put those the summary restates in
        paraphrase near 0.005 where one in eight is true).
        The slope is positive, so the probability still only grows with each monotonic feature."""
        if x.shape[0] == 0:
            return np.zeros(0)
        x = np.asarray(x, dtype=np.float64)[:, :len(self.features)]
        raw = self.scorer.raw(x)
        if self.named is not None:
            a, b = self.named
            raw = np.where(x[:, self.features.index("named")] > 0, a + b * raw, raw)
        return 1.0 / (1.0 + np.exp(-raw))

    def highest(self, x: np.ndarray, free: dict[str, tuple[float, float]]) -> np.ndarray:
        """An upper bound of each row's probability when the features named in ``free`` are not known yet,
        only their range (low, high): each is set to the end of its range the model favours (the model is
        monotonic in each of them; the bound holds exactly, also in floating point)."""
        x = np.array(x, dtype=np.float64, copy=True)
        for name, (low, high) in free.items():
            k = self.features.index(name)
            x[:, k] = high if self.scorer.direction(k) > 0 else low
        return self.probability(x)

    @classmethod
    def from_json(cls, data: bytes) -> "PairModel":
        d = json.loads(data.decode("utf-8"))
        if tuple(d["features"]) != FEATURES[:len(d["features"])]:   # an older model uses the first features
            raise ValueError("the pair model was fitted on other features: rebuild it "
                             "(python benchmarks/fit_pair_model.py)")
        if d["format"] == "policy-compare pair model 1":
            scorer = Linear(np.asarray(d["mean"], float), np.asarray(d["scale"], float),
                            np.asarray(d["coef"], float), float(d["intercept"]))
        elif d["format"] == "policy-compare pair model 2":
            t = d["trees"]
            scorer = Trees(float(t["baseline"]), np.asarray(t["feature"], np.int64),
                           np.asarray(t["threshold"], float), np.asarray(t["left"], np.int64),
                           np.asarray(t["right"], np.int64), np.asarray(t["value"], float),
                           np.asarray(t["leaf"], bool), np.asarray(t["roots"], np.int64), int(t["depth"]),
                           np.asarray(t["monotonic"], np.int64))
        else:
            raise ValueError(f"unknown pair model format {d['format']!r}")
        lift = d.get("word_lift", {"words": [], "lift": []})
        grams = d.get("gram_lift", {"grams": [], "lift": []})
        named = d.get("named")
        if named is not None and not float(named["slope"]) > 0:
            raise ValueError("the pair model's named pairs need a positive slope: rebuild it "
                             "(python benchmarks/fit_pair_model.py)")
        if named is not None and "named" not in d["features"]:
            raise ValueError("the pair model calibrates named pairs but has no named feature: rebuild it "
                             "(python benchmarks/fit_pair_model.py)")
        return cls(tuple(d["features"]), scorer, float(d["min_probability"]), float(d["review_probability"]),
                   int(d["review_max_pairs"]), d.get("meta", {}), hashlib.sha256(data).hexdigest()[:16],
                   dict(zip(lift["words"], (float(v) for v in lift["lift"]))),
                   dict(zip(grams["grams"], (float(v) for v in grams["lift"]))),
                   None if named is None else (float(named["intercept"]), float(named["slope"])))


@lru_cache(maxsize=2)
def load(path: Path = MODEL_FILE) -> PairModel:
    return PairModel.from_json(path.read_bytes())


# ---------------------------------------------------------------------------------------------- features
@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def _words(text: str) -> set[str]:
    """The jieba words (2 characters or more) of one text: the reference for ``word_sets``."""
    return {w for w in _jieba().lcut(text, HMM=False) if len(w) >= 2}


def _cutter():
    """jieba's dictionary as a trie for ``word_sets``, built once per process (about a second) and again when
    the dictionary has changed size (``jieba.add_word``, ``load_userdict``: the trie follows them)."""
    dt = _jieba().dt
    return _trie(id(dt.FREQ), len(dt.FREQ), dt.total)


@lru_cache(maxsize=1)
def _trie(_freq: int, _size: int, _total: int):
    from .kernels import WordCutter

    dt = _jieba().dt
    return WordCutter(dt.FREQ, dt.total)


def word_sets(texts: list[str]) -> list[set[str]]:
    """``[_words(t) for t in texts]``, the same sets, compiled (``kernels.WordCutter``: jieba's dictionary and
    route, 8.4 times faster than jieba's Python loops on 21,000 lawref texts). ``PairContext`` takes them as a
    matrix."""
    vocab, indptr, indices = _cutter().matrix(texts)
    return [{vocab[k] for k in indices[a:b].tolist()} for a, b in zip(indptr[:-1].tolist(), indptr[1:].tolist())]


class PairContext:
    """What the features of any pair among ``keys`` need: 4-gram weights and template 4-grams, word IDFs."""

    def __init__(self, key_texts: list[str], groups: list[int], grams, *, template_groups: int, rare_df: int = 6,
                 clauses: list | None = None):
        self.texts = key_texts
        self.grams = grams
        m = grams.matrix
        # in how many distinct (sub-)documents each 4-gram occurs
        g = np.asarray(groups, dtype=np.int64)
        rows = np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))
        width = np.int64(int(g.max()) + 1 if len(g) else 1)
        seen = distinct(m.indices.astype(np.int64) * width + g[rows])   # each (4-gram, group) once
        del rows
        gdf = np.bincount(seen // width, minlength=m.shape[1])
        del seen
        self.template = gdf >= template_groups
        self.specific_weight = np.where(self.template, 0.0, grams.weight)
        self.rare = ((np.bincount(m.indices, minlength=m.shape[1]) <= rare_df) & ~self.template).astype(np.float32)
        self.specific_mass = np.asarray(m.multiply(self.specific_weight).sum(axis=1)).ravel()
        # measures × jieba words (0/1: ``word_sets``) and each word's IDF: the shared words' mass of many pairs
        # at once (``words(i)`` reads a key's words back from the matrix)
        self.vocab, indptr, indices = _cutter().matrix(key_texts)
        counts = np.diff(indptr)
        width = np.int64(max(1, len(self.vocab)))
        df = np.bincount(indices, minlength=len(self.vocab)).tolist()
        n = max(2, len(key_texts))
        idf = [math.log(n / c) for c in df]
        self.idf = dict(zip(self.vocab, idf))
        self.word_matrix = sparse.csr_matrix((np.ones(len(indices), dtype=np.float64), indices, indptr),
                                             shape=(len(counts), int(width)))
        self.word_idf = np.asarray(idf or [0.0], dtype=np.float64)
        # words naming an instrument (…试点, …平台, …基金: data/instruments.txt) and each key's word-vector norm
        suffixes = lexicon("instruments")
        self.instrument_idf = np.asarray([v if w.endswith(suffixes) else 0.0 for w, v in zip(self.vocab, idf)]
                                         or [0.0])
        squares = np.asarray([v ** 2 for v in idf] or [0.0])[indices].tolist()
        values = self.word_idf[indices].tolist()
        bounds = list(zip(indptr[:-1].tolist(), indptr[1:].tolist()))
        self.word_norm = np.sqrt(np.asarray([math.fsum(squares[a:b]) for a, b in bounds]))   # order-free sums
        self.word_mass = np.asarray([math.fsum(values[a:b]) for a, b in bounds])
        del squares, values, bounds
        # the clause (sentence) of each n-gram position of each key, -1 where an n-gram crosses clauses
        self.pos_clause = np.full(len(grams.seq), -1, dtype=np.int32)
        self.clause_count = np.zeros(len(key_texts), dtype=np.int64)
        for k, spans in enumerate(clauses or [[(0, len(t))] for t in key_texts]):
            base = int(grams.seq_start[k])
            size = int(grams.seq_start[k + 1]) - base
            for c, (cs, ce) in enumerate(spans):
                lo, hi = cs, min(ce - grams.n + 1, size)
                if hi > lo:
                    self.pos_clause[base + lo:base + hi] = c
            self.clause_count[k] = len(spans)
        # a line without a sentence of its own: a title, a heading, a signature
        self.title_like = np.asarray([len(t) <= 60 and not any(c in t for c in "。;") for t in key_texts], dtype=bool)
        self.lengths = np.asarray([len(t) for t in key_texts], dtype=np.float64)
        from . import kernels   # numba: imported where it is used (0.3 s)

        none = np.zeros(0, dtype=np.int64)
        kernels.runs_and_sentences(self, none, none)   # compiled (or loaded from numba's cache) before any fork
        kernels.shared_wording(self, none, none)

    def lift_vector(self, model: "PairModel") -> np.ndarray:
        """The model's word table (``word_lift``) over this context's vocabulary: nan where it knows no lift."""
        cache = self.__dict__.setdefault("_lift", {})
        if model.sha256 not in cache:
            table = model.word_lift
            cache[model.sha256] = np.asarray([table.get(w, np.nan) for w in self.vocab] or [np.nan], dtype=np.float64)
        return cache[model.sha256]

    def gram_lift_vector(self, model: "PairModel") -> np.ndarray:
        """The model's table of 4-grams (``gram_lift``) over this context's n-gram columns: nan where it knows
        no lift (every column, when the context's n-grams are not 4-grams)."""
        cache = self.__dict__.setdefault("_gram_lift", {})
        if model.sha256 not in cache:
            out = np.full(self.grams.matrix.shape[1], np.nan)
            if model.gram_lift and self.grams.n == GRAM_N:
                grams = list(model.gram_lift)
                cols = self.grams.columns_of(grams)
                found = cols >= 0
                out[cols[found]] = np.asarray([model.gram_lift[g] for g in grams])[found]
            cache[model.sha256] = out
        return cache[model.sha256]

    def grams_of(self, i: int) -> set[str]:
        """The character n-grams of key i (those of the ``gram_lift_*`` features)."""
        t, n = self.texts[i], self.grams.n
        return {t[s:s + n] for s in range(len(t) - n + 1)}

    def words(self, i: int) -> set[str]:
        """The jieba words (2 characters or more) of key i."""
        m = self.word_matrix
        return {self.vocab[k] for k in m.indices[m.indptr[i]:m.indptr[i + 1]].tolist()}

    def features(self, pairs: list[tuple[int, int]], scores: dict, *, same_doc, roles: list[str],
                 kinds: list[str], stages, rivals: np.ndarray, lift: np.ndarray | None = None,
                 gram_lift: np.ndarray | None = None, named=None) -> np.ndarray:
        """One row of ``FEATURES`` per pair (``scores``: align.Score of each pair; ``same_doc`` and ``stages``:
        one flag per pair; ``rivals``: their ``rival_columns``; ``lift``, ``gram_lift``: as for
        ``feature_rows``)."""
        if not pairs:
            return np.zeros((0, len(FEATURES)))
        sc = [scores[p] for p in pairs]
        col = lambda f: np.fromiter((getattr(s, f) for s in sc), dtype=np.float64, count=len(sc))  # noqa: E731
        return self.feature_rows(np.asarray([p[0] for p in pairs], dtype=np.int64),
                                 np.asarray([p[1] for p in pairs], dtype=np.int64),
                                 clause=col("clause"), whole=col("whole"), local=col("local"),
                                 coverage=col("coverage"), same_doc=same_doc, roles=roles, kinds=kinds, stages=stages,
                                 rivals=rivals, lift=lift, gram_lift=gram_lift, named=named)

    def feature_rows(self, pi: np.ndarray, pj: np.ndarray, *, clause, whole, local, coverage, same_doc,
                     roles: list[str], kinds: list[str], stages, rivals: np.ndarray,
                     lift: np.ndarray | None = None, gram_lift: np.ndarray | None = None,
                     named=None) -> np.ndarray:
        """``features`` of the pairs (pi[n], pj[n]) from arrays of their scores (0-100; ``coverage`` 0-1),
        computed a block of pairs at a time (sparse products and ``compare.kernels``): the same rows in any
        block. ``lift``: the word table over the vocabulary (``lift_vector``), ``gram_lift``: the table of 4-grams
        over the n-gram columns (``gram_lift_vector``); the shipped model's by default. ``named``: 1 where one
        side names the other's sub-document (``align.named_of``), 0 when not given."""
        k = len(pi)
        if not k:
            return np.zeros((0, len(FEATURES)))
        from . import kernels

        lift = self.lift_vector(load()) if lift is None else lift
        gram_lift = self.gram_lift_vector(load()) if gram_lift is None else gram_lift
        lift_max, lift_sum, lift_min = np.zeros(k), np.zeros(k), np.zeros(k)
        glift_max, glift_sum, glift_min = np.zeros(k), np.zeros(k), np.zeros(k)

        evidence, specific, template, rare, run, mass, inst, wdot, sent = (np.zeros(k) for _ in range(9))
        wm = self.word_matrix
        step = 50_000
        for lo in range(0, k, step):
            a, b = pi[lo:lo + step], pj[lo:lo + step]
            (evidence[lo:lo + step], specific[lo:lo + step], rare[lo:lo + step], template[lo:lo + step],
             glift_max[lo:lo + step], glift_sum[lo:lo + step], glift_min[lo:lo + step]) = \
                kernels.shared_wording(self, a, b, gram_lift)
            run[lo:lo + step], sent_a = kernels.runs_and_sentences(self, a, b)
            sent[lo:lo + step] = np.maximum(sent_a, kernels.runs_and_sentences(self, b, a)[1])
            words = wm[a].multiply(wm[b]).tocsr()
            mass[lo:lo + step] = words @ self.word_idf
            lift_max[lo:lo + step], lift_sum[lo:lo + step], lift_min[lo:lo + step] = _lift_of(words, lift)
            inst[lo:lo + step] = words @ self.instrument_idf
            wdot[lo:lo + step] = words @ (self.word_idf ** 2)
        la, lb = self.lengths[pi], self.lengths[pj]
        lo_len, hi_len = np.minimum(la, lb), np.maximum(la, lb)
        role = np.asarray(roles, dtype=object)
        goal = (role == "goal").astype(float)
        other = (~np.isin(role, ["measure", "goal"])).astype(float)
        heading = (np.asarray(kinds, dtype=object) == "heading").astype(float)
        title = self.title_like.astype(float)
        denom = np.minimum(self.word_mass[pi], self.word_mass[pj])
        denom[denom == 0] = 1.0
        norms = self.word_norm[pi] * self.word_norm[pj]
        return snap(np.column_stack([
            np.asarray(clause, dtype=np.float64) / 100, np.asarray(whole, dtype=np.float64) / 100,
            np.asarray(local, dtype=np.float64) / 100, np.asarray(coverage, dtype=np.float64),
            np.log1p(evidence), np.log1p(specific),
            specific / np.maximum(np.minimum(self.specific_mass[pi], self.specific_mass[pj]), 1.0), np.log1p(rare),
            template, np.log1p(run),
            mass / denom, lo_len / np.maximum(hi_len, 1), np.log1p(lo_len), np.log1p(hi_len),
            np.asarray(same_doc, dtype=float), goal[pi] + goal[pj], other[pi] + other[pj],
            heading[pi] + heading[pj], title[pi] + title[pj], np.asarray(stages, dtype=float),
            np.log1p(inst), np.where(norms > 0, wdot / np.where(norms > 0, norms, 1.0), 0.0), sent,
            np.asarray(rivals, dtype=np.float64).reshape(k, 6),
            lift_max, lift_sum, lift_min,
            glift_max, glift_sum, glift_min,
            np.zeros(k) if named is None else np.asarray(named, dtype=np.float64),
        ]))


GRID = 2.0 ** -24


def snap(x: np.ndarray) -> np.ndarray:
    """``x`` rounded to multiples of ``GRID`` (6e-8). NumPy computes ``log1p`` and its kin with the machine's
    widest SIMD instructions, and AVX-512 and AVX2 differ in the last bit: without the snap, the same labelled
    pairs fitted different trees on different processors. A difference of one bit crosses a multiple of the grid
    for about one value in ten million; the rounding is monotonic, so the aligner's bounds still hold."""
    return np.round(x / GRID) * GRID


def _lift_of(words, lift: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``lift_columns`` of the pairs whose shared words are the rows of ``words`` (0/1, CSR): the largest, the
    sum of the positive and the smallest lift of the words the table knows; 0, 0, 0 where it knows none."""
    n = words.shape[0]
    words.sort_indices()
    rows = np.repeat(np.arange(n), np.diff(words.indptr))
    values = lift[words.indices] if len(words.indices) else np.zeros(0)
    known = ~np.isnan(values)
    rows, values = rows[known], values[known]
    high, low = np.full(n, -np.inf), np.full(n, np.inf)
    np.maximum.at(high, rows, values)
    np.minimum.at(low, rows, values)
    total = np.bincount(rows, weights=np.maximum(values, 0.0), minlength=n)   # exact: lifts are multiples of 2**-20
    seen = np.isfinite(high)
    return np.where(seen, high, 0.0), total, np.where(seen, low, 0.0)
