"""Align measures across documents: score candidate pairs, label and explain them.

Scores (0–100) are computed on matching keys (``keys.py``: region names, boilerplate, enumerators and
punctuation out, numerals folded):

- ``clause``: the best cosine between a clause of one measure and a clause of the other, over TF-IDF vectors
  of characters and character bigrams (x100): many real matches are one sentence of a long item;
- ``whole``: ``fuzz.ratio`` of the two whole keys (rapidfuzz, explicit scorer, ``processor=None``);
- ``local``: inside the best clause pair, ``fuzz.partial_ratio_alignment`` of the shorter clause against the
  longer one: it gives the aligned spans and tells a verbatim part from a paraphrase.

``score = max(whole, clause)``. Similar wording is not enough: unrelated measures written from one template
(成立……工作小组, 协助市人大常委会做好……监督工作) or sharing one generic sentence score high too. So what two
measures *share* is weighed as well:

- ``evidence``: the character 4-grams the two keys share, each weighted by how rare it is among the measures
  being aligned, ``ln(N/df) / ln(N/2)`` (1 for a 4-gram only these two measures have, 0 for one in every
  measure); ``terms`` are the most specific stretches of such shared 4-grams, the wording a reader checks
  first; ``template``: the share of the shared 4-grams that occur in many (sub-)documents (template wording,
  learned from the corpus).

In cross mode the **pair model** (``pairmodel.py``) turns these and other features into a ``probability``;
a pair is kept when it is at least ``min_probability`` (the model's precision-first cutoff by default; the
``review`` list uses its recall-first cutoff and keeps the most probable pairs up to a cap). Its candidates
(``candidate_set``) are the pairs that share a 4-gram that is not template wording, the near-duplicate whole
measures and the pairs sharing rare 4-grams; those scoring at least ``floor`` (or sharing rare 4-grams) go to
the model, and ``_modelled`` leaves out early, exactly, the pairs that cannot be kept. In series mode
(versions of one document) the candidates are the clause-blocking pairs (``candidates.py``) and a pair is kept
when ``score >= threshold``, with no evidence rule and no model.
Its relation:

- ``same`` when the whole measures match (``whole >= same_whole``);
- ``contains`` when the shorter measure sits, nearly verbatim (``local >= contains_local``), inside the
  longer one for at least ``contains_coverage`` of its length (``container``: ``a`` or ``b``);
- ``related`` otherwise: a shared provision inside different measures, or the two sides at different
  stages (one reports it done: 已/完成/落地…, the other plans or recommends it: 探索/研究/建议…; lexicons in
  ``data/stage_*.txt``, the document kind breaking ties), which ``reason`` says;
- ``restates`` in cross mode for two measures of one document that is not a compilation (a journal's summary
  restating its own reports): shown, never counted as an overlap. A pair sharing mostly template wording is
  never ``same`` or ``contains``.

``span_a``/``span_b`` are offsets into each measure's raw text (``[start, end)``) of the aligned stretch.
Measured against the held-out part of ``tests/data/pairs.tsv`` in ``benchmarks/pair_quality.py``.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field, fields
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq
from scipy import sparse

from .arrays import characters, distinct, ranks, union
from .candidates import BlockingConfig, Units, candidate_codes, clause_units, tfidf, whole_vectors
from . import parallel, progress
from .errors import ConfigError
from .keys import Key, lexicon, make_key, pack, unpack
from .records import Document, Measure
from .roles import DEFAULT_ROLES, parse_roles
from .pairmodel import FEATURES, rival_columns, snap
from .pairmodel import load as load_model

_PIECES = re.compile(r"[\s,.;:!?()\[\]<>、。“”‘’\"'《》【】—…·]+")
SCORER = ("max(fuzz.ratio(whole keys), 100*cosine(char 1-2-gram TF-IDF, best clause pair)); "
          "evidence = sum of ln(N/df)/ln(N/2) over shared key n-grams")


DEFAULT_FLOOR = 15.0


@dataclass(frozen=True, kw_only=True)
class AlignConfig:
    mode: str = "cross"              # "cross" (many-to-many) or "series" (consecutive versions)
    threshold: float = 35.0          # series mode (and without the model): keep pairs with score >= threshold
    floor: float = DEFAULT_FLOOR     # cross mode: candidates scoring below this are not given to the model…
    rare_shared: int = 3             # …unless they share this many rare 4-grams (a named instrument)
    rare_df: int = 6                 # a 4-gram in at most this many measures is rare
    use_model: bool = True           # cross mode: the pair model decides (compare/pairmodel.py)
    min_probability: float | None = None   # cross mode: keep pairs at least this probable (None: the model's)
    review: bool = False             # cross mode: the screening list (the model's recall-first point, capped)
    min_evidence: float = 0.0        # an extra rule on shared specific wording (0: off; the model weighs it)
    template_groups: int = 8         # a 4-gram in this many (sub-)documents or more is template wording
    # cross mode with the model: two measures whose matching keys are identical, at least this long (in key
    # characters) and not mostly template wording, between two (sub-)documents that share at least
    # ``identical_block`` such measures (a plan copied whole, not an opening and a closing), are kept whatever
    # the model's probability (0: off)
    identical_chars: int = 40
    identical_block: int = 3
    # …and, between two such (sub-)documents, two measures whose keys are nearly identical (a whole ratio of at
    # least ``near_whole`` and ``same_whole``, the same length and template limits), each the other's one best
    # match there: a copy lightly edited (an amended article, 推行 -> 健全), kept the same way (0: off)
    near_whole: float = 90.0
    evidence_n: int = 4              # the n of the character n-grams of ``evidence``
    same_whole: float = 70.0         # whole-measure ratio from which a pair is "same"
    contains_local: float = 80.0     # local alignment score needed for "contains"
    contains_coverage: float = 0.6   # share of the shorter side inside the aligned stretch for "contains"
    local_min_chars: int = 14
    min_key_chars: int = 6           # keys shorter than this are never aligned (titles, stubs)
    blocking: BlockingConfig = field(default_factory=BlockingConfig)   # clause blocking (without the model)
    # cross mode with the model: the nearest whole keys (measures whose whole wording may match)
    near_duplicates: BlockingConfig = field(default_factory=lambda: BlockingConfig(unigrams=False,
                                                                                   max_df_count=500))
    roles: tuple[str, ...] = DEFAULT_ROLES   # the segment roles aligned (compare/roles.py); pipeline filters

    def __post_init__(self) -> None:
        object.__setattr__(self, "roles", parse_roles(self.roles))
        if self.mode not in ("cross", "series"):
            raise ConfigError(f"mode must be 'cross' or 'series', not {self.mode!r}")
        for name, value in (("threshold (--threshold in series mode)", self.threshold),
                            ("floor (--threshold in cross mode)", self.floor)):
            if not 0 <= value <= 100:   # also refuses nan
                raise ConfigError(f"{name} must be between 0 and 100, not {value:g}")
        if self.review and (self.mode != "cross" or not self.use_model):
            raise ConfigError("review (the screening list) is for cross mode with the pair model")
        if self.review and self.min_probability is not None:
            raise ConfigError("--review and --min-probability (review=, min_probability=) are two operating points: "
                              "give one of them")
        if self.min_probability is not None and not 0 <= self.min_probability <= 1:
            raise ConfigError("--min-probability (min_probability=) must be between 0 and 1, "
                              f"not {self.min_probability:g}")
        if not self.min_evidence >= 0:  # also refuses nan
            raise ConfigError(f"min_evidence must be 0 or more, not {self.min_evidence}")
        if self.evidence_n < 2:
            raise ConfigError(f"evidence_n must be 2 or more, not {self.evidence_n}")
        for name in ("identical_chars", "identical_block"):
            value = getattr(self, name)
            if not (isinstance(value, int) and value >= 0):
                raise ConfigError(f"{name} must be a whole number, 0 or more, not {value!r}")
        if not 0 <= self.near_whole <= 100:   # also refuses nan
            raise ConfigError(f"near_whole must be between 0 and 100, not {self.near_whole:g}")

    @property
    def modelled(self) -> bool:
        return self.mode == "cross" and self.use_model

    @property
    def min_score(self) -> float:
        """The least similarity score of a kept pair: ``floor`` with the model, else ``threshold``."""
        return self.floor if self.modelled else self.threshold

    def cutoff(self) -> float:
        """The probability from which the model keeps a pair at this operating point."""
        from .pairmodel import load

        if self.min_probability is not None:
            return self.min_probability
        model = load()
        return model.review_probability if self.review else model.min_probability

    def identical(self, *, whole: np.ndarray, length: np.ndarray, template: np.ndarray, group_a: np.ndarray,
                  group_b: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Which of these pairs of measures (``i``, ``j``) are the same by their wording alone (``whole`` 100:
        their keys are identical; ``length``: the keys' length; ``template``: the share of their 4-grams that
        are template wording; ``group_a``, ``group_b``: their (sub-)documents), given every candidate pair whose
        keys are identical or nearly so: with the model, keys of ``identical_chars`` or more that are not mostly
        template wording, between two (sub-)documents that share ``identical_block`` identical pairs or more;
        between those, also a pair whose whole ratio reaches ``near_whole`` when each measure is the other's
        one best match in the other (sub-)document (a copy lightly edited: an amended article). A plan copied
        into another document (a district restating its city's measures word for word, a law's next version)
        is the same measure however little the model, which learned from paraphrases, makes of it; a short
        heading (着力推动创新驱动提质增效) is not, nor what two notices of one office about different pilots share:
        an opening and a closing paragraph (80 and 58 key characters), one sentence (28) and the signatures."""
        whole = np.asarray(whole)
        out = np.zeros(len(whole), dtype=bool)
        if not (self.modelled and self.identical_chars > 0):
            return out
        # a kept near-copy is "same": it reaches same_whole too (same_whole=95 raises the bar of the rule)
        least = 100.0 if self.near_whole <= 0 else min(max(self.near_whole, self.same_whole), 100.0)
        near = (whole >= least) & (np.asarray(length) >= self.identical_chars) & (np.asarray(template) < 0.5)
        at = np.flatnonzero(near)   # few pairs, or none: the rest of the candidates are not looked at again
        if not len(at):
            return out
        lo, hi = np.minimum(group_a[at], group_b[at]), np.maximum(group_a[at], group_b[at])
        exact = whole[at] >= 100.0
        blocks = Counter(zip(lo[exact].tolist(), hi[exact].tolist()))
        in_block = np.asarray([blocks[g] >= self.identical_block for g in zip(lo.tolist(), hi.tolist())])
        out[at[exact & in_block]] = True
        edited = np.flatnonzero(~exact & in_block)
        if len(edited):
            # each side's best match in the other (sub-)document, among the pairs of a block; a tie is no match
            best: dict = {}
            for n in np.flatnonzero(in_block).tolist():
                k = int(at[n])
                for side, other in ((int(i[k]), int(group_b[k])), (int(j[k]), int(group_a[k]))):
                    top, count = best.get((side, other), (-1.0, 0))
                    w = float(whole[k])
                    best[(side, other)] = (w, 1) if w > top else (top, count + 1) if w == top else (top, count)
            for n in edited.tolist():
                k = int(at[n])
                w = float(whole[k])
                out[k] = all(best[key] == (w, 1) for key in ((int(i[k]), int(group_b[k])),
                                                             (int(j[k]), int(group_a[k]))))
        return out

    def keeps(self, *, score: float, whole: float, evidence: float, probability: float | None = None,
              template: float = 0.0, identical: bool = False) -> bool:
        """Whether a pair with these figures is kept. With the model (cross mode): its probability (or
        ``identical``, as ``AlignConfig.identical`` says) and the score floor, and some shared wording that is not
        template wording unless the whole measures match (two articles sharing only 构成犯罪的，依法追究刑事责任
        are not one measure); otherwise the score threshold, and in cross mode the evidence rule (between
        versions of one document, a boilerplate article such as 本条例自…起施行 is the same article in both)."""
        if self.modelled:
            # below the default floor only pairs that share rare wording reach the model; a floor raised
            # by the user (--threshold) holds for every pair
            return (((probability is not None and probability >= self.cutoff()) or bool(identical))
                    and evidence >= self.min_evidence
                    and (score >= self.floor or self.floor <= DEFAULT_FLOOR)
                    and (whole >= self.same_whole or (evidence > 0 and template < 1.0)))
        if score < self.threshold:
            return False
        return self.mode == "series" or evidence >= self.min_evidence or whole >= self.same_whole

    def keeps_all(self, *, score: np.ndarray, whole: np.ndarray, evidence: np.ndarray, probability: np.ndarray,
                  template: np.ndarray, identical: np.ndarray) -> np.ndarray:
        """``keeps`` with the model, for arrays of pairs at once (``tests/test_align.py`` checks it against
        ``keeps`` pair by pair)."""
        return (((probability >= self.cutoff()) | identical) & (evidence >= self.min_evidence)
                & ((score >= self.floor) | (self.floor <= DEFAULT_FLOOR))
                & ((whole >= self.same_whole) | ((evidence > 0) & (template < 1.0))))


@dataclass(frozen=True)
class Pair:
    a: Measure
    b: Measure
    score: float
    whole: float
    clause: float
    local: float
    relation: str            # same | contains | related | restates
    container: str           # "a", "b" or "" (which side contains the other, for contains)
    span_a: tuple[int, int]  # offsets in a.raw
    span_b: tuple[int, int]
    stage_a: str
    stage_b: str
    reason: str
    evidence: float = 0.0    # shared specific wording (see the module's docstring)
    terms: tuple[str, ...] = ()  # the most specific shared stretches, as they read in a's normalised text
    probability: float | None = None   # the pair model's (cross mode); None where no model decided
    template: float = 0.0    # share of the shared 4-grams that are template wording
    identical: bool = False  # identical wording in a copied block (``AlignConfig.identical``): kept whatever the
    #                          probability (a researcher's relabelling keeps this True: it says why it was kept)

    def to_dict(self, *, threshold: float) -> dict:
        return {
            "doc_a": self.a.doc_id, "measure_a": self.a.measure_id, "label_a": self.a.label, "text_a": self.a.text,
            "doc_b": self.b.doc_id, "measure_b": self.b.measure_id, "label_b": self.b.label, "text_b": self.b.text,
            "raw_a": self.a.raw, "raw_b": self.b.raw, "role_a": self.a.role, "role_b": self.b.role,
            "probability": None if self.probability is None else round(self.probability, 4),
            "identical": self.identical,
            "score": round(self.score, 2), "relation": self.relation, "container": self.container,
            "span_a": list(self.span_a), "span_b": list(self.span_b),
            "whole": round(self.whole, 2), "clause": round(self.clause, 2), "local": round(self.local, 2),
            "evidence": round(self.evidence, 2), "template": round(self.template, 3), "terms": list(self.terms),
            "reason": self.reason,
            "subdoc_a": self.a.subdoc, "subdoc_b": self.b.subdoc, "stage_a": self.stage_a, "stage_b": self.stage_b,
            "scorer": SCORER, "threshold": threshold,
        }


_PAIR_REST = tuple(f.name for f in fields(Pair))[2:]   # every field of a Pair after its two measures


@dataclass(frozen=True)
class Alignment:
    pairs: tuple[Pair, ...]
    unique: tuple[Measure, ...]      # measures with no counterpart
    candidates: int                  # candidate pairs scored
    config: AlignConfig


@lru_cache(maxsize=None)
def _stage_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    return lexicon("stage_done"), lexicon("stage_planned")


def stage(text: str, doc_kind: str) -> str:
    """'done' or 'planned' by the cue words in ``text``; the document kind breaks ties."""
    return _stage_of(_cues(text), doc_kind)


def _cues(text: str) -> tuple[int, int]:
    """How often the cue words of 'done' and of 'planned' occur in ``text``."""
    done, planned = _stage_words()
    return sum(text.count(w) for w in done), sum(text.count(w) for w in planned)


def _stage_of(cues: tuple[int, int], doc_kind: str) -> str:
    d, p = cues
    if d > p:
        return "done"
    if p > d:
        return "planned"
    return "done" if doc_kind in ("report", "rectification report") else "planned"


def _raw_span(doc: Document, m: Measure, key: Key, start: int, stop: int) -> tuple[int, int]:
    """Offsets in ``m.raw`` of key characters [start, stop)."""
    ts, te = key.text_span(start, stop)
    if ts == te:
        return (0, 0)
    norm = doc.normalized
    rs, re_ = norm.to_raw(m.norm_start + ts, m.norm_start + te)
    return rs - m.start, re_ - m.start


@dataclass(frozen=True)
class Score:
    whole: float              # fuzz.ratio of the whole keys (0-100)
    clause: float             # best clause-pair TF-IDF cosine (0-100)
    local: float              # fuzz.partial_ratio_alignment inside that clause pair (0-100)
    span_a: tuple[int, int]   # key spans of the aligned stretch inside the best clause pair
    span_b: tuple[int, int]
    coverage: float           # share of the shorter measure's key inside the aligned stretch

    @property
    def score(self) -> float:
        return max(self.whole, self.clause)


def _vectors(keys: list[Key], units: Units, config: "AlignConfig") -> list:
    """``[clause units' rows (_clause_vectors), whole keys' rows (candidates.whole_vectors)]``: a list, so that
    ``candidate_set`` can let go of the second once it is used."""
    return [_clause_vectors(keys, units), whole_vectors(keys, config.near_duplicates)]


def _clause_vectors(keys: list[Key], units: Units):
    """The clause units' TF-IDF rows (characters and character bigrams), with sorted indices."""
    x = tfidf([keys[o].text[s:e] for (s, e), o in zip(units.spans, units.owner)], max_df=1.0, unigrams=True,
              sublinear=False)
    x.sort_indices()
    return x


class _Clauses:
    """The clause units of the keys as TF-IDF rows of characters and character bigrams (``clause`` scores)."""

    def __init__(self, keys: list[Key], units: Units, x=None):
        self.keys, self.units = keys, units
        self.x = _clause_vectors(keys, units) if x is None else x   # ``x``: built elsewhere (``prepare``)
        owner = np.asarray(units.owner, dtype=np.int64)
        self.count = np.bincount(owner, minlength=len(keys))
        self.first = np.concatenate(([0], np.cumsum(self.count)[:-1]))  # units of a measure are consecutive
        self.best(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))   # compiled here, before any fork

    def best(self, bi: np.ndarray, bj: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For each pair (bi[n], bj[n]): the best cosine over all pairs of their clauses (the first such
        combination on ties) and the two clause units it is between. Each pair's own clauses only: the same
        in any block (``kernels.best_units``; ``tests/test_align.py`` checks it against sparse products)."""
        from . import kernels   # numba: imported where it is used (0.3 s)

        return kernels.best_units(self.x, self.count, self.first, bi, bj)

    def local(self, i: int, j: int, unit_a: int, unit_b: int, local_min_chars: int
              ) -> tuple[float, tuple[int, int], tuple[int, int], float]:
        """``fuzz.partial_ratio_alignment`` of the shorter clause against the longer: (local, the aligned key
        spans of i and j, coverage: the share of the shorter measure's key inside the aligned stretch)."""
        keys = self.keys
        (sa, ea), (sb, eb) = self.units.spans[unit_a], self.units.spans[unit_b]
        ta, tb = keys[i].text[sa:ea], keys[j].text[sb:eb]
        a_short = len(ta) <= len(tb)
        short, long_ = (ta, tb) if a_short else (tb, ta)
        al = fuzz.partial_ratio_alignment(short, long_, processor=None)
        if al is None:
            return 0.0, (sa, ea), (sb, eb), 0.0
        local = al.score * min(1.0, len(short) / local_min_chars)
        s_span, l_span = (al.src_start, al.src_end), (al.dest_start, al.dest_end)
        ka, kb = (s_span, l_span) if a_short else (l_span, s_span)
        span_a, span_b = (sa + ka[0], sa + ka[1]), (sb + kb[0], sb + kb[1])
        a_shorter = len(keys[i].text) <= len(keys[j].text)
        covered = (span_a[1] - span_a[0]) if a_shorter else (span_b[1] - span_b[0])
        return float(local), span_a, span_b, covered / max(1, len(keys[i].text if a_shorter else keys[j].text))


def _may_reach(grams: "Grams", bi: np.ndarray, bj: np.ndarray, lensum: np.ndarray, ratio: float) -> np.ndarray:
    """Whether ``fuzz.ratio`` of the whole keys of each pair may reach ``ratio``: False only where it cannot,
    because it is at most ``200 * common characters / (len_a + len_b)`` (``kernels.common_characters``). The
    slack (1e-4) is far above the error of the float32 ratios rapidfuzz returns."""
    if not len(bi):
        return np.zeros(0, dtype=bool)
    from . import kernels   # numba: imported where it is used

    common = kernels.common_characters(grams, bi, bj)
    return (200 * common / np.maximum(lensum, 1) >= ratio - 1e-4) | (lensum == 0)   # two empty texts: 100


def _whole(keys: list[Key], bi: np.ndarray, bj: np.ndarray) -> np.ndarray:
    """``fuzz.ratio`` of the whole keys of each pair."""
    return process.cpdist([keys[i].text for i in bi.tolist()], [keys[j].text for j in bj.tolist()],
                          scorer=fuzz.ratio, processor=None, workers=1).astype(np.float64)


def score_pairs(keys: list[Key], units: Units, cand: set[tuple[int, int]],
                *, local_min_chars: int, explain_from: float = 0.0,
                explain: set | None = None, workers: int | None = 1) -> dict[tuple[int, int], Score]:
    """Score each candidate pair in full (the obvious way; ``align`` in cross mode computes the same scores
    for the pairs the model may keep, and leaves out early those it cannot: ``_modelled``).

    ``clause``: the best cosine, over all pairs of their clauses, of TF-IDF vectors of characters and
    character bigrams of the clause keys (x100). ``whole``: ``fuzz.ratio`` of the whole keys. Inside the best
    clause pair, ``fuzz.partial_ratio_alignment`` (shorter clause against the longer) gives ``local`` and the
    aligned spans. Every rapidfuzz call names its scorer and passes ``processor=None`` (keys are prepared).
    The local alignment is computed only for pairs scoring at least ``explain_from`` (the others are not kept).
    The pairs are scored in blocks, by ``workers`` processes (``parallel.map_ordered``): the same scores.
    """
    order = sorted(cand)
    if not order:
        return {}
    clauses = _Clauses(keys, units)
    pi = np.asarray([p[0] for p in order], dtype=np.int64)
    pj = np.asarray([p[1] for p in order], dtype=np.int64)
    size = 20_000   # pairs a block: every array of clause combinations stays small

    def block(lo: int) -> list[Score]:
        bi, bj = pi[lo:lo + size], pj[lo:lo + size]
        best, ua, ub = clauses.best(bi, bj)
        wholes = _whole(keys, bi, bj)
        out = []
        for n in range(len(bi)):
            i, j, whole, clause = int(bi[n]), int(bj[n]), float(wholes[n]), float(best[n]) * 100
            (sa, ea), (sb, eb) = units.spans[int(ua[n])], units.spans[int(ub[n])]
            if max(whole, clause) < explain_from and not (explain and (i, j) in explain):
                out.append(Score(whole, clause, 0.0, (sa, ea), (sb, eb), 0.0))
                continue
            local, span_a, span_b, coverage = clauses.local(i, j, int(ua[n]), int(ub[n]), local_min_chars)
            out.append(Score(whole, clause, local, span_a, span_b, coverage))
        return out

    blocks = parallel.map_ordered(block, range(0, len(order), size), workers=workers, desc="scoring pairs",
                                  unit="block of 20,000 pairs", chunk=1)
    return dict(zip(order, (sc for b in blocks for sc in b)))


class Grams:
    """The distinct character ``n``-grams of each key: a sparse measures × n-grams 0/1 matrix and the weight
    of each n-gram, ``ln(N/df) / ln(N/2)`` clipped to [0, 1] (``N`` measures, ``df`` measures containing it).

    n-grams are packed exactly into integers (each character as its rank in the corpus alphabet), so that
    hundreds of thousands of measures need no dictionary of strings."""

    def __init__(self, texts: list[str], n: int):
        self.n = n
        self.texts = texts
        lens = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
        starts = np.concatenate(([0], np.cumsum(lens)))
        codes, points = characters(texts)
        alphabet = len(points)
        # every character as its rank in the alphabet, and where each text's start (``kernels.common_characters``)
        self.chars = codes.astype(np.uint16 if alphabet <= 2**16 else np.int32)
        self.char_start, self.alphabet, self.points = starts, alphabet, points
        counts = np.maximum(lens - n + 1, 0)             # n-grams of each text
        valid = np.ones(int(starts[-1]), dtype=bool)     # an n-gram starts here and stays inside its text
        for k in range(1, n):
            ends = starts[1:] - k
            valid[ends[lens >= k]] = False
        at = np.flatnonzero(valid)
        del valid
        bits = max(1, int(alphabet - 1).bit_length())
        self._bits, self._vocab = bits, None
        if bits * n <= 63:
            ids = np.zeros(len(at), dtype=np.int64)
            for t in range(n):
                ids = (ids << bits) | codes[at + t]
        else:  # an alphabet too large to pack: number the n-gram strings instead
            joined = "".join(texts)
            vocab: dict[str, int] = {}
            ids = np.fromiter((vocab.setdefault(joined[p:p + n], len(vocab)) for p in at.tolist()),
                              dtype=np.int64, count=len(at))
            self._vocab = vocab
        del codes, at
        self._distinct, col = ranks(ids)   # each column's id (sorted): ``columns_of`` looks n-grams up in them
        del ids
        col = col.ravel()
        ncols = int(col.max()) + 1 if len(col) else 1
        self.seq = col.astype(np.int32 if ncols < 2**31 else np.int64)  # column of each n-gram, in text order
        self.seq_start = np.concatenate(([0], np.cumsum(counts)))
        owner = np.repeat(np.arange(len(texts), dtype=np.int32), counts)
        m = sparse.csr_matrix((np.ones(len(col), dtype=np.float32), (owner, col)), shape=(len(texts), ncols))
        del owner, col
        m.sum_duplicates()
        m.data[:] = 1.0
        self.matrix = m
        df = np.bincount(m.indices, minlength=ncols).astype(float)
        big_n = len(texts)
        if big_n > 2:
            self.weight = np.clip(np.log(big_n / np.maximum(df, 1.0)) / np.log(big_n / 2), 0.0, 1.0)
        else:
            self.weight = np.ones(ncols)

    def columns_of(self, grams: list[str]) -> np.ndarray:
        """The column of each n-gram string (``-1`` where no text has it, or where it is not ``n`` long)."""
        out = np.full(len(grams), -1, dtype=np.int64)
        for k, g in enumerate(grams):
            if len(g) != self.n:
                continue
            if self._vocab is not None:
                gid = self._vocab.get(g, -1)
            else:
                cps = np.fromiter(map(ord, g), dtype=np.int64, count=self.n)
                at = np.searchsorted(self.points, cps)
                if (at >= len(self.points)).any() or (self.points[np.minimum(at, len(self.points) - 1)] != cps).any():
                    continue
                gid = 0
                for r in at.tolist():
                    gid = (gid << self._bits) | r
            if gid < 0:
                continue
            c = int(np.searchsorted(self._distinct, gid))
            if c < len(self._distinct) and self._distinct[c] == gid:
                out[k] = c
        return out

    def evidence(self, pairs: list[tuple[int, int]]) -> np.ndarray:
        """For each pair (i, j): the sum of the weights of the n-grams both measures contain."""
        out = np.zeros(len(pairs))
        if not pairs:
            return out
        pi = np.asarray([p[0] for p in pairs], dtype=np.int64)
        pj = np.asarray([p[1] for p in pairs], dtype=np.int64)
        step = 100_000
        for lo in range(0, len(pairs), step):
            both = self.matrix[pi[lo:lo + step]].multiply(self.matrix[pj[lo:lo + step]]).tocsr()
            out[lo:lo + step] = np.asarray(both.multiply(self.weight).sum(axis=1)).ravel()
        return out

    def shared_runs(self, i: int, j: int, *, most: int = 3, min_weight: float = 0.5) -> list[tuple[int, int]]:
        """Key spans of i (in text order): its ``most`` most specific stretches that occur verbatim in j. A
        stretch is a run of shared n-grams, ranked by the sum of their weights (at least ``min_weight``); runs
        that overlap a better one are left out. Compiled (``kernels.shared_runs``)."""
        from . import kernels   # numba: imported where it is used

        seq = self.seq[self.seq_start[i]:self.seq_start[i + 1]]
        other = self.matrix.indices[self.matrix.indptr[j]:self.matrix.indptr[j + 1]]
        return kernels.shared_runs(seq, other, self.texts[i], self.texts[j], self.weight, self.n, most, min_weight)


def _terms(stretches: list[str]) -> tuple[str, ...]:
    """The shared stretches as a reader wants them: the longest piece between punctuation marks, each once
    (a piece inside another one is left out)."""
    pieces = [max(_PIECES.split(s), key=len) for s in stretches]
    out: list[str] = []
    for piece in sorted(pieces, key=lambda x: -len(x)):
        if piece and not any(piece in o for o in out):
            out.append(piece)
    return tuple(sorted(out, key=pieces.index))


def align(docs: list[Document], measures: list[Measure], *, config: AlignConfig = AlignConfig(),
          select: bool = True, workers: int | None = 1, on_pairs: "Callable[[list[Pair]], None] | None" = None,
          pairs_per_call: int = 50_000) -> Alignment:
    """Pairs of matching measures across ``docs`` (their ``measures``, one level), labelled and explained.

    In series mode the one-partner selection (``series_selection``) is made here unless ``select`` is false
    (``review.apply`` makes it after the researcher's decisions, so that a pair dropped by them frees its
    measures for their next-best partners). ``workers`` processes score the candidates: the same result.

    ``on_pairs`` (a writer) is given the pairs in their final order, ``pairs_per_call`` at a time, each block
    as soon as it is explained, before the next one is (cross mode; where the order needs every pair first,
    the screening list's cap and series mode's selection, once they are all made): the same pairs as
    ``Alignment.pairs``."""
    from .roles import select as select_roles

    if pairs_per_call < 1:
        raise ConfigError(f"pairs_per_call must be 1 or more, not {pairs_per_call}")
    given = select_roles(measures, config.roles)
    with progress.stage("keys, 4-grams and words"):
        prep = prepare(docs, given, config, workers=workers, vectors=True)
        if config.modelled and prep.context is not None:
            shipped = load_model()   # its tables over the context, cached there: they go to the workers with it
            prep.context.lift_vector(shipped)
            prep.context.gram_lift_vector(shipped)
    # on Dask, what the stages' functions refer to goes to each worker once, not with every stage
    with parallel.sharing(workers, prep.keys, prep.grams and prep.grams.texts, prep.grams, prep.context, prep):
        ms, keys, groups, by_doc, doc_order = prep.ms, prep.keys, prep.groups, prep.by_doc, prep.doc_order
        allowed = None
        if config.mode == "series":
            def allowed(ga: int, gb: int) -> bool:
                return abs(doc_order[prep.group_names[ga][0]] - doc_order[prep.group_names[gb][0]]) == 1
        n = len(keys)
        try:
            with progress.stage("candidate pairs"):
                codes, rare = candidate_set(prep, config, allowed=allowed, workers=workers)
            n_candidates = len(codes)
            if config.modelled:
                kept, scores, evidence, probability, template, identical = _modelled(
                    prep, config, codes // n, codes % n, np.isin(codes, rare), workers=workers)
        finally:   # the TF-IDF rows: their process ended if nothing asked for them (no keys, an error), or the
            # matrices forgotten (their memory)
            if prep.vectors is not None:
                prep.vectors.cancel()
        if not config.modelled:
            cand = set(zip((codes // n).tolist(), (codes % n).tolist()))
            del codes
            with progress.stage("scoring"):
                scores = score_pairs(keys, prep.units, cand, local_min_chars=config.local_min_chars,
                                     explain_from=config.threshold, workers=workers)
            above = sorted(p for p, sc in scores.items() if sc.score >= config.threshold)
            evidence = dict(zip(above, prep.grams.evidence(above).tolist())) if above else {}
            probability, template, identical = {}, {}, set()
            kept = [(i, j) for i, j in above
                    if config.keeps(score=scores[(i, j)].score, whole=scores[(i, j)].whole, evidence=evidence[(i, j)])]

        def explain(ij: tuple[int, int]) -> Pair:   # the measures stay here: only what was computed comes back
            return _pair(prep, config, *ij, scores[ij], evidence[ij], probability.get(ij), template.get(ij, 0.0),
                         identical=ij in identical, measures=False)

        capped = config.modelled and config.review and config.min_probability is None
        selected = config.mode == "series" and select
        streamed = on_pairs is not None and not capped and not selected

        def order(i: int, j: int):   # the pairs' final order: by the documents' order, then the measures'
            return doc_order[ms[i].doc_id], doc_order[ms[j].doc_id], ms[i].ordinal, ms[j].ordinal

        if streamed:   # explained in their final order (the sort below then keeps it), and handed on block by block
            kept.sort(key=lambda ij: order(*ij))
        if kept and prep.grams is not None:
            prep.grams.shared_runs(*kept[0])   # its kernel compiled here, before the workers fork
        pairs: list[Pair] = []
        with progress.stage("explaining pairs"):
            step = pairs_per_call if streamed else max(1, len(kept))
            for lo in range(0, len(kept), step):
                block = kept[lo:lo + step]
                done = [_with_measures(p, ms[i], ms[j]) for p, (i, j) in zip(
                    parallel.map_ordered(explain, block, workers=workers, desc="explaining pairs", unit="pair"), block)]
                pairs += done
                if streamed:
                    on_pairs(done)
        if capped:
            cap = load_model().review_max_pairs  # the screening list: the most probable first, at most this many
            pairs = sorted(pairs, key=screening_order)[:cap]
        if selected:
            pairs = series_selection(pairs)
        pairs.sort(key=lambda p: (doc_order[p.a.doc_id], doc_order[p.b.doc_id], p.a.ordinal, p.b.ordinal))
        if on_pairs is not None and not streamed:
            for lo in range(0, len(pairs), pairs_per_call):
                on_pairs(pairs[lo:lo + pairs_per_call])
        counted = [p for p in pairs if p.relation != "restates"]   # a restatement is no counterpart
        matched = {p.a.measure_id for p in counted} | {p.b.measure_id for p in counted}
        # every measure given without a counterpart, also those too short to compare (the report counts the same)
        unique = tuple(m for m in given if m.doc_id in by_doc and m.measure_id not in matched)
        return Alignment(tuple(pairs), unique, n_candidates, config)


def screening_order(p: "Pair") -> tuple:
    """The order of the screening list (``--review``): pairs kept by the copy rule first, then the most
    probable, ties by measure ids."""
    return (not p.identical, -(p.probability or 0.0), p.a.measure_id, p.b.measure_id)


@dataclass(frozen=True)
class Prepared:
    """The measures aligned together, their keys, comparison groups, clause units and 4-grams."""

    docs: tuple[Document, ...]
    ms: list[Measure]
    keys: list[Key]
    groups: list[int]
    group_names: list[tuple[str, str]]
    by_doc: dict[str, Document]
    doc_order: dict[str, int]
    units: Units
    grams: "Grams | None"
    config: "AlignConfig"
    done: np.ndarray           # 1 where a measure's stage is done, 0 where planned (``stage``)
    context: object = None     # pairmodel.PairContext, built when the model needs it
    vectors: object = None     # with the model: the TF-IDF rows of the whole keys (near-duplicate candidates) and
                               # of the clause units (scoring), being built by another process (a
                               # ``parallel.Pending`` of ``_vectors``) while this one prepares
    links: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))   # ``named_links``


def prepare(docs: list[Document], measures: list[Measure], config: "AlignConfig", *, workers=1,
            vectors: bool = False) -> Prepared:
    """The measures of ``docs`` aligned together, keyed, grouped and with their 4-grams (and, with the model,
    the ``PairContext``). ``vectors`` (``align`` asks for it): also start building the TF-IDF rows of the whole
    keys and of the clause units in a second process (``Prepared.vectors``); whoever asks must ``cancel()`` it
    when done."""
    by_doc = {d.id: d for d in docs}
    doc_order = {d.id: i for i, d in enumerate(docs)}
    ms = [m for m in measures if m.doc_id in by_doc]
    ms.sort(key=lambda m: (doc_order[m.doc_id], m.ordinal))
    modelled = config.modelled and bool(ms)
    keyed = _keyed([m.text for m in ms], workers=workers, also=_word_cutter if modelled else None)
    usable = [i for i, (k, _) in enumerate(keyed) if len(k.text) >= config.min_key_chars]
    ms = [ms[i] for i in usable]
    keys = [keyed[i][0] for i in usable]
    done = np.asarray([_stage_of(keyed[i][1], by_doc[m.doc_id].meta.kind) == "done" for i, m in zip(usable, ms)],
                      dtype=np.int8)
    del keyed
    group_names = sorted({(m.doc_id, m.subdoc) for m in ms}, key=lambda g: (doc_order[g[0]], g[1]))
    group_id = {g: n for n, g in enumerate(group_names)}
    groups = [group_id[(m.doc_id, m.subdoc)] for m in ms]
    units = clause_units(keys, config.blocking.min_clause_chars, whole=False)
    texts = [k.text for k in keys]
    modelled = modelled and bool(keys)
    # the TF-IDF rows (for candidates and scoring) in a second process while this one builds the 4-grams and
    # the word matrix, which only it can do
    pending = parallel.background(lambda: _vectors(keys, units, config), workers=workers) \
        if modelled and vectors else None
    try:
        grams = Grams(texts, config.evidence_n) if keys else None
        context = None
        if modelled:
            from .pairmodel import PairContext

            context = PairContext(texts, groups, grams, template_groups=config.template_groups,
                                  rare_df=config.rare_df, clauses=[k.clauses for k in keys])
    except BaseException:   # an error or an interrupt here: end that process, do not wait for it
        if pending is not None:
            pending.cancel()
        raise
    return Prepared(tuple(docs), ms, keys, groups, group_names, by_doc, doc_order, units, grams, config, done,
                    context, pending,
                    named_links(ms, groups, group_names, by_doc) if modelled else np.zeros(0, dtype=np.int64))


_QUOTED = re.compile(r"“([^“”]{2,80})”|《([^《》]{2,80})》")
_QUOTE_MARKS = str.maketrans("", "", "“”‘’「」『』《》〈〉\"' \u3000")


def quoted_names(text: str) -> list[str]:
    """The names a text quotes (in “…” or 《…》, quote marks inside dropped) of 6 characters or more (a shorter
    quoted word, “文化中心”, “高质量发展”, is a slogan more often than the subject of a report):
    “推进高精尖产业发展”, “市‘十四五’规划经济社会发展重要指标” → 市十四五规划经济社会发展重要指标."""
    out = []
    for m in _QUOTED.finditer(text):
        name = (m.group(1) or m.group(2)).translate(_QUOTE_MARKS)
        if len(name) >= 6:
            out.append(name)
    return out


_DOCUMENT_KINDS = ("条例", "办法", "规定", "方案", "意见", "措施", "通知", "公告", "决定", "细则", "规划", "纲要", "计划",
                   "法", "指引", "清单", "规则", "标准")


def names_title(name: str, title: str) -> bool:
    """Whether a quoted name is the (sub-)document title's subject: found in it whole, or nearly: three
    quarters of its characters, in order, within a stretch of the title half again as long as the name
    (rapidfuzz ``LCSseq``, no processor). 市十四五规划经济社会发展重要指标 names 关于北京市十四五时期规划经济社会发展
    重要指标的调研报告 (which adds 时期), 生活垃圾分类和物业管理 names …时期垃圾分类和物业管理的调研报告, 推进国际交往中心功能
    建设 names …推进北京国际交往中心功能建设的调研报告. A name that ends in a kind of document (条例, 方案, 措施…) cites that
    document by its title: every character of it must be there, in order (the title may add a word: 北京市促进私营个体
    经济条例 names 北京市促进私营个体经济发展条例), so that 《优化营商环境条例》 does not name 关于进一步优化京津口岸营商环境
    促进跨境贸易便利化若干措施的公告, nor 《中国(北京)自由贸易试验区总体方案》 the 工作方案 for that zone."""
    if name in title:
        return True
    width = len(name) + len(name) // 2
    need = len(name) if name.endswith(_DOCUMENT_KINDS) else 0.75 * len(name)
    return any(LCSseq.similarity(name, title[s:s + width], processor=None) >= need
               for s in range(max(1, len(title) - width + 1)))


def named_links(ms: list[Measure], groups: list[int], group_names: list[tuple[str, str]],
                by_doc: dict[str, Document]) -> np.ndarray:
    """Where a measure names another sub-document of its own document: ``i * len(group_names) + g`` (sorted)
    for each measure i that quotes the title of sub-document g (``quoted_names``, ``names_title``) — a journal's
    summary report (关于“推进高精尖产业发展”，建议…) and the report of that title (关于北京市“十四五”时期推进高精尖产业发展的调研报告),
    whose recommendations it restates. The pair model's ``named`` feature."""
    width = len(group_names)
    titles: dict[str, list[tuple[int, str]]] = {}   # each document's sub-documents: (group, title)
    for g, (doc, sub) in enumerate(group_names):
        titles.setdefault(doc, []).append((g, (sub or by_doc[doc].meta.title).translate(_QUOTE_MARKS)))
    codes = []
    for i, m in enumerate(ms):
        others = [(g, t) for g, t in titles[m.doc_id] if g != groups[i]]
        names = quoted_names(m.text) if others else []
        codes += [i * width + g for g, title in others if any(names_title(n, title) for n in names)]
    return np.asarray(codes, dtype=np.int64)


def named_of(prep: Prepared, pi: np.ndarray, pj: np.ndarray) -> np.ndarray:
    """1 where one measure of the pair names the other's sub-document (``named_links``), else 0."""
    links = prep.links
    if not len(links) or not len(pi):
        return np.zeros(len(pi))
    width = len(prep.group_names)
    g = np.asarray(prep.groups, dtype=np.int64)
    pi, pj = np.asarray(pi, dtype=np.int64), np.asarray(pj, dtype=np.int64)
    return (np.isin(pi * width + g[pj], links) | np.isin(pj * width + g[pi], links)).astype(np.float64)


def _keyed(texts: list[str], *, workers=1, also=None, block: int = 2000) -> list[tuple[Key, tuple[int, int]]]:
    """``[(make_key(t), _cues(t)) for t in texts]``: each distinct text keyed once, ``block`` texts a task, by
    ``workers`` processes, the keys of a block sent back packed (``keys.pack``: a few flat arrays instead of
    thousands of objects). ``also()`` (if given) runs in this process while the workers key (with one process,
    or on Dask, before the keying)."""
    first: dict[str, int] = {}
    for t in texts:
        first.setdefault(t, len(first))
    distinct_texts = list(first)

    def one(lo: int):
        part = distinct_texts[lo:lo + block]
        return pack([make_key(t) for t in part]), [_cues(t) for t in part]

    pending = parallel.start(one, range(0, len(distinct_texts), block), workers=workers, desc="matching keys",
                             unit=f"block of {block:,} measures", chunk=1)
    try:
        if also is not None:
            also()
        parts = pending.result()
    except BaseException:
        pending.cancel()
        raise
    done = [kc for packed, cues in parts for kc in zip(unpack(packed), cues)]
    return [done[first[t]] for t in texts]


def _word_cutter() -> None:
    """jieba's dictionary as a trie (``pairmodel._cutter``: two seconds), built while the workers key the
    measures."""
    from .pairmodel import _cutter

    _cutter()


def _measure_facts(prep: Prepared):
    """What the pair model's features need of each measure: done (1) or planned (0) (``stage``), its
    document's number, roles and kinds."""
    ms = prep.ms
    doc = {m.doc_id: k for k, m in enumerate(ms)}
    doc_of = np.asarray([doc[m.doc_id] for m in ms], dtype=np.int64)
    return prep.done, doc_of, [m.role for m in ms], [m.kind for m in ms]


def pair_features(prep: Prepared, pairs: list[tuple[int, int]], scores: dict, *,
                  lift: np.ndarray | None = None, gram_lift: np.ndarray | None = None) -> np.ndarray:
    """The pair model's features (``pairmodel.FEATURES``) of ``pairs`` of ``prep``'s measures; ``lift``: a word
    table over the context's vocabulary (``PairContext.lift_vector``), ``gram_lift`` a table over its n-gram
    columns (``PairContext.gram_lift_vector``); the shipped model's by default."""
    pi = np.asarray([p[0] for p in pairs], dtype=np.int64)
    pj = np.asarray([p[1] for p in pairs], dtype=np.int64)
    done, doc_of, roles, kinds = _measure_facts(prep)
    return prep.context.features(pairs, scores, same_doc=doc_of[pi] == doc_of[pj], roles=roles, kinds=kinds,
                                 stages=done[pi] != done[pj], rivals=rivals_of(prep, pi, pj), lift=lift,
                                 gram_lift=gram_lift, named=named_of(prep, pi, pj))


def rivals_of(prep: Prepared, pi: np.ndarray, pj: np.ndarray) -> np.ndarray:
    """``pairmodel.rival_columns`` of the pairs (pi[n], pj[n]) among all of ``prep``'s pairs that share wording
    that is not template wording (``specific_codes``: the candidates the aligner builds them from, so both give
    the same features)."""
    from . import kernels

    n = len(prep.keys)
    if not len(pi):
        return np.zeros((0, 6))
    mine = np.minimum(pi, pj) * n + np.maximum(pi, pj)
    codes, at = np.unique(np.concatenate([specific_codes(prep.context, prep.groups, n=n), mine]),
                          return_inverse=True)
    a, b = codes // n, codes % n
    return rival_columns(prep.groups, a, b, kernels.shared_wording(prep.context, a, b)[1], rows=at[-len(mine):])


def rare_candidates(grams: "Grams", groups: list[int], *, max_df: int, min_shared: int) -> dict[tuple[int, int], int]:
    """Pairs of measures in different groups that share at least ``min_shared`` rare 4-grams (in at most
    ``max_df`` measures): a named pilot, centre or platform, wherever it stands in a long item. The value is
    how many they share."""
    rows, cols, shared = _rare(grams, groups, max_df=max_df, min_shared=min_shared)
    return {(int(r), int(c)): int(v) for r, c, v in zip(rows, cols, shared)}


def rare_codes(grams: "Grams", groups: list[int], *, max_df: int, min_shared: int, n: int) -> np.ndarray:
    """``rare_candidates`` as a sorted array of ``i * n + j``."""
    rows, cols, _ = _rare(grams, groups, max_df=max_df, min_shared=min_shared)
    return distinct(rows.astype(np.int64) * n + cols.astype(np.int64))


def _rare(grams: "Grams", groups: list[int], *, max_df: int, min_shared: int):
    m = grams.matrix
    df = np.bincount(m.indices, minlength=m.shape[1])
    cols = np.flatnonzero((df >= 2) & (df <= max_df))
    if not len(cols):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
    sub = m[:, cols].tocsr()
    shared = (sub @ sub.T).tocoo()
    g = np.asarray(groups)
    keep = (shared.row < shared.col) & (shared.data >= min_shared) & (g[shared.row] != g[shared.col])
    return shared.row[keep], shared.col[keep], shared.data[keep]


def candidate_set(prep: Prepared, config: "AlignConfig", *, allowed=None, workers=1
                  ) -> tuple[np.ndarray, np.ndarray]:
    """The candidate pairs of ``prep``'s measures, as sorted arrays of ``i * n + j``: (all, those sharing rare
    wording). With the pair model: the pairs sharing wording that is not template wording
    (``specific_codes``: every pair ``AlignConfig.keeps`` can keep unless its whole measures match), the pairs
    of near-duplicate whole keys (their TF-IDF nearest neighbours among the keys whose lengths allow a whole
    ratio of ``same_whole``: the pairs whose whole measures may match) and the pairs sharing rare 4-grams.
    Without it (series mode, ``use_model=False``): the clause-blocking pairs (``candidates.candidate_codes``),
    among the groups ``allowed`` compares."""
    n = len(prep.keys)
    rare = np.zeros(0, dtype=np.int64)
    if not config.modelled or prep.grams is None:
        return candidate_codes(prep.keys, prep.groups, config=config.blocking, allowed=allowed,
                               workers=workers), rare
    rare = rare_codes(prep.grams, prep.groups, max_df=config.rare_df, min_shared=config.rare_shared, n=n)
    x = None
    if prep.vectors is not None:   # the whole keys' rows, built by the other process; let go of once used
        built = prep.vectors.result()
        x, built[1] = built[1], None
        if prep.config.near_duplicates != config.near_duplicates:   # built for other settings: not these
            x = None
    codes = union(specific_codes(prep.context, prep.groups, n=n, workers=workers), rare,
                  candidate_codes(prep.keys, prep.groups, config=config.near_duplicates, workers=workers,
                                  whole_only=True, min_whole=config.same_whole, x=x))
    return codes, rare


def specific_codes(context, groups: list[int], *, n: int, workers=1, rows: int = 2000) -> np.ndarray:
    """Pairs of measures in different groups that share at least one 4-gram that is not template wording
    (and weighs more than 0), as a sorted array of ``i * n + j``: every pair ``AlignConfig.keeps`` can keep
    without its whole measures matching. A template 4-gram is in many (sub-)documents, so every other 4-gram
    joins the measures of a few documents only: the work stays near linear in the corpus. Rows of measures are
    taken ``rows`` at a time, by ``workers`` processes: the same pairs."""
    m = context.grams.matrix
    df = np.bincount(m.indices, minlength=m.shape[1])
    cols = np.flatnonzero((context.specific_weight > 0) & (df >= 2))
    if not len(cols) or n < 2:
        return np.zeros(0, dtype=np.int64)
    sub = m[:, cols].tocsr()
    sub.data[:] = 1.0
    subt = sub.T.tocsr()
    g = np.asarray(groups, dtype=np.int64)

    def chunk(lo: int) -> np.ndarray:
        hit = (sub[lo:lo + rows] @ subt).tocoo()
        r, c = hit.row.astype(np.int64) + lo, hit.col.astype(np.int64)
        keep = (r < c) & (g[r] != g[c])
        return distinct(r[keep] * n + c[keep])

    parts = parallel.map_ordered(chunk, range(0, n, rows), workers=workers, desc="candidate pairs (shared wording)",
                                 unit="block", chunk=1)
    return union(*parts)


def _modelled(prep: Prepared, config: "AlignConfig", pi: np.ndarray, pj: np.ndarray, rare: np.ndarray, *,
              workers=1):
    """The candidate pairs (pi[n], pj[n]) the pair model keeps (``rare[n]``: they share rare wording), with
    their scores, evidence, probability and template share: exactly the pairs that scoring every candidate in
    full (``score_pairs``), computing every feature and applying ``AlignConfig.keeps`` would keep, with the
    same figures. The work is done in stages, and a pair is left out as soon as it is
    certain that it cannot be kept (``tests/test_align.py`` checks this against the full computation):

    1. the 4-grams the pair shares (evidence, template share); for pairs that share none that is not template
       wording, the whole keys' ratio: ``keeps`` drops such pairs unless the whole measures match;
    2. the best clause pair's cosine and the whole ratio: a pair under the score floor that shares no rare
       wording is not given to the model;
    3. every feature but ``local`` and ``coverage``: when the probability with those two at the ends of their
       range (0-1) that the model favours is below the cutoff, the pair cannot reach it (the probability is
       computed feature by feature, so the bound holds exactly in floating point too), unless its wording is
       identical in a copied block (``AlignConfig.identical``, counted over every candidate left);
    4. the local alignment inside the best clause pair, the features in full, the probability, ``keeps``.
    """
    if not len(pi):
        return [], {}, {}, {}, {}, set()
    ctx, keys, model = prep.context, prep.keys, load_model()
    size = 50_000
    blocks = lambda k: range(0, k, size)   # noqa: E731
    lengths = ctx.lengths

    def cat(parts, k: int) -> list[np.ndarray]:
        return [np.concatenate([p[c] for p in parts]) for c in range(k)] if parts else [np.zeros(0)] * k

    from . import kernels   # numba (0.3 s to import); PairContext compiled the kernels before any worker forks

    model.probability(np.zeros((1, len(model.features))))   # and the trees' kernel: compiled here, once
    kernels.common_characters(prep.grams, pi[:0], pj[:0])     # and this one

    with progress.stage("shared wording"):
        def wording(lo: int):
            a, b = pi[lo:lo + size], pj[lo:lo + size]
            ev, sp, _, tm = kernels.shared_wording(ctx, a, b)
            wording_ok = (ev > 0) & (tm < 1.0)
            la, lb = lengths[a], lengths[b]
            # fuzz.ratio can reach same_whole only when the lengths allow it, and the common characters
            may = np.flatnonzero(~wording_ok & kernels.lengths_allow(la, lb, config.same_whole))
            may = may[_may_reach(prep.grams, a[may], b[may], la[may] + lb[may], config.same_whole)]
            whole = np.full(len(a), np.nan)
            whole[may] = _whole(keys, a[may], b[may])
            return ev, tm, whole, wording_ok | (whole >= config.same_whole), sp
        ev, tm, whole, ok, sp = cat(parallel.map_ordered(wording, blocks(len(pi)), workers=workers,
                                                         desc="shared wording", unit="block of 50,000 pairs",
                                                         chunk=1), 5)
        ok = ok.astype(bool)   # min_evidence is applied last (``keeps_all``): every identical pair counts in a block
        at = np.flatnonzero(ok)
        rivals = rival_columns(prep.groups, pi, pj, sp, rows=at)   # among every candidate: the rank features
        del sp
    pi, pj, ev, tm, whole, rare = pi[at], pj[at], ev[at], tm[at], whole[at], rare[at]
    with ExitStack() as shared:   # on Dask, the clause rows go to each worker once (scoring, local alignment)
        with progress.stage("scoring"):
            clauses = _Clauses(keys, prep.units, prep.vectors.result()[0] if prep.vectors else None)
            shared.enter_context(parallel.sharing(workers, clauses))

            def score(lo: int):
                a, b = pi[lo:lo + size], pj[lo:lo + size]
                best, ua, ub = clauses.best(a, b)
                wh = whole[lo:lo + size].copy()
                todo = np.flatnonzero(np.isnan(wh))
                # under the floor on its clauses, with no rare wording, a pair is left out unless its whole ratio
                # reaches the floor: where the common characters rule that out, 0 stands for it (left out the same)
                low = todo[(best[todo] * 100 < config.floor) & ~rare[lo:lo + size][todo]]
                out = low[~_may_reach(prep.grams, a[low], b[low], lengths[a[low]] + lengths[b[low]], config.floor)]
                wh[out] = 0.0
                todo = np.setdiff1d(todo, out, assume_unique=True)
                wh[todo] = _whole(keys, a[todo], b[todo])
                return wh, best * 100, ua, ub
            whole, clause, ua, ub = cat(parallel.map_ordered(score, blocks(len(pi)), workers=workers,
                                                             desc="scoring pairs", unit="block of 50,000 pairs",
                                                             chunk=1), 4)
            at = np.flatnonzero((np.maximum(whole, clause) >= config.floor) | rare)
        pi, pj, ev, tm, whole, clause, ua, ub, rivals = (v[at] for v in (pi, pj, ev, tm, whole, clause, ua, ub,
                                                                          rivals))
        cut = config.cutoff()
        with progress.stage("pair model"):
            st, doc_of, roles, kinds = _measure_facts(prep)
            zeros = np.zeros(len(pi))

            def rows(lo: int):
                a, b = pi[lo:lo + size], pj[lo:lo + size]
                x = ctx.feature_rows(a, b, clause=clause[lo:lo + size], whole=whole[lo:lo + size],
                                     local=zeros[lo:lo + size], coverage=zeros[lo:lo + size],
                                     same_doc=doc_of[a] == doc_of[b], roles=roles, kinds=kinds, stages=st[a] != st[b],
                                     rivals=rivals[lo:lo + size], lift=ctx.lift_vector(model),
                                     gram_lift=ctx.gram_lift_vector(model), named=named_of(prep, a, b))
                bound = model.highest(x, {"local": (0.0, 1.0), "coverage": (0.0, 1.0)})
                return x, bound
            x, bound = cat(parallel.map_ordered(rows, blocks(len(pi)), workers=workers, desc="pair features",
                                                unit="block of 50,000 pairs", chunk=1), 2)
            x = x.reshape(len(pi), len(FEATURES))
            groups = np.asarray(prep.groups)
            same_words = config.identical(whole=whole, length=np.minimum(lengths[pi], lengths[pj]),
                                          template=x[:, FEATURES.index("template")], group_a=groups[pi],
                                          group_b=groups[pj], i=pi, j=pj)
            at = np.flatnonzero((bound >= cut) | same_words)
        pi, pj, ev, tm, whole, clause, ua, ub, x, same_words = (v[at] for v in (pi, pj, ev, tm, whole, clause, ua,
                                                                                 ub, x, same_words))
        with progress.stage("local alignment"):
            def align_one(n: int):
                return clauses.local(int(pi[n]), int(pj[n]), int(ua[n]), int(ub[n]), config.local_min_chars)
            local = parallel.map_ordered(align_one, range(len(pi)), workers=workers, desc="local alignment",
                                         unit="pair")
    x[:, FEATURES.index("local")] = snap(np.asarray([lc[0] / 100 for lc in local], dtype=np.float64))
    x[:, FEATURES.index("coverage")] = snap(np.asarray([lc[3] for lc in local], dtype=np.float64))
    tm = x[:, FEATURES.index("template")]   # as the model saw it (``pairmodel.snap``)
    prob = model.probability(x)
    kept, scores, evidence, probability, template, identical = [], {}, {}, {}, {}, set()
    for n in np.flatnonzero(config.keeps_all(score=np.maximum(whole, clause), whole=whole, evidence=ev,
                                             probability=prob, template=tm, identical=same_words)).tolist():
        i, j, lc = int(pi[n]), int(pj[n]), local[n]
        sc = Score(float(whole[n]), float(clause[n]), lc[0], lc[1], lc[2], lc[3])
        kept.append((i, j))
        scores[(i, j)], evidence[(i, j)] = sc, float(ev[n])
        probability[(i, j)], template[(i, j)] = float(prob[n]), float(tm[n])
        if same_words[n]:
            identical.add((i, j))
    return kept, scores, evidence, probability, template, identical


def _ratio(whole: float) -> str:
    """A whole ratio as a reason prints it: 100 only for identical keys, else rounded down to one decimal
    (99.6 is "99.6", never "100") from the two decimals the ``whole`` column shows (rapidfuzz's float32 95.2 is
    95.19999695: "95.2", not "95.1")."""
    return "100" if whole >= 100.0 else f"{math.floor(round(round(whole, 2) * 10, 6)) / 10:.1f}"


def _copy_wording(whole: float, chars: int) -> str:
    """How a pair kept by ``AlignConfig.identical`` is worded: identical keys (region names and stock words set
    aside), or nearly identical."""
    if whole >= 100.0:
        return f"identical wording ({chars} key characters; region names and stock words aside)"
    return f"nearly identical wording (ratio {_ratio(whole)}, {chars} key characters)"


def _pair(prep: Prepared, config: "AlignConfig", i: int, j: int, sc: "Score", evidence: float,
          probability: float | None, template: float, *, identical: bool = False, measures: bool = True) -> "Pair":
    """A kept pair, its relation and the reason for it, its aligned spans and shared terms (without its
    measures, ``a`` and ``b`` None, unless ``measures``)."""
    ms, keys = prep.ms, prep.keys
    a, b = ms[i], ms[j]
    da, db = prep.by_doc[a.doc_id], prep.by_doc[b.doc_id]
    sa, sb = ("done" if prep.done[i] else "planned"), ("done" if prep.done[j] else "planned")
    a_shorter = len(keys[i].text) <= len(keys[j].text)
    template_only = config.modelled and template >= 0.5
    if sc.whole >= config.same_whole and not template_only:
        span_a, span_b = (0, len(a.raw)), (0, len(b.raw))
        relation, container, reason = "same", "", f"whole measures match (ratio {_ratio(sc.whole)})"
        if identical:   # whatever the cutoff of the day (a review file's alignment is made at 0)
            reason = (f"{_copy_wording(sc.whole, len(keys[i].text))} in a block copied between the two "
                      f"(sub-)documents: kept whatever the model's probability")
    else:
        span_a = _raw_span(da, a, keys[i], *sc.span_a)
        span_b = _raw_span(db, b, keys[j], *sc.span_b)
        if sc.local >= config.contains_local and sc.coverage >= config.contains_coverage and not template_only:
            relation, container = "contains", ("b" if a_shorter else "a")
            reason = f"{'a' if a_shorter else 'b'} is a part of {container} ({sc.coverage:.0%} aligned)"
        else:
            relation, container, reason = "related", "", "a shared provision inside different measures"
            if template_only:
                reason = f"mostly template wording ({template:.0%} of the shared 4-grams)"
    if sa != sb and relation != "same":
        relation, container, reason = "related", "", f"stage: {sa} / {sb}"
    if config.mode == "cross" and a.doc_id == b.doc_id and da.meta.kind != "compilation":
        relation, container = "restates", ""
        reason = (f"one document restating itself: {_copy_wording(sc.whole, len(keys[i].text))}, not an overlap"
                  if identical else
                  "one document restating itself (a summary and its reports): not an overlap")
    terms = _terms([a.text[slice(*keys[i].text_span(s, e))] for s, e in prep.grams.shared_runs(i, j)])
    return Pair(a if measures else None, b if measures else None, sc.score, sc.whole, sc.clause, sc.local,
                relation, container, span_a, span_b, sa, sb, reason, evidence, terms, probability, template, identical)


def _with_measures(p: Pair, a: Measure, b: Measure) -> Pair:
    """``replace(p, a=a, b=b)``, about twice as fast (a hundred thousand pairs come back from the workers)."""
    return Pair(a, b, *(getattr(p, name) for name in _PAIR_REST))


def series_selection(pairs: list[Pair]) -> list[Pair]:
    """One-to-one where possible: pairs a researcher accepted or relabelled first, then best pairs first
    (ties: closer, then earlier positions); a measure may keep further partners only through ``contains``
    pairs (a merge or a split). The pairs kept are returned in their given order."""
    order = sorted(range(len(pairs)), key=lambda n: (not pairs[n].reason.startswith("reviewed:"), -pairs[n].score,
                                                     abs(pairs[n].a.ordinal - pairs[n].b.ordinal),
                                                     pairs[n].a.ordinal, pairs[n].b.ordinal))
    used_a: set[str] = set()
    used_b: set[str] = set()
    kept: set[int] = set()
    for n in order:
        p = pairs[n]
        free = p.a.measure_id not in used_a and p.b.measure_id not in used_b
        if free or p.relation == "contains":
            kept.add(n)
            used_a.add(p.a.measure_id)
            used_b.add(p.b.measure_id)
    return [p for n, p in enumerate(pairs) if n in kept]


def to_frame(alignment: Alignment):
    """The pairs as a pandas DataFrame with the documented columns."""
    import pandas as pd

    rows = [p.to_dict(threshold=alignment.config.min_score) for p in alignment.pairs]
    cols = ["doc_a", "measure_a", "label_a", "role_a", "text_a", "raw_a", "doc_b", "measure_b", "label_b", "role_b",
            "text_b", "raw_b", "probability", "identical", "score",
            "relation", "container", "span_a", "span_b", "whole", "clause", "local", "evidence", "template", "terms",
            "reason",
            "subdoc_a", "subdoc_b", "stage_a", "stage_b", "scorer", "threshold"]
    return pd.DataFrame(rows, columns=cols)
