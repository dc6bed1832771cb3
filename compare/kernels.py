"""Compiled loops (numba) for the inner loops that numpy cannot express without copying rows or looping in
Python: the best clause pair of each candidate pair (``best_units``), the wording two keys share
(``shared_wording``), the ``run`` and ``sentence`` features (``runs_and_sentences``), the characters two keys
have in common (``common_characters``: a bound on their whole ratio) and jieba's words (``WordCutter``).

Each gives exactly what the slow, obvious computation gives, with the same floating-point operations in the
same order, so results are identical bit for bit: ``tests/test_align.py`` checks ``best_units`` against
scipy's row products, ``tests/test_pair_model.py`` checks ``WordCutter`` against ``jieba.lcut``. They are
compiled on first use and cached on disk by numba (next to this file, or in the user's cache folder; where
neither can be written they are compiled in each process instead); the aligner calls them once in this
process before it forks workers, so that the workers inherit them instead of compiling each.
"""
from __future__ import annotations

import numpy as np
from numba import njit as _njit

from .arrays import distinct


def njit(*args, **options):
    """numba's ``njit``, caching on disk where a cache folder can be written (numba refuses to decorate a
    function whose cache has no place), compiling in each process otherwise."""
    def decorate(fn):
        try:
            return _njit(*args, **options)(fn)
        except RuntimeError:     # "cannot cache function …: no locator available for file …"
            return _njit(*args, **{k: v for k, v in options.items() if k != "cache"})(fn)
    return decorate


@njit(cache=True, nogil=True)
def _block(buf, lo, n):
    """numpy's ``pairwise_sum`` of at most 128 values: eight accumulators, then the rest one by one."""
    if n < 8:
        res = 0.0
        for i in range(lo, lo + n):
            res += buf[i]
        return res
    r0, r1, r2, r3 = buf[lo], buf[lo + 1], buf[lo + 2], buf[lo + 3]
    r4, r5, r6, r7 = buf[lo + 4], buf[lo + 5], buf[lo + 6], buf[lo + 7]
    i = 8
    while i < n - (n % 8):
        r0 += buf[lo + i]
        r1 += buf[lo + i + 1]
        r2 += buf[lo + i + 2]
        r3 += buf[lo + i + 3]
        r4 += buf[lo + i + 4]
        r5 += buf[lo + i + 5]
        r6 += buf[lo + i + 6]
        r7 += buf[lo + i + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += buf[lo + i]
        i += 1
    return res


@njit(cache=True, nogil=True)
def _pairwise(buf, lo, n):
    """numpy's pairwise summation of buf[lo:lo + n] (``pairwise_sum`` in numpy's loops: halves cut at a
    multiple of 8 down to blocks of at most 128): with the first value added before it, a sum here equals
    ``np.add.reduceat`` over the same values (how scipy sums a sparse row) bit for bit. Its recursion is
    unrolled on a stack (numba's cache does not keep recursive functions safely)."""
    if n <= 128:
        return _block(buf, lo, n)
    los = np.empty(128, np.int64)
    ns = np.empty(128, np.int64)
    state = np.empty(128, np.int64)
    vals = np.empty(128)
    sp, vp = 1, 0
    los[0], ns[0], state[0] = lo, n, 0
    while sp > 0:
        t = sp - 1
        k = ns[t]
        if k <= 128:
            vals[vp] = _block(buf, los[t], k)
            vp += 1
            sp -= 1
            continue
        n2 = k // 2
        n2 -= n2 % 8
        if state[t] == 0:        # the left half first
            state[t] = 1
            los[sp], ns[sp], state[sp] = los[t], n2, 0
            sp += 1
        elif state[t] == 1:      # then the right half
            state[t] = 2
            los[sp], ns[sp], state[sp] = los[t] + n2, k - n2, 0
            sp += 1
        else:                    # both done: left + right
            vp -= 1
            vals[vp - 1] = vals[vp - 1] + vals[vp]
            sp -= 1
    return vals[0]


@njit(cache=True, nogil=True)
def _best_units(indptr, indices, data, count, first, bi, bj, ncols):
    n = len(bi)
    most = 1
    for r in range(len(count)):
        most = max(most, count[r])
    # bi[k]'s rows as an inverted index, built once for a run of pairs with the same bi[k] (candidates come
    # sorted): for each column, a chain of (row, value) entries, rows ascending
    head = np.full(ncols, -1, np.int64)
    nxt = np.empty(0, np.int64)
    ent_row = np.empty(0, np.int64)
    ent_val = np.empty(0, np.float64)
    buf = np.empty(0, np.float64)          # each row's products with the current bj row: room for as many as
    off = np.zeros(most + 1, np.int64)     # it has columns, at off[row]; m[row] of them so far
    m = np.zeros(most, np.int64)
    best = np.zeros(n)
    ua = np.zeros(n, dtype=np.int64)
    ub = np.zeros(n, dtype=np.int64)
    cur = -1
    for k in range(n):
        i = bi[k]
        fa, ca = first[i], count[i]
        if i != cur:
            if cur >= 0:   # forget the previous item's columns
                for t in range(indptr[first[cur]], indptr[first[cur] + count[cur]]):
                    head[indices[t]] = -1
            size = indptr[fa + ca] - indptr[fa]
            if len(nxt) < size:
                nxt = np.empty(2 * size, np.int64)
                ent_row = np.empty(2 * size, np.int64)
                ent_val = np.empty(2 * size, np.float64)
                buf = np.empty(2 * size, np.float64)
            for r in range(ca + 1):
                off[r] = indptr[fa + r] - indptr[fa]
            e = 0
            for r in range(ca - 1, -1, -1):   # the last row first, so that each chain runs rows ascending
                for t in range(indptr[fa + r], indptr[fa + r + 1]):
                    c = indices[t]
                    ent_row[e], ent_val[e], nxt[e] = r, data[t], head[c]
                    head[c] = e
                    e += 1
            cur = i
        fb, cb = first[bj[k]], count[bj[k]]
        top, ta, tb = 0.0, fa, fb   # no positive product anywhere: 0, the first combination
        for v in range(fb, fb + cb):
            # v's columns in order (its indices are sorted): each row of bi[k] gets its products with v in
            # column order, the same values in the same order as a merge of the two rows
            for q in range(indptr[v], indptr[v + 1]):
                e = head[indices[q]]
                while e >= 0:
                    w = ent_val[e] * data[q]
                    if w != 0.0:
                        r = ent_row[e]
                        buf[off[r] + m[r]] = w
                        m[r] += 1
                    e = nxt[e]
            for r in range(ca):
                if m[r] > 0:
                    s = buf[off[r]] + _pairwise(buf, off[r] + 1, m[r] - 1)
                    m[r] = 0
                    # the first combination (row-major: bi's row, then bj's) wins a tie
                    if s > top or (s == top and s > 0.0 and fa + r < ta):
                        top, ta, tb = s, fa + r, v
        best[k], ua[k], ub[k] = top, ta, tb
    return best, ua, ub


def best_units(x, count: np.ndarray, first: np.ndarray, bi: np.ndarray, bj: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each pair (bi[n], bj[n]) of items whose rows of the CSR matrix ``x`` (float64, sorted indices, no
    negative value: TF-IDF) are ``first[i] … first[i] + count[i] - 1``: the largest dot product over all pairs
    of their rows (the first pair of rows, a-major, on ties; the first pair when no product is positive) and
    those two rows. The same figures, bit for bit, as ``x[ua].multiply(x[ub]).sum(axis=1)`` over all
    combinations followed by a first-maximum pick, without copying the rows: only the columns two rows share
    are visited (bi's rows as an inverted index, built once for a run of pairs with the same bi)."""
    if not x.has_canonical_format or x.dtype != np.float64:
        raise ValueError("best_units needs a float64 CSR matrix with sorted indices and no duplicates")
    if x.nnz and x.data.min() < 0:
        raise ValueError("best_units needs a matrix without negative values")
    return _best_units(x.indptr, x.indices, x.data, count.astype(np.int64), first.astype(np.int64),
                       np.asarray(bi, dtype=np.int64), np.asarray(bj, dtype=np.int64), x.shape[1])


@njit(cache=True, nogil=True)
def _runs_and_sentences(seq, seq_start, indptr, indices, weight, pos_clause, clause_count, pi, pj, ncols):
    k = len(pi)
    run = np.zeros(k)
    sentence = np.zeros(k)
    widest = 1
    for n in range(k):
        widest = max(widest, clause_count[pi[n]])
    total_w = np.zeros(widest)
    found_w = np.zeros(widest)
    holder = np.full(ncols, -1, np.int32)   # the last pair whose pj holds each n-gram
    for n in range(k):
        i = pi[n]
        for q in range(indptr[pj[n]], indptr[pj[n] + 1]):
            holder[indices[q]] = n
        c = clause_count[i]
        for u in range(c):
            total_w[u] = 0.0
            found_w[u] = 0.0
        best = -np.inf
        cur = 0.0                     # the weight of the run that ends here (0 after an n-gram pj lacks)
        start, stop = seq_start[i], seq_start[i + 1]
        for s in range(start, stop):
            col = seq[s]
            hit = holder[col] == n
            cur = cur + weight[col] if hit else 0.0
            if cur > best:
                best = cur
            cl = pos_clause[s]
            if cl >= 0:
                total_w[cl] += weight[col]
                if hit:
                    found_w[cl] += weight[col]
        if stop > start:
            run[n] = max(best, 0.0)
        top = 0.0
        for u in range(c):
            share = found_w[u] / max(total_w[u], 1.0) if total_w[u] >= 1.0 else 0.0
            if u == 0 or share > top:
                top = share
        sentence[n] = top
    return run, sentence


def runs_and_sentences(ctx, pi: np.ndarray, pj: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each pair (pi[n], pj[n]) of ``ctx`` (a ``pairmodel.PairContext``), walking the n-grams of pi[n]'s key
    in text order and asking pj[n]'s row of the 0/1 n-gram matrix whether it holds each:

    - ``run``: the specific weight of the heaviest run of consecutive n-grams that pj[n] has too (template
      n-grams weigh 0 and do not break a run), each run summed on its own, so a pair's value does not depend
      on the other pairs of the call;
    - ``sentence``: the largest share, over pi[n]'s clauses whose n-grams weigh at least 1, of that weight
      that pj[n] has.

    ``tests/test_pair_model.py`` checks both against the obvious pair-by-pair walk, bit for bit."""
    g = ctx.grams
    if len(pi) >= 2**31:
        raise ValueError("runs_and_sentences takes fewer than 2**31 pairs a call")
    return _runs_and_sentences(g.seq, g.seq_start, g.matrix.indptr, g.matrix.indices, ctx.specific_weight,
                               ctx.pos_clause, ctx.clause_count, np.asarray(pi, dtype=np.int64),
                               np.asarray(pj, dtype=np.int64), g.matrix.shape[1])


@njit(cache=True, nogil=True)
def _shared_wording(indptr, indices, weight, specific_weight, rare, template, lift, pi, pj, ncols):
    k = len(pi)
    evidence = np.zeros(k)
    specific = np.zeros(k)
    rare_n = np.zeros(k, np.float32)
    share = np.zeros(k, np.float32)
    with_lift = len(lift) > 0
    lift_max = np.zeros(k if with_lift else 0)
    lift_sum = np.zeros(k if with_lift else 0)
    lift_min = np.zeros(k if with_lift else 0)
    holder = np.full(ncols, -1, np.int32)   # the last pi whose row was marked: each of its n-grams
    for n in range(k):
        i = pi[n]
        if n == 0 or pi[n - 1] != i:   # pairs come grouped by pi (candidates are sorted): marked once a group
            for p in range(indptr[i], indptr[i + 1]):
                holder[indices[p]] = i
        ev = 0.0
        sp = 0.0
        count = np.float32(0.0)
        tcount = np.float32(0.0)
        rcount = np.float32(0.0)
        high = -np.inf
        low = np.inf
        total = 0.0
        for q in range(indptr[pj[n]], indptr[pj[n] + 1]):   # pj's n-grams in column order, as a merge takes them
            a = indices[q]
            if holder[a] == i:
                ev += weight[a]
                sp += specific_weight[a]
                count += np.float32(1.0)
                if template[a]:
                    tcount += np.float32(1.0)
                rcount += rare[a]
                if with_lift:
                    v = lift[a]
                    if not np.isnan(v):
                        high = max(high, v)
                        low = min(low, v)
                        if v > 0:
                            total += v
        evidence[n] = ev
        specific[n] = sp
        rare_n[n] = rcount
        if count > 0:
            share[n] = tcount / count
        if with_lift and high > -np.inf:
            lift_max[n] = high
            lift_sum[n] = total
            lift_min[n] = low
    return evidence, specific, rare_n, share, lift_max, lift_sum, lift_min


def shared_wording(ctx, pi: np.ndarray, pj: np.ndarray, lift: np.ndarray | None = None):
    """For each pair (pi[n], pj[n]) of ``ctx`` (a ``pairmodel.PairContext``), over the n-grams both keys have
    (pj's row of the 0/1 n-gram matrix read in column order, each looked up among pi's, marked once for a run
    of pairs with the same pi): ``evidence`` (the sum of their weights), ``specific`` (of their specific
    weights), ``rare`` (how many are rare, float32) and ``template`` (the share of them that is template
    wording, float32; 0 when they share none). The same figures, bit for bit, as the
    sparse computation it replaced (the rows both keys share, summed by scipy: ``tests/test_pair_model.py``).
    With ``lift`` (a value per n-gram column, nan where unknown: ``PairContext.gram_lift_vector``), three more:
    the largest, the sum of the positive and the smallest lift of the shared n-grams it knows (0, 0, 0 where it
    knows none), as ``pairmodel.lift_columns`` gives them."""
    m = ctx.grams.matrix
    if not m.has_canonical_format or m.shape[0] >= 2**31:
        raise ValueError("shared_wording needs an n-gram matrix with sorted indices, no duplicates and fewer "
                         "than 2**31 rows")
    if lift is not None and len(lift) != m.shape[1]:
        raise ValueError(f"shared_wording: a lift vector of {len(lift)} values for {m.shape[1]} n-gram columns")
    out = _shared_wording(m.indptr, m.indices, ctx.grams.weight, ctx.specific_weight, ctx.rare, ctx.template,
                          np.zeros(0) if lift is None else np.asarray(lift, dtype=np.float64),
                          np.asarray(pi, dtype=np.int64), np.asarray(pj, dtype=np.int64), m.shape[1])
    return out if lift is not None else out[:4]


@njit(cache=True, nogil=True)
def _common_characters(chars, start, alphabet, pi, pj):
    k = len(pi)
    out = np.zeros(k, np.int64)
    have = np.zeros(alphabet, np.int64)      # pi's count of each character
    used = np.zeros(alphabet, np.int64)      # how many of them pj has used up
    stamp = np.full(alphabet, -1, np.int64)  # the pair whose ``used`` a character holds
    for n in range(k):
        i, j = pi[n], pj[n]
        if n == 0 or pi[n - 1] != i:   # pairs come grouped by pi (candidates are sorted): counted once a group
            if n > 0:
                for t in range(start[pi[n - 1]], start[pi[n - 1] + 1]):
                    have[chars[t]] = 0
            for t in range(start[i], start[i + 1]):
                have[chars[t]] += 1
        common = 0
        for t in range(start[j], start[j + 1]):
            c = chars[t]
            if stamp[c] != n:
                stamp[c], used[c] = n, 0
            if used[c] < have[c]:
                used[c] += 1
                common += 1
        out[n] = common
    return out


def common_characters(grams, pi: np.ndarray, pj: np.ndarray) -> np.ndarray:
    """For each pair (pi[n], pj[n]) of ``grams``' texts (a ``Grams``): how many characters they have in common,
    counted with repetition (the size of the intersection of their character multisets). No common
    subsequence is longer, so ``200 * common / (len_a + len_b)`` bounds ``fuzz.ratio`` from above: a pair whose
    bound is under a cutoff need not be given to rapidfuzz."""
    return _common_characters(grams.chars, grams.char_start, grams.alphabet, np.asarray(pi, dtype=np.int64),
                              np.asarray(pj, dtype=np.int64))


@njit(cache=True, nogil=True)
def _nearest(indptr, indices, data, t_indptr, t_indices, t_data, windowed, t_len, shortest, longest, lo, hi,
             group_of, owner, n, min_cosine, top_k):
    out = np.empty((hi - lo) * top_k, dtype=np.int64)
    width = len(indptr) - 1        # the rows of x: what a posting of xt names
    acc = np.zeros(width)
    seen = np.full(width, -1, dtype=np.int64)
    touched = np.empty(width, dtype=np.int64)
    picked = np.empty(width, dtype=np.int64)
    m = 0
    for r in range(lo, hi):
        nt = 0
        for jj in range(indptr[r], indptr[r + 1]):     # scipy's csr_matmat: the same products, the same order
            f, v = indices[jj], data[jj]
            p, q = t_indptr[f], t_indptr[f + 1]
            if windowed:     # a posting sorted by length: only the rows of a length allowed
                q = p + np.searchsorted(t_len[p:q], longest[r], side="right")
                p = p + np.searchsorted(t_len[p:q], shortest[r], side="left")
            for kk in range(p, q):
                c = t_indices[kk]
                if seen[c] != r:
                    seen[c] = r
                    acc[c] = 0.0
                    touched[nt] = c
                    nt += 1
                acc[c] += v * t_data[kk]
        g = group_of[r]
        k = 0
        for t in range(nt):
            c = touched[t]
            if acc[c] >= min_cosine and group_of[c] != g:
                picked[k] = c
                k += 1
        sel = picked[:k]
        if k > top_k:                                    # by row, then (stable) by similarity, highest first
            sel = np.sort(sel)
            neg = np.empty(k)
            for t in range(k):
                neg[t] = -acc[sel[t]]
            sel = sel[np.argsort(neg, kind="mergesort")[:top_k]]
        a = owner[r]
        for c in sel:
            b = owner[c]
            out[m] = min(a, b) * n + max(a, b)
            m += 1
    return out[:m]


def nearest(x, xt, lo: int, hi: int, group_of: np.ndarray, owner: np.ndarray, n: int, min_cosine: float,
            top_k: int, *, window: "tuple[np.ndarray, np.ndarray, np.ndarray] | None" = None) -> np.ndarray:
    """For rows ``lo … hi - 1`` of the CSR matrix ``x`` (``xt``: its transpose, as CSR): the ``top_k`` rows of
    other groups most similar to each (dot product at least ``min_cosine``; ties to the lower row), as codes
    ``min(owner) * n + max(owner)`` (unsorted, repeats kept). The same rows, with the same sums bit for bit, as
    taking ``x[lo:hi] @ xt`` with scipy and sorting each row's entries (``tests/test_align.py``), without
    building the product.

    ``window`` (``length_window``; ``xt`` then from ``by_length``): row r is compared only with the rows whose
    length lies in its window, and its nearest are found among those."""
    empty = np.zeros(0, dtype=np.int64)
    t_len, shortest, longest = window if window is not None else (empty, empty, empty)
    return _nearest(x.indptr, x.indices, x.data, xt.indptr, xt.indices, xt.data, window is not None, t_len,
                    shortest, longest, lo, hi, np.asarray(group_of, dtype=np.int64),
                    np.asarray(owner, dtype=np.int64), n, float(min_cosine), int(top_k))


def by_length(x, lengths: np.ndarray):
    """The transpose of the CSR matrix ``x``, as CSR, with each row's entries ordered by the ``lengths`` of
    their columns (``x``'s rows), then by column: the rows of ``x`` sorted by length, transposed, and numbered
    back."""
    order = np.lexsort((np.arange(x.shape[0]), np.asarray(lengths)))
    xt = x[order].T.tocsr()
    xt.indices = order[xt.indices].astype(xt.indices.dtype)
    xt.has_sorted_indices = False
    return xt


def lengths_allow(la, lb, min_ratio: float):
    """Whether ``fuzz.ratio`` of texts of lengths ``la`` and ``lb`` can reach ``min_ratio`` by their lengths
    alone: it is at most ``200·min(la, lb) / (la + lb)``."""
    return 200 * np.minimum(la, lb) / np.maximum(la + lb, 1) >= min_ratio - 1e-6


def length_window(xt, lengths: np.ndarray, min_ratio: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ``window`` of ``nearest`` (``xt`` from ``by_length``): for each row of length L, the lengths l of the
    rows with which ``fuzz.ratio`` can reach ``min_ratio`` (``lengths_allow``, the aligner's test), as (the
    length of each entry of ``xt``, shortest, longest)."""
    lengths = np.asarray(lengths, dtype=np.int64)
    # the bound is monotone on either side of l = L: start below (above) the real window, step in. The start
    # comes from the bound with the same slack (l >= L·r/(200 - r), l <= L·(200 - r)/r), three beyond it, and
    # never past the longest row (no row lies beyond)
    r = min_ratio - 1e-6
    top = int(lengths.max()) if len(lengths) else 0
    if r <= 0:
        return lengths[xt.indices], np.zeros(len(lengths), dtype=np.int64), np.full(len(lengths), top, dtype=np.int64)
    shortest = np.maximum(np.floor(lengths * (r / (200 - r))).astype(np.int64) - 3, 0) if r < 200 else lengths.copy()
    while True:
        step = ~lengths_allow(lengths, shortest, min_ratio) & (shortest < lengths)
        if not step.any():
            break
        shortest[step] += 1
    longest = np.minimum(np.ceil(lengths * ((200 - r) / r)).astype(np.int64) + 3, max(top, 0))
    longest = np.maximum(longest, lengths)
    while True:
        step = ~lengths_allow(lengths, longest, min_ratio) & (longest > lengths)
        if not step.any():
            break
        longest[step] -= 1
    return lengths[xt.indices], shortest, longest


@njit(cache=True, nogil=True)
def _leaf_sums(x, baseline, table, thr, thr_start, prefix, prefix_start):
    n, trees = x.shape[0], table.shape[0]
    out = np.empty(n)
    mask = np.empty(trees, dtype=np.uint64)
    every = np.uint64(0xFFFFFFFFFFFFFFFF)
    for r in range(n):
        for t in range(trees):
            mask[t] = every
        for f in range(len(thr_start) - 1):
            lo, hi = thr_start[f], thr_start[f + 1]
            if lo == hi:
                continue
            v = x[r, f]
            if v != v:          # nan: above every threshold, as numpy's searchsorted puts it
                k = hi - lo
            else:               # the thresholds below v: the nodes whose test v fails
                a, b = lo, hi
                while a < b:
                    mid = (a + b) // 2
                    if thr[mid] < v:
                        a = mid + 1
                    else:
                        b = mid
                k = a - lo
            row = prefix_start[f] + k * trees
            for t in range(trees):
                mask[t] &= prefix[row + t]
        z = baseline
        for t in range(trees):
            m = mask[t]
            leaf = 0
            while leaf < 63 and (m >> np.uint64(leaf)) & np.uint64(1) == 0:   # the lowest bit set: the leftmost
                leaf += 1                                                    # leaf left
            z = z + table[t, leaf]
        out[r] = z
    return out


def leaf_sums(x: np.ndarray, baseline: float, table: np.ndarray, packed: tuple) -> np.ndarray:
    """``pairmodel.Trees.raw`` row by row, compiled: for each row, each feature's failed-node prefix (a binary
    search of its sorted thresholds, nan above all) ANDed into each tree's leaf mask, then the baseline plus
    each tree's leftmost remaining leaf value, tree after tree: the same sums, bit for bit, as walking each
    tree (``tests/test_pair_model.py``). ``packed``: ``pack_features`` of the per-feature tables."""
    return _leaf_sums(np.ascontiguousarray(x, dtype=np.float64), float(baseline), np.ascontiguousarray(table),
                      *packed)


def pack_features(feats: list[tuple[np.ndarray, np.ndarray]]) -> tuple:
    """The per-feature (sorted thresholds, failed-prefix masks) of ``Trees._tables`` as four flat arrays."""
    thr_start = np.zeros(len(feats) + 1, dtype=np.int64)
    prefix_start = np.zeros(len(feats) + 1, dtype=np.int64)
    for f, (thresholds, prefix) in enumerate(feats):
        thr_start[f + 1] = thr_start[f] + len(thresholds)
        prefix_start[f + 1] = prefix_start[f] + prefix.size
    thr = np.concatenate([t for t, _ in feats]).astype(np.float64) if feats else np.zeros(0)
    flat = (np.concatenate([p.ravel() for _, p in feats]) if feats else np.zeros(0)).astype(np.uint64)
    return thr, thr_start, flat, prefix_start


@njit(cache=True, nogil=True)
def _occurs(text, start, stop, target):
    """Whether text[start:stop] occurs in target (code points)."""
    m = stop - start
    for s in range(len(target) - m + 1):
        k = 0
        while k < m and target[s + k] == text[start + k]:
            k += 1
        if k == m:
            return True
    return False


@njit(cache=True, nogil=True)
def _shared_runs(seq, other, text, target, weight, n, most, min_weight):
    size = len(seq)
    hit = np.zeros(size + 1, dtype=np.bool_)
    at = np.searchsorted(other, seq)             # other: j's n-grams, sorted
    for k in range(size):
        hit[k] = at[k] < len(other) and other[at[k]] == seq[k]
    neg = np.empty(size)
    run_s = np.empty(size, dtype=np.int64)
    run_e = np.empty(size, dtype=np.int64)
    buf = np.empty(max(size, 1))
    count = 0
    p = 0
    while p < size:
        if not hit[p]:
            p += 1
            continue
        stop = p
        while hit[stop]:
            stop += 1
        while p < stop:     # the longest stretch from p inside the run that occurs in j, by halving
            lo, hi = p, stop - 1
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if _occurs(text, p, mid + n, target):
                    lo = mid
                else:
                    hi = mid - 1
            m = lo + 1 - p
            for k in range(m):
                buf[k] = weight[seq[p + k]]
            w = _pairwise(buf, 0, m)            # numpy's sum of those weights, bit for bit
            if w >= min_weight:
                neg[count], run_s[count], run_e[count] = -w, p, lo + n
                count += 1
            p = lo + 1
    order = np.argsort(neg[:count], kind="mergesort")   # the heaviest first; ties in text order
    cs = np.empty(most, dtype=np.int64)
    ce = np.empty(most, dtype=np.int64)
    chosen = 0
    for o in order:
        if chosen >= most:
            break
        s, e = run_s[o], run_e[o]
        free = True
        for c in range(chosen):
            if not (e <= cs[c] or s >= ce[c]):
                free = False
                break
        if free:
            cs[chosen], ce[chosen] = s, e
            chosen += 1
    at = np.argsort(cs[:chosen])
    return cs[:chosen][at], ce[:chosen][at]


def shared_runs(seq: np.ndarray, other: np.ndarray, text: str, target: str, weight: np.ndarray, n: int,
                most: int, min_weight: float) -> list[tuple[int, int]]:
    """``align.Grams.shared_runs`` compiled: the key spans of ``text`` (its n-grams' columns ``seq``) that are
    its ``most`` heaviest stretches occurring verbatim in ``target`` (whose sorted n-gram columns are
    ``other``), each stretch grown inside a run of shared n-grams as far as it still occurs (found by
    halving), weighed by numpy's sum of its n-grams' ``weight``; the same spans as the Python loop
    (``tests/test_align.py``)."""
    def codes(t: str) -> np.ndarray:
        return np.frombuffer(t.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)

    s, e = _shared_runs(np.asarray(seq, dtype=np.int64), np.asarray(other, dtype=np.int64), codes(text),
                        codes(target), weight, int(n), max(0, int(most)), float(min_weight))
    return list(zip(s.tolist(), e.tolist()))


# ------------------------------------------------------------------ jieba's words (no HMM), compiled
# jieba.cut(text, HMM=False) splits the text into blocks of [\u4E00-\u9FD5a-zA-Z0-9+#&._%-] (other characters
# come out one by one), builds each block's DAG of dictionary words (get_DAG), takes the most probable route
# through it (calc: log frequencies, ties to the longer word) and joins runs of single ASCII letters or digits
# (__cut_DAG_NO_HMM). The same steps on code points, with jieba's own prefix dictionary as a trie.

@njit(cache=True, nogil=True)
def _slot(hkeys, key):
    mask = len(hkeys) - 1
    h = ((key * 2654435761) ^ (key >> 15)) & mask
    while hkeys[h] != -1 and hkeys[h] != key:
        h = (h + 1) & mask
    return h


@njit(cache=True, nogil=True)
def trie_table(parent, last):
    """An open-addressing table from (parent node, code point) to node, for nodes 1 … len(parent) - 1."""
    size = 1
    while size < 2 * len(parent):
        size *= 2
    hkeys = np.full(size, -1, np.int64)
    hvals = np.zeros(size, np.int32)
    for node in range(1, len(parent)):
        key = parent[node] * 2097152 + last[node]
        h = _slot(hkeys, key)
        hkeys[h] = key
        hvals[h] = node
    return hkeys, hvals


@njit(cache=True, nogil=True)
def _hanlike(c):
    return ((0x4E00 <= c <= 0x9FD5) or (97 <= c <= 122) or (65 <= c <= 90) or (48 <= c <= 57)
            or c == 43 or c == 35 or c == 38 or c == 46 or c == 95 or c == 37 or c == 45)


@njit(cache=True, nogil=True)
def _alnum(c):
    return (97 <= c <= 122) or (65 <= c <= 90) or (48 <= c <= 57)


@njit(cache=True, nogil=True)
def word_spans(codes, starts, hkeys, hvals, logf, isword, logtotal, min_len, depth):
    """The spans (into ``codes``) of the words of at least ``min_len`` characters that ``jieba.cut(text,
    HMM=False)`` gives for each text ``codes[starts[t]:starts[t + 1]]``, in order, with the trie node of each
    (-1 for a run of ASCII letters and digits joined by the cut, or \\r\\n: not looked up); and each text's
    number of them. ``logf[node]`` is math.log of the node's frequency (computed by Python's math.log); ``depth``: the
    longest dictionary word (text can be longer, so a position starts at most that many words)."""
    total = len(codes)
    out_s = np.empty(total // 2 + 1, np.int64)
    out_e = np.empty(total // 2 + 1, np.int64)
    out_node = np.empty(total // 2 + 1, np.int64)
    per_text = np.zeros(len(starts) - 1, np.int64)
    widest = 0                     # the longest block: the work arrays are for one block at a time
    for t in range(len(starts) - 1):
        run = 0
        for p in range(starts[t], starts[t + 1]):
            run = run + 1 if _hanlike(codes[p]) else 0
            widest = max(widest, run)
    route_v = np.empty(widest + 1)
    route_x = np.empty(widest + 1, np.int64)
    route_node = np.empty(widest + 1, np.int64)
    dag_lo = np.empty(widest + 1, np.int64)
    dag_n = np.empty(widest + 1, np.int64)
    dag_end = np.empty(depth * (widest + 1), np.int64)   # at most ``depth`` words start at a position
    dag_node = np.empty(depth * (widest + 1), np.int64)
    m = 0
    for t in range(len(starts) - 1):
        a, z = starts[t], starts[t + 1]
        b0 = a
        while b0 < z:
            if not _hanlike(codes[b0]):   # outside the blocks: each character alone, but \r\n together
                if codes[b0] == 13 and b0 + 1 < z and codes[b0 + 1] == 10:
                    if min_len <= 2:
                        out_s[m] = b0
                        out_e[m] = b0 + 2
                        out_node[m] = -1
                        m += 1
                        per_text[t] += 1
                    b0 += 2
                else:
                    b0 += 1
                continue
            b1 = b0
            while b1 < z and _hanlike(codes[b1]):
                b1 += 1
            n = b1 - b0
            # the DAG: every dictionary word starting at each position (a prefix walk in the trie)
            used = 0
            for k in range(n):
                dag_lo[k] = used
                cnt = 0
                node = 0
                i = k
                while i < n:
                    key = node * 2097152 + codes[b0 + i]
                    h = _slot(hkeys, key)
                    if hkeys[h] == -1:
                        break
                    node = hvals[h]
                    if isword[node]:
                        dag_end[used + cnt] = i
                        dag_node[used + cnt] = node
                        cnt += 1
                    i += 1
                if cnt == 0:           # no word: the character alone (frequency 1: log 0)
                    dag_end[used] = k
                    dag_node[used] = -1
                    cnt = 1
                dag_n[k] = cnt
                used += cnt
            # calc: the best route from each position to the end, ties to the larger end
            route_v[n] = 0.0
            route_x[n] = 0
            for idx in range(n - 1, -1, -1):
                best_v = -np.inf
                best_x = -1
                best_node = -1
                for q in range(dag_lo[idx], dag_lo[idx] + dag_n[idx]):
                    x = dag_end[q]
                    nd = dag_node[q]
                    lf = logf[nd] if nd >= 0 else 0.0
                    v = lf - logtotal + route_v[x + 1]
                    if best_x == -1 or v > best_v or (v == best_v and x > best_x):
                        best_v = v
                        best_x = x
                        best_node = nd
                route_v[idx] = best_v
                route_x[idx] = best_x
                route_node[idx] = best_node
            # the cut: runs of single ASCII letters and digits are joined
            x = 0
            buf = -1
            while x < n:
                y = route_x[x] + 1
                if y - x == 1 and _alnum(codes[b0 + x]):
                    if buf == -1:
                        buf = x
                    x = y
                    continue
                if buf != -1:
                    if x - buf >= min_len:
                        out_s[m] = b0 + buf
                        out_e[m] = b0 + x
                        out_node[m] = -1
                        m += 1
                        per_text[t] += 1
                    buf = -1
                if y - x >= min_len:
                    out_s[m] = b0 + x
                    out_e[m] = b0 + y
                    out_node[m] = route_node[x]
                    m += 1
                    per_text[t] += 1
                x = y
            if buf != -1 and n - buf >= min_len:
                out_s[m] = b0 + buf
                out_e[m] = b0 + n
                out_node[m] = -1
                m += 1
                per_text[t] += 1
            b0 = b1
    return out_s[:m], out_e[:m], out_node[:m], per_text


class WordCutter:
    """jieba's default dictionary (``jieba.dt.FREQ``, which holds every prefix of every word) as a trie for
    ``word_spans``: the words ``jieba.lcut(text, HMM=False)`` gives, many texts at once."""

    def __init__(self, freq: dict[str, int], total: int):
        import math

        keys = sorted(freq, key=len)          # a prefix before its extensions
        ids = {k: n for n, k in enumerate(keys, start=1)}
        ids[""] = 0
        size = len(keys) + 1
        parent = np.zeros(size, np.int64)
        last = np.zeros(size, np.int64)
        parent[1:] = np.fromiter((ids[k[:-1]] for k in keys), np.int64, count=len(keys))
        last[1:] = np.fromiter((ord(k[-1]) for k in keys), np.int64, count=len(keys))
        counts = [freq[k] for k in keys]
        isword = np.zeros(size, np.bool_)
        isword[1:] = np.asarray(counts) > 0
        logf = np.zeros(size)
        logf[1:] = [math.log(f) if f else 0.0 for f in counts]   # Python's log, as jieba takes it
        self.strings = [""] + keys               # the word (or prefix) of each node
        self.hkeys, self.hvals = trie_table(parent, last)
        self.logf, self.isword = logf, isword
        self.logtotal = math.log(total)
        self.depth = max(1, max((len(k) for k in keys), default=1))

    def matrix(self, texts: list[str], *, min_len: int = 2, chunk: int = 20_000
               ) -> tuple[list[str], np.ndarray, np.ndarray]:
        """The words (no HMM) of at least ``min_len`` characters of each text, as a texts × words 0/1 matrix in
        CSR form: (the vocabulary, sorted; indptr; indices, sorted and distinct within each row). ``chunk``
        texts at a time go through the kernel (its arrays stay small); a dictionary word is known by its trie
        node, so only the joined ASCII runs become strings."""
        if min_len < 2:
            raise ValueError("WordCutter keeps words of 2 characters or more")
        nodes, loose, per_text = [], [], []
        for lo in range(0, len(texts), chunk):
            part = texts[lo:lo + chunk]
            joined = "".join(part)
            codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
            starts = np.zeros(len(part) + 1, np.int64)
            np.cumsum([len(t) for t in part], out=starts[1:])
            s, e, node, count = word_spans(codes, starts, self.hkeys, self.hvals, self.logf, self.isword,
                                           self.logtotal, min_len, self.depth)
            at = np.flatnonzero(node < 0)
            loose += [joined[a:b] for a, b in zip(s[at].tolist(), e[at].tolist())]
            nodes.append(node)
            per_text.append(count)
        node = np.concatenate(nodes) if nodes else np.zeros(0, np.int64)
        count = np.concatenate(per_text) if per_text else np.zeros(0, np.int64)
        found = distinct(node[node >= 0])
        named = [self.strings[k] for k in found.tolist()]
        vocab = sorted(set(named).union(loose))
        place = {w: k for k, w in enumerate(vocab)}
        column = np.zeros(len(self.strings), np.int64)
        column[found] = [place[w] for w in named]
        ids = np.empty(len(node), np.int64)
        ids[node >= 0] = column[node[node >= 0]]
        ids[node < 0] = [place[w] for w in loose]
        width = np.int64(max(1, len(vocab)))
        rows = np.repeat(np.arange(len(count), dtype=np.int64), count)
        cells = distinct(rows * width + ids)                  # each word once a text, in vocabulary order
        indptr = np.zeros(len(texts) + 1, np.int64)
        np.cumsum(np.bincount(cells // width, minlength=len(texts)), out=indptr[1:])
        return vocab, indptr, cells % width
