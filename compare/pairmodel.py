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

    def __init__(self, key_texts: list[str], groups: list[int], grams, *, template_groups: int, rare_df: int = 6):
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
        from . import progress

        words = [_words(t) for t in progress.bar(key_texts, desc="words", unit="measure")]
        df: dict[str, int] = {}
        for ws in words:
            for w in ws:
                df[w] = df.get(w, 0) + 1
        n = max(2, len(key_texts))
        self.idf = {w: math.log(n / c) for w, c in df.items()}
        self.words = words
        # a line without a sentence of its own: a title, a heading, a signature
        self.title_like = [len(t) <= 60 and not any(c in t for c in "。;") for t in key_texts]
        self.word_mass = [math.fsum(self.idf[w] for w in sorted(ws)) for ws in words]   # order-free sums

    def _run(self, i: int, j: int) -> float:
        g = self.grams
        seq = g.seq[g.seq_start[i]:g.seq_start[i + 1]]
        if len(seq) == 0:
            return 0.0
        other = g.matrix.indices[g.matrix.indptr[j]:g.matrix.indptr[j + 1]]
        hit = np.isin(seq, other)
        w = np.where(hit, self.specific_weight[seq], 0.0)
        best = cur = 0.0
        for h, x in zip(hit.tolist(), w.tolist()):
            cur = cur + x if h else 0.0
            best = max(best, cur)
        return best

    def features(self, pairs: list[tuple[int, int]], scores: dict, *, same_doc: list[bool], roles: list[str],
                 kinds: list[str], stages: dict) -> np.ndarray:
        """One row of ``FEATURES`` per pair (``scores``: align.Score of each pair)."""
        if not pairs:
            return np.zeros((0, len(FEATURES)))
        m = self.grams.matrix
        pi = np.asarray([p[0] for p in pairs], dtype=np.int64)
        pj = np.asarray([p[1] for p in pairs], dtype=np.int64)
        evidence = np.zeros(len(pairs))
        specific = np.zeros(len(pairs))
        template = np.zeros(len(pairs))
        rare = np.zeros(len(pairs))
        step = 50_000
        for lo in range(0, len(pairs), step):
            both = m[pi[lo:lo + step]].multiply(m[pj[lo:lo + step]]).tocsr()
            evidence[lo:lo + step] = np.asarray(both.multiply(self.grams.weight).sum(axis=1)).ravel()
            specific[lo:lo + step] = np.asarray(both.multiply(self.specific_weight).sum(axis=1)).ravel()
            shared = np.asarray(both.sum(axis=1)).ravel()
            rare[lo:lo + step] = np.asarray(both.multiply(self.rare).sum(axis=1)).ravel()
            tmpl = np.asarray(both.multiply(self.template.astype(np.float32)).sum(axis=1)).ravel()
            template[lo:lo + step] = np.where(shared > 0, tmpl / np.maximum(shared, 1), 0.0)
        rows = []
        for n, (i, j) in enumerate(pairs):
            sc = scores[(i, j)]
            la, lb = len(self.texts[i]), len(self.texts[j])
            shared_words = self.words[i] & self.words[j]
            mass = math.fsum(self.idf[w] for w in sorted(shared_words))
            denom = min(self.word_mass[i], self.word_mass[j]) or 1.0
            ra, rb = roles[i], roles[j]
            rows.append((
                sc.clause / 100, sc.whole / 100, sc.local / 100, sc.coverage,
                math.log1p(evidence[n]), math.log1p(specific[n]),
                specific[n] / max(min(self.specific_mass[i], self.specific_mass[j]), 1.0), math.log1p(rare[n]),
                template[n], math.log1p(self._run(i, j)),
                mass / denom, min(la, lb) / max(la, lb, 1), math.log1p(min(la, lb)), math.log1p(max(la, lb)),
                float(same_doc[n]), float((ra == "goal") + (rb == "goal")),
                float((ra not in ("measure", "goal")) + (rb not in ("measure", "goal"))),
                float((kinds[i] == "heading") + (kinds[j] == "heading")),
                float(self.title_like[i] + self.title_like[j]), float(stages.get((i, j), False)),
            ))
        return np.asarray(rows, dtype=float)
