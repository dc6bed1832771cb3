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
  signatures); ``stage``: one side done, the other planned.

A logistic regression over standardised features gives the probability. The fitted model ships with the
package as ``data/pair_model.json`` (coefficients, scaling, operating points, what it was fitted on); its
sha256 is stamped into every manifest. ``python benchmarks/fit_pair_model.py`` rebuilds it from the labelled
TSVs (scikit-learn is needed to fit, not to predict).
"""
from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse

MODEL_FILE = Path(__file__).resolve().parent / "data" / "pair_model.json"
FEATURES = ("clause", "whole", "local", "coverage", "evidence", "specific", "share", "rare", "template", "run",
            "words",
            "len_ratio", "len_min", "len_max", "same_doc", "goal", "other_role", "heading", "title", "stage")


@dataclass(frozen=True)
class PairModel:
    """A fitted logistic regression and its operating points."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    min_probability: float       # the default operating point (precision first)
    review_probability: float    # the screening list (recall first)
    review_max_pairs: int
    meta: dict
    sha256: str

    def probability(self, x: np.ndarray) -> np.ndarray:
        if x.shape[0] == 0:
            return np.zeros(0)
        z = ((x - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    @classmethod
    def from_json(cls, data: bytes) -> "PairModel":
        d = json.loads(data.decode("utf-8"))
        if tuple(d["features"]) != FEATURES:
            raise ValueError("the pair model was fitted on other features: rebuild it "
                             "(python benchmarks/fit_pair_model.py)")
        return cls(tuple(d["features"]), np.asarray(d["mean"], float), np.asarray(d["scale"], float),
                   np.asarray(d["coef"], float), float(d["intercept"]), float(d["min_probability"]),
                   float(d["review_probability"]), int(d["review_max_pairs"]), d.get("meta", {}),
                   hashlib.sha256(data).hexdigest()[:16])


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
    return {w for w in _jieba().lcut(text, HMM=False) if len(w) >= 2}


class PairContext:
    """What the features of any pair among ``keys`` need: 4-gram weights and template 4-grams, word IDFs."""

    def __init__(self, key_texts: list[str], groups: list[int], grams, *, template_groups: int, rare_df: int = 6,
                 workers=1):
        self.texts = key_texts
        self.grams = grams
        m = grams.matrix
        # in how many distinct (sub-)documents each 4-gram occurs
        g = np.asarray(groups, dtype=np.int64)
        rows = np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))
        pairs = np.unique(np.stack([m.indices.astype(np.int64), g[rows]]), axis=1)
        gdf = np.bincount(pairs[0], minlength=m.shape[1])
        self.template = gdf >= template_groups
        self.specific_weight = np.where(self.template, 0.0, grams.weight)
        self.rare = ((np.bincount(m.indices, minlength=m.shape[1]) <= rare_df) & ~self.template).astype(np.float32)
        self.specific_mass = np.asarray(m.multiply(self.specific_weight).sum(axis=1)).ravel()
        from . import parallel

        words = parallel.map_ordered(_words, key_texts, workers=workers, desc="words", unit="measure")
        df: dict[str, int] = {}
        for ws in words:
            for w in ws:
                df[w] = df.get(w, 0) + 1
        n = max(2, len(key_texts))
        self.idf = {w: math.log(n / c) for w, c in df.items()}
        self.words = words
        # measures × words (0/1) and each word's IDF: the shared words' mass of many pairs at once
        vocab = {w: k for k, w in enumerate(sorted(df))}
        indptr = np.concatenate(([0], np.cumsum([len(ws) for ws in words]))).astype(np.int64)
        indices = np.fromiter((vocab[w] for ws in words for w in sorted(ws)), dtype=np.int64, count=int(indptr[-1]))
        self.word_matrix = sparse.csr_matrix((np.ones(len(indices), dtype=np.float64), indices, indptr),
                                             shape=(len(words), max(1, len(vocab))))
        self.word_idf = np.zeros(max(1, len(vocab)))
        for w, k in vocab.items():
            self.word_idf[k] = self.idf[w]
        # a line without a sentence of its own: a title, a heading, a signature
        self.title_like = np.asarray([len(t) <= 60 and not any(c in t for c in "。;") for t in key_texts], dtype=bool)
        self.word_mass = np.asarray([math.fsum(self.idf[w] for w in sorted(ws)) for ws in words])  # order-free
        self.lengths = np.asarray([len(t) for t in key_texts], dtype=np.float64)

    def _runs(self, pi: np.ndarray, both: sparse.csr_matrix) -> np.ndarray:
        """For each pair (pi[n], ·) whose shared n-grams are row n of ``both``: the weight of the most specific
        run of consecutive n-grams of pi[n]'s key that the other key contains too (template n-grams weigh 0 and
        do not break a run)."""
        g = self.grams
        out = np.zeros(len(pi))
        starts, lens = g.seq_start[pi], g.seq_start[pi + 1] - g.seq_start[pi]
        total = int(lens.sum())
        if total == 0:
            return out
        first = np.cumsum(lens) - lens                      # where each pair's sequence starts in the concatenation
        pair_of = np.repeat(np.arange(len(pi), dtype=np.int64), lens)
        offs = np.arange(total, dtype=np.int64) - first[pair_of]
        seq = g.seq[starts[pair_of] + offs].astype(np.int64)
        ncols = np.int64(g.matrix.shape[1])
        shared = np.repeat(np.arange(both.shape[0], dtype=np.int64), np.diff(both.indptr)) * ncols + both.indices
        shared.sort()
        codes = pair_of * ncols + seq
        at = np.minimum(np.searchsorted(shared, codes), max(len(shared) - 1, 0))
        hit = (shared[at] == codes) if len(shared) else np.zeros(total, dtype=bool)
        w = np.where(hit, self.specific_weight[seq], 0.0)
        cs = np.cumsum(w)
        # a run restarts at a pair's first n-gram and after every n-gram the other key lacks
        mark = np.where(~hit | (offs == 0), np.arange(total), 0)
        last = np.maximum.accumulate(mark)
        run = cs - (cs[last] - w[last])
        run[~hit] = 0.0
        has = lens > 0
        out[has] = np.maximum.reduceat(run, first[has])
        return np.maximum(out, 0.0)

    def features(self, pairs: list[tuple[int, int]], scores: dict, *, same_doc, roles: list[str],
                 kinds: list[str], stages) -> np.ndarray:
        """One row of ``FEATURES`` per pair (``scores``: align.Score of each pair; ``same_doc`` and ``stages``:
        one flag per pair), computed a block of pairs at a time with sparse products."""
        if not pairs:
            return np.zeros((0, len(FEATURES)))
        m = self.grams.matrix
        pi = np.asarray([p[0] for p in pairs], dtype=np.int64)
        pj = np.asarray([p[1] for p in pairs], dtype=np.int64)
        k = len(pairs)
        evidence, specific, template, rare, run, mass = (np.zeros(k) for _ in range(6))
        wm = self.word_matrix
        step = 50_000
        for lo in range(0, k, step):
            a, b = pi[lo:lo + step], pj[lo:lo + step]
            both = m[a].multiply(m[b]).tocsr()
            both.sort_indices()
            evidence[lo:lo + step] = np.asarray(both.multiply(self.grams.weight).sum(axis=1)).ravel()
            specific[lo:lo + step] = np.asarray(both.multiply(self.specific_weight).sum(axis=1)).ravel()
            shared = np.asarray(both.sum(axis=1)).ravel()
            rare[lo:lo + step] = np.asarray(both.multiply(self.rare).sum(axis=1)).ravel()
            tmpl = np.asarray(both.multiply(self.template.astype(np.float32)).sum(axis=1)).ravel()
            template[lo:lo + step] = np.where(shared > 0, tmpl / np.maximum(shared, 1), 0.0)
            run[lo:lo + step] = self._runs(a, both)
            mass[lo:lo + step] = wm[a].multiply(wm[b]) @ self.word_idf
        sc = [scores[p] for p in pairs]
        col = lambda f: np.fromiter((getattr(s, f) for s in sc), dtype=np.float64, count=k)  # noqa: E731
        la, lb = self.lengths[pi], self.lengths[pj]
        lo_len, hi_len = np.minimum(la, lb), np.maximum(la, lb)
        role = np.asarray(roles, dtype=object)
        goal = (role == "goal").astype(float)
        other = (~np.isin(role, ["measure", "goal"])).astype(float)
        heading = (np.asarray(kinds, dtype=object) == "heading").astype(float)
        title = self.title_like.astype(float)
        denom = np.minimum(self.word_mass[pi], self.word_mass[pj])
        denom[denom == 0] = 1.0
        return np.column_stack([
            col("clause") / 100, col("whole") / 100, col("local") / 100, col("coverage"),
            np.log1p(evidence), np.log1p(specific),
            specific / np.maximum(np.minimum(self.specific_mass[pi], self.specific_mass[pj]), 1.0), np.log1p(rare),
            template, np.log1p(run),
            mass / denom, lo_len / np.maximum(hi_len, 1), np.log1p(lo_len), np.log1p(hi_len),
            np.asarray(same_doc, dtype=float), goal[pi] + goal[pj], other[pi] + other[pj],
            heading[pi] + heading[pj], title[pi] + title[pj], np.asarray(stages, dtype=float),
        ])
