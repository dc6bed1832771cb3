"""The baseline a researcher would otherwise use: TF-IDF over character 1–2-grams of sentences, cosine.

A pair of measures scores the best cosine between any sentence of one and any sentence of the other
(sentences: split on 。；！？, punctuation and spaces removed; no region or boilerplate removal, no numeral
folding). Used by ``benchmarks/align_quality.py``.
"""
from __future__ import annotations

import re

import numpy as np
from scipy import sparse

_SPLIT = re.compile(r"[。;!?；！？\n]+")
_DROP = re.compile(r"[\s\W_]", re.UNICODE)


def sentences(text: str) -> list[str]:
    out = [_DROP.sub("", s) for s in _SPLIT.split(text)]
    return [s for s in out if len(s) >= 2] or [_DROP.sub("", text)]


def _vectors(texts: list[str]) -> sparse.csr_matrix:
    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for r, t in enumerate(texts):
        counts: dict[int, int] = {}
        for g in list(t) + [t[i:i + 2] for i in range(len(t) - 1)]:
            j = vocab.setdefault(g, len(vocab))
            counts[j] = counts.get(j, 0) + 1
        for j, c in counts.items():
            rows.append(r)
            cols.append(j)
            vals.append(float(c))
    x = sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), max(1, len(vocab))))
    df = np.bincount(x.indices, minlength=x.shape[1])
    idf = np.log((1 + x.shape[0]) / (1 + df)) + 1.0
    x = x.multiply(idf).tocsr()
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return (sparse.diags(1.0 / norms) @ x).tocsr()


class SentenceTfidf:
    """Fit on the texts of all measures; ``score(i, j)`` is the best sentence cosine of measures i and j."""

    def __init__(self, texts: list[str]):
        self.owner: list[int] = []
        sents: list[str] = []
        for i, t in enumerate(texts):
            for s in sentences(t):
                sents.append(s)
                self.owner.append(i)
        self.x = _vectors(sents)
        self.rows: dict[int, list[int]] = {}
        for r, o in enumerate(self.owner):
            self.rows.setdefault(o, []).append(r)

    def score(self, i: int, j: int) -> float:
        a = self.x[self.rows[i]]
        b = self.x[self.rows[j]]
        return float((a @ b.T).max()) if a.shape[0] and b.shape[0] else 0.0
