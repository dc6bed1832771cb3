"""Candidate pairs without comparing all pairs: a clause-level TF-IDF index of character bigrams.

Every measure key is cut into its clauses (sentences); each clause is a sparse TF-IDF vector of characters
and character bigrams (those in more than ``max_df`` of the clauses are dropped: they say nothing and would make the
products dense). For each clause the ``top_k`` most similar clauses of other documents (cosine ≥
``min_cosine``) are found by sparse matrix products over chunks of rows; two measures are a candidate pair
when any of their clauses are. Work grows with the corpus times the number of clauses that share a
discriminating bigram, not with the square of the corpus. ``tests/test_align.py`` checks its recall
against brute-force scoring of all pairs on real measures. Series mode uses these pairs; cross mode uses the
whole keys only (``whole_only``: near-duplicate measures) next to the pairs that share specific wording
(``align.candidate_set``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .arrays import characters, distinct, union
from .keys import Key


DENSE_TOKENS = 1 << 25   # token_counts numbers tokens with a table of this many entries at most (128 MB)


@dataclass(frozen=True, kw_only=True)
class BlockingConfig:
    top_k: int = 40
    min_cosine: float = 0.10
    max_df: float = 0.10          # drop features in more than this share of the clauses…
    max_df_count: int = 2000      # …or in more than this many (keeps the work linear on large corpora)
    min_clause_chars: int = 4
    chunk_rows: int = 1024
    unigrams: bool = True         # characters as features too, not only bigrams


def tfidf(texts: list[str], *, max_df: float, max_df_count: int | None = None, unigrams: bool = False,
          sublinear: bool = True) -> sparse.csr_matrix:
    """L2-normalised TF-IDF rows over character bigrams (and characters, with ``unigrams``)."""
    x = token_counts(texts, unigrams=unigrams)
    df = np.bincount(x.indices, minlength=x.shape[1])
    n = max(1, x.shape[0])
    idf = np.log((1 + n) / (1 + df)) + 1.0
    cap = max(100, max_df * n)  # a small corpus keeps every feature
    if max_df_count is not None:
        cap = min(cap, max_df_count)
    idf[df > cap] = 0.0
    x = x.multiply(idf).tocsr()
    if sublinear:
        x.data = np.log1p(x.data)
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    x = sparse.diags(1.0 / norms) @ x
    x.eliminate_zeros()
    return x.tocsr()


def token_counts(texts: list[str], *, unigrams: bool = False, dense: int = DENSE_TOKENS) -> sparse.csr_matrix:
    """Texts × tokens counts: each text's character bigrams (a one-character text: that character), and with
    ``unigrams`` its characters too. Columns are numbered in the order the tokens first occur, text by text
    (a text's characters, then its bigrams), as a dictionary filled while reading the texts would number them
    (``tests/test_align.py`` checks it against that loop). The work is done on arrays of code points, with a
    table over every possible token when there are at most ``dense`` of them (else by sorting)."""
    lens = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    starts = np.concatenate(([0], np.cumsum(lens)))
    code, alphabet = characters(texts)                                    # each character's rank in the alphabet
    size = np.int64(len(alphabet))
    owner = np.repeat(np.arange(len(texts), dtype=np.int64), lens)       # text of each character
    n_uni = lens if unigrams else np.zeros_like(lens)
    n_big = np.where(lens == 1, 1, np.maximum(lens - 1, 0))
    per_text = n_uni + n_big
    shift = np.cumsum(per_text) - per_text - starts[:-1]                 # stream place - character index
    # every token (its id) and its place in the stream of tokens (text by text: characters, then bigrams)
    pair = np.flatnonzero(np.arange(len(code), dtype=np.int64) < (starts[1:] - 1)[owner])   # a bigram starts
    single = starts[:-1][lens == 1]                                      # a one-character text: itself
    tokens = [size + code[pair] * size + code[pair + 1], code[single]]
    places = [pair + (shift + n_uni)[owner[pair]], single + (shift + n_uni)[lens == 1]]
    rows = [owner[pair], owner[single]]
    if unigrams:
        tokens.append(code)
        places.append(np.arange(len(code), dtype=np.int64) + shift[owner])
        rows.append(owner)
    del pair, single, code
    space = int(size + size * size)
    total = int(per_text.sum())
    small = np.int32 if max(space, total, len(texts)) < 2**31 - 1 else np.int64     # half the memory
    tokens, places, rows = (np.concatenate([a.astype(small, copy=False) for a in parts])
                            for parts in (tokens, places, rows))
    del owner
    if space <= dense:          # a slot for every possible token
        at, slots = tokens, space
    else:                       # too many possible tokens: a slot for each distinct one (by sorting)
        at = np.searchsorted(distinct(tokens), tokens)
        slots = int(at.max()) + 1 if len(at) else 0
    column = np.full(slots, len(tokens), dtype=small)              # where each token first occurs…
    np.minimum.at(column, at, places)
    seen = np.flatnonzero(column < len(tokens))
    column[seen[np.argsort(column[seen])]] = np.arange(len(seen), dtype=np.int64)   # …then its column
    width = np.int64(max(1, len(seen)))
    cell = rows.astype(np.int64) * width + column[at]
    del at, column, seen
    del tokens, places, rows
    cell.sort()
    new = np.concatenate(([True], cell[1:] != cell[:-1])) if len(cell) else np.zeros(0, dtype=bool)
    bounds = np.flatnonzero(new)
    counts = np.diff(np.append(bounds, len(cell))).astype(np.float64)
    cell = cell[bounds]
    indptr = np.concatenate(([0], np.cumsum(np.bincount(cell // width, minlength=len(texts)))))
    return sparse.csr_matrix((counts, cell % width, indptr), shape=(len(texts), int(width)))


@dataclass(frozen=True)
class Units:
    """The clause units of the measures: their key spans and owning measure."""

    spans: tuple[tuple[int, int], ...]
    owner: tuple[int, ...]


def clause_units(keys: list[Key], min_chars: int, *, whole: bool = True) -> Units:
    """Each measure's clauses of at least ``min_chars`` key characters, in measure order; with ``whole``, also
    the whole key of a measure of several clauses. A measure with no such clause is one unit."""
    spans: list[tuple[int, int]] = []
    owner: list[int] = []
    for i, k in enumerate(keys):
        added = False
        for s, e in k.clauses:
            if e - s >= min_chars:
                spans.append((s, e))
                owner.append(i)
                added = True
        if ((whole and len(k.clauses) > 1) or not added) and k.text:
            spans.append((0, len(k.text)))  # the whole key too, for matches across sentence boundaries
            owner.append(i)
    return Units(tuple(spans), tuple(owner))


def candidate_pairs(keys: list[Key], groups: list[int], *, config: BlockingConfig = BlockingConfig(),
                    allowed=None, workers=1) -> set[tuple[int, int]]:
    """Pairs (i, j), i < j, of measures whose clauses are among each other's nearest neighbours.

    ``groups[i]`` is the comparison group of measure i (its document or sub-document): pairs within one
    group are never proposed. ``allowed(gi, gj)`` (symmetric) may restrict which groups are compared (series
    mode). The clause rows are taken in chunks, by ``workers`` processes (``parallel.map_ordered``): the same pairs.
    """
    codes = candidate_codes(keys, groups, config=config, allowed=allowed, workers=workers)
    n = max(1, len(keys))
    return set(zip((codes // n).tolist(), (codes % n).tolist()))


def _blocking_rows(texts: list[str], config: BlockingConfig) -> sparse.csr_matrix:
    """The TF-IDF rows ``candidate_codes`` compares, with ``config``'s features."""
    return tfidf(texts, max_df=config.max_df, max_df_count=config.max_df_count, unigrams=config.unigrams)


def whole_vectors(keys: list[Key], config: BlockingConfig) -> sparse.csr_matrix:
    """The whole keys' TF-IDF rows that ``candidate_codes(..., whole_only=True)`` compares."""
    return _blocking_rows([k.text for k in keys], config)


def candidate_codes(keys: list[Key], groups: list[int], *, config: BlockingConfig = BlockingConfig(),
                    allowed=None, workers=1, whole_only: bool = False, min_whole: float | None = None,
                    x: sparse.csr_matrix | None = None) -> np.ndarray:
    """``candidate_pairs`` as one sorted array of ``i * len(keys) + j`` (8 bytes a pair: millions of pairs
    stay small). ``whole_only``: the whole keys' nearest neighbours instead of their clauses'; with
    ``min_whole``, each key's nearest among the keys with which ``fuzz.ratio`` can reach ``min_whole`` by their
    lengths alone (the others can never be near-duplicates, and are not looked at). ``x``: the rows
    ``whole_vectors`` gives, when they are built already."""
    from . import parallel

    units = (Units(tuple((0, len(k.text)) for k in keys), tuple(range(len(keys)))) if whole_only
             else clause_units(keys, config.min_clause_chars))
    texts = [keys[o].text[s:e] for (s, e), o in zip(units.spans, units.owner)]
    owner = np.asarray(units.owner, dtype=np.int64)
    if not texts:
        return np.zeros(0, dtype=np.int64)
    if x is None:
        x = _blocking_rows(texts, config)
    elif not whole_only or x.shape[0] != len(texts):
        raise ValueError("rows given to candidate_codes are the whole keys' (whole_only), one per key")
    group_of = np.asarray(groups, dtype=np.int64)[owner]
    n = len(keys)

    from . import kernels   # numba: compiled here, before any worker forks

    window = None
    if min_whole is not None and min_whole > 0:
        if not whole_only:
            raise ValueError("min_whole is for the whole keys (whole_only)")
        lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
        xt = kernels.by_length(x, lengths)
        window = kernels.length_window(xt, lengths, min_whole)
    else:
        xt = x.T.tocsr()
    kernels.nearest(x, xt, 0, 0, group_of, owner, n, config.min_cosine, config.top_k, window=window)

    def chunk(lo: int) -> np.ndarray:
        """The pairs (as i * n + j) proposed by the clause rows lo … lo + chunk_rows."""
        hi = min(lo + config.chunk_rows, x.shape[0])
        return distinct(kernels.nearest(x, xt, lo, hi, group_of, owner, n, config.min_cosine, config.top_k,
                                        window=window))

    parts = parallel.map_ordered(chunk, range(0, x.shape[0], config.chunk_rows), workers=workers,
                                 desc="candidate pairs", unit="block")
    codes = union(*parts)
    if allowed is not None and len(codes):
        g = np.asarray(groups, dtype=np.int64)
        ga, gb = g[codes // n], g[codes % n]
        combos, inverse = np.unique(np.stack([ga, gb], axis=1), axis=0, return_inverse=True)
        ok = np.fromiter((bool(allowed(int(p), int(q))) for p, q in combos), dtype=bool, count=len(combos))
        codes = codes[ok[inverse.ravel()]]
    return codes
