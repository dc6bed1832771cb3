"""Follow measures through an ordered series of documents (batches, versions).

For each transition (document N → N+1):

1. measures whose normalised text is identical are paired first (in order, when a text occurs several
   times): ``unchanged`` when they keep their relative order, ``moved`` when they do not (outside the longest
   run of pairs in the same order);
2. the rest are aligned (``align.py``) and paired one-to-one, best pairs first (ties: closest positions):
   ``revised``, with their diff's change kinds; then a left-over old measure that matches a paired new one
   (score >= ``merge_split_min``) is ``merged`` into it, and a left-over new measure that matches a paired
   old one is ``split`` from it;
3. old measures left over are ``dropped``, new ones left over are ``new``.

Chains link a measure's versions across all batches under a stable ``lineage_id`` (the id of its first
version); a merge continues the lineage of its best-matching part, a split the lineage of its best piece.
"""
from __future__ import annotations

import re
import unicodedata

from bisect import bisect_left
from dataclasses import dataclass, field

from .align import AlignConfig, align
from .changes import classify, summary
from .diff import diff_texts
from .records import Document, Measure

_PARAGRAPH = re.compile(r"¶\d+$")   # the segmenter's label of an unnumbered paragraph (¶3, 第三条¶2)
STATUSES = ("unchanged", "moved", "revised", "merged", "split", "dropped", "new")


@dataclass(frozen=True)
class Step:
    """One measure's status in one batch (a dropped measure is listed in the batch it is missing from)."""

    lineage_id: str
    batch: int                 # 1-based position of the document in the series
    doc_id: str
    measure_id: str            # "" for a dropped measure
    label: str
    status: str
    text: str
    prev_measure_id: str       # the measure(s) of the previous batch it comes from ("," between several)
    changes: str = ""          # change kinds from the previous version (revised, merged, split)
    score: float = 0.0
    ordinal: int = 0           # position in its document (a dropped measure: in the previous one)
    role: str = ""             # the segment's role (compare/roles.py): measure, goal, heading, title, procedure…
    prev_label: str = ""       # the label(s) of the previous version (第七条 for an article now 第八条), in the
                               # order of prev_measure_id
    replaced: tuple[tuple[str, str], ...] = ()   # its ``wording`` changes (old, new): 市场 -> 经营

    @property
    def renumbered(self) -> bool:
        """The same wording under another number: unchanged or moved, its number not the previous one's (第二十九条
        -> 第三十条; the ¶n the segmenter gives unnumbered paragraphs is no number: ¶4 -> ¶5 is not renumbered)."""
        if self.status not in ("unchanged", "moved"):
            return False
        old, new = _PARAGRAPH.sub("", self.prev_label), _PARAGRAPH.sub("", self.label)
        return bool(old) and bool(new) and old != new

    def to_dict(self) -> dict:
        return {"lineage_id": self.lineage_id, "batch": self.batch, "doc_id": self.doc_id,
                "measure_id": self.measure_id, "label": self.label, "status": self.status, "text": self.text,
                "prev_measure_id": self.prev_measure_id, "changes": self.changes, "prev_label": self.prev_label,
                "role": self.role, "score": round(self.score, 2), "ordinal": self.ordinal}


RECURRING = 3   # a wording change found in this many measures of one transition is listed as recurring


@dataclass(frozen=True)
class Lineage:
    lineage_id: str
    first_batch: int
    last_batch: int
    revisions: int
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Evolution:
    documents: tuple[str, ...]
    steps: tuple[Step, ...]
    lineages: tuple[Lineage, ...]
    config: AlignConfig = field(default_factory=AlignConfig)

    def transition_counts(self) -> list[dict]:
        """Per transition: counts by status and by change kind; ``recurring``, the wording changes (old, new) found
        in ``RECURRING`` measures or more, with their counts (a renaming: 市场主体 -> 经营主体); ``renumbered``, the
        unchanged and moved segments under another label; ``not_measures``, the counts by status of the segments
        that are neither measures
        nor goals (headings, titles, procedure: 第一章 总则 stays unchanged through every version)."""
        out = []
        for b in range(2, len(self.documents) + 1):
            steps = [s for s in self.steps if s.batch == b]
            row = {"from": self.documents[b - 2], "to": self.documents[b - 1], "batch": b}
            for st in STATUSES:
                row[st] = sum(1 for s in steps if s.status == st)
            kinds: dict[str, int] = {}
            for s in steps:
                for k in filter(None, s.changes.split(";")):
                    kinds[k] = kinds.get(k, 0) + 1
            row["changes"] = dict(sorted(kinds.items()))
            swaps: dict[tuple[str, str], int] = {}
            for s in steps:
                for swap in set(s.replaced):
                    swaps[swap] = swaps.get(swap, 0) + 1
            # a word replaced in three measures or more: a renaming through the document (市场主体 -> 经营主体)
            row["recurring"] = sorted(((w, n) for w, n in swaps.items() if n >= RECURRING), key=lambda x: (-x[1], x[0]))
            renumbered = [s for s in steps if s.renumbered]
            row["renumbered"] = len(renumbered)
            row["renumbered_first"] = f"{renumbered[0].prev_label} -> {renumbered[0].label}" if renumbered else ""
            others = [s for s in steps if s.role and s.role not in ("measure", "goal")]
            row["not_measures"] = {st: n for st in STATUSES if (n := sum(1 for s in others if s.status == st))}
            out.append(row)
        return out


def _lis_members(pairs: list[tuple[int, int]]) -> set[int]:
    """Indices of ``pairs`` (sorted by old position) in a longest run increasing in new position."""
    tails: list[int] = []
    tails_at: list[int] = []
    prev = [-1] * len(pairs)
    for i, (_a, b) in enumerate(pairs):
        k = bisect_left(tails, b)
        if k == len(tails):
            tails.append(b)
            tails_at.append(i)
        else:
            tails[k] = b
            tails_at[k] = i
        prev[i] = tails_at[k - 1] if k > 0 else -1
    out: set[int] = set()
    i = tails_at[-1] if tails_at else -1
    while i >= 0:
        out.add(i)
        i = prev[i]
    return out


# punctuation that carries no wording: a comma or 顿号 more or less, quotes, brackets (not . - % / ‰ —, which
# are parts of numbers and ranges: 3.5 -> 35, 8% -> -8%, 2023—2025 are wording changes)
_NO_WORDING = set("，、。；：？！“”‘’（）《》〈〉【】「」『』…·,;:?!\"'()[]{}")


def same_wording(text: str) -> str:
    """The text without the punctuation above, spaces and format characters: what a wording change changes."""
    return "".join(ch for ch in text
                   if ch not in _NO_WORDING and not ch.isspace() and unicodedata.category(ch) != "Cf")


def _transition(old_doc: Document, new_doc: Document, old: list[Measure], new: list[Measure],
                config: AlignConfig, merge_split_min: float, workers: int | None = 1):
    """(links, dropped, new): links are (old measure, new measure, status, score)."""
    # identical texts first; then texts identical apart from punctuation, spaces and format characters (a
    # comma or 顿号 added, a zero-width space): the same wording, ``unchanged`` with the change recorded
    exact: list[tuple[int, int]] = []
    used_new: set[int] = set()
    for key in (lambda t: t, same_wording):
        by_text: dict[str, list[int]] = {}
        for j, m in enumerate(new):
            if j not in used_new:
                by_text.setdefault(key(m.text), []).append(j)
        taken = {i for i, _ in exact}
        for i, m in enumerate(old):
            js = by_text.get(key(m.text)) if i not in taken else None
            if js:
                j = js.pop(0)
                exact.append((i, j))
                used_new.add(j)
    used_old = {i for i, _ in exact}
    rest_old = [m for i, m in enumerate(old) if i not in used_old]
    rest_new = [m for j, m in enumerate(new) if j not in used_new]
    # versions of one document: the score rule, no evidence rule, no pair model (fitted across documents)
    cross = AlignConfig(**{**config.__dict__, "mode": "cross", "min_evidence": 0.0, "use_model": False})
    pairs = (align([old_doc, new_doc], rest_old + rest_new, config=cross, workers=workers).pairs
             if rest_old and rest_new else ())
    pairs = [p for p in pairs if p.a.doc_id == old_doc.id and p.b.doc_id == new_doc.id]
    # one-to-one first: best pairs first, ties to the pair closest in position
    order = sorted(pairs, key=lambda p: (-p.score, abs(p.a.ordinal - p.b.ordinal), p.a.ordinal, p.b.ordinal))
    one: dict[str, object] = {}
    taken_new: set[str] = set()
    for p in order:
        if p.a.measure_id not in one and p.b.measure_id not in taken_new:
            one[p.a.measure_id] = p
            taken_new.add(p.b.measure_id)
    # then what is left: an old measure that went into a taken new one (merge), a new measure that came
    # out of a taken old one (split), when the evidence is strong enough
    extra = [p for p in order if p.score >= merge_split_min and p not in one.values()
             and ((p.a.measure_id not in one and p.b.measure_id in taken_new)
                  or (p.b.measure_id not in taken_new and p.a.measure_id in one))]
    chosen: list = list(one.values())
    seen_old, seen_new = set(one), set(taken_new)
    for p in extra:
        if p.a.measure_id not in seen_old or p.b.measure_id not in seen_new:
            chosen.append(p)
            seen_old.add(p.a.measure_id)
            seen_new.add(p.b.measure_id)
    partners_old: dict[str, list] = {}
    partners_new: dict[str, list] = {}
    for p in chosen:
        partners_old.setdefault(p.a.measure_id, []).append(p)
        partners_new.setdefault(p.b.measure_id, []).append(p)
    links: list[tuple[Measure, Measure, str, float]] = []
    for p in chosen:
        if len(partners_new[p.b.measure_id]) > 1:
            status = "merged"
        elif len(partners_old[p.a.measure_id]) > 1:
            status = "split"
        else:
            status = "revised"
        links.append((p.a, p.b, status, p.score))
    # unchanged or moved: identical texts, in or out of the longest run in the same order; revised pairs count
    ordered = sorted([(i, j, "exact") for i, j in exact]
                     + [(old.index(a), new.index(b), "aligned") for a, b, st, _ in links if st == "revised"])
    keep = _lis_members([(i, j) for i, j, _ in ordered])
    for k, (i, j, kind) in enumerate(ordered):
        if kind == "exact":
            links.append((old[i], new[j], "unchanged" if k in keep else "moved", 100.0))
    linked_old = {a.measure_id for a, *_ in links}
    linked_new = {b.measure_id for _, b, *_ in links}
    dropped = [m for m in old if m.measure_id not in linked_old]
    added = [m for m in new if m.measure_id not in linked_new]
    return links, dropped, added


def evolve(docs: list[Document], measures: list[Measure], *, config: AlignConfig | None = None,
           merge_split_min: float = 50.0, workers: int | None = 1) -> Evolution:
    """The lineage of every measure through ``docs`` (in series order); ``measures`` at one level; the pairs
    of each step scored in ``workers`` processes (the same result)."""
    config = config or AlignConfig(mode="series", roles="all")
    if config.mode != "series":
        config = AlignConfig(**{**config.__dict__, "mode": "series"})
    from .roles import ROLES

    config = AlignConfig(**{**config.__dict__, "roles": ROLES})   # versions are followed whatever their role
    by_doc: dict[str, list[Measure]] = {d.id: [] for d in docs}
    for m in measures:
        if m.doc_id in by_doc:
            by_doc[m.doc_id].append(m)
    for ms in by_doc.values():
        ms.sort(key=lambda m: m.ordinal)
    steps: list[Step] = []
    lineage_of: dict[str, str] = {}
    first = docs[0]
    for m in by_doc[first.id]:
        lineage_of[m.measure_id] = f"L:{m.measure_id}"
        steps.append(Step(lineage_of[m.measure_id], 1, first.id, m.measure_id, m.label, "new", m.text, "",
                          ordinal=m.ordinal, role=m.role))
    for b in range(1, len(docs)):
        od, nd = docs[b - 1], docs[b]
        links, dropped, added = _transition(od, nd, by_doc[od.id], by_doc[nd.id], config, merge_split_min, workers)
        incoming: dict[str, list[tuple[Measure, str, float]]] = {}
        for a, m, status, score in links:
            incoming.setdefault(m.measure_id, []).append((a, status, score))
        # a split continues the old lineage in its best piece only
        best_piece: dict[str, tuple[float, str]] = {}
        for a, m, status, score in links:
            if status == "split" and score > best_piece.get(a.measure_id, (-1.0, ""))[0]:
                best_piece[a.measure_id] = (score, m.measure_id)
        for m in by_doc[nd.id]:
            sources = sorted(incoming.get(m.measure_id, []), key=lambda x: (-x[2], x[0].ordinal))
            if not sources:
                lineage_of[m.measure_id] = f"L:{m.measure_id}"
                steps.append(Step(lineage_of[m.measure_id], b + 1, nd.id, m.measure_id, m.label, "new", m.text, "",
                                  ordinal=m.ordinal, role=m.role))
                continue
            a, status, score = sources[0]
            continues = status != "split" or best_piece[a.measure_id][1] == m.measure_id
            lineage_of[m.measure_id] = lineage_of[a.measure_id] if continues else f"L:{m.measure_id}"
            changes, replaced = "", ()
            if status in ("unchanged", "moved") and a.text != m.text:
                changes = "punctuation"   # the same wording; punctuation, spaces or format characters differ
            if status in ("revised", "merged", "split"):
                found = classify(diff_texts(" ".join(s[0].text for s in sorted(
                    sources, key=lambda x: x[0].ordinal)), m.text))
                changes = summary(found)
                replaced = tuple((c.old, c.new) for c in found if c.kind == "wording")
            steps.append(Step(lineage_of[m.measure_id], b + 1, nd.id, m.measure_id, m.label, status, m.text,
                              ",".join(s[0].measure_id for s in sources), changes, score, m.ordinal, m.role,
                              ",".join(s[0].label for s in sources), replaced))   # in the order of prev_measure_id
        for a in dropped:
            steps.append(Step(lineage_of[a.measure_id], b + 1, nd.id, "", a.label, "dropped", a.text, a.measure_id,
                              ordinal=a.ordinal, role=a.role, prev_label=a.label))
        for a, m, status, score in links:
            if status == "merged" and lineage_of[m.measure_id] != lineage_of[a.measure_id]:
                # the other parts of a merge end their lineage here, merged into another
                steps.append(Step(lineage_of[a.measure_id], b + 1, nd.id, m.measure_id, a.label, "merged", a.text,
                                  a.measure_id, "", score, m.ordinal, a.role, a.label))
    steps.sort(key=lambda s: (s.batch, s.status == "dropped", s.ordinal, s.lineage_id))
    lineages = []
    chains: dict[str, list[Step]] = {}
    for s in steps:
        chains.setdefault(s.lineage_id, []).append(s)
    for lid, chain in sorted(chains.items()):
        present = [s for s in chain if s.status != "dropped"]
        lineages.append(Lineage(lid, chain[0].batch, max(s.batch for s in present) if present else chain[0].batch,
                                sum(1 for s in chain if s.status in ("revised", "merged", "split")), tuple(chain)))
    return Evolution(tuple(d.id for d in docs), tuple(steps), tuple(lineages), config)


def identical_violations(ev: Evolution, measures: list[Measure]) -> tuple[int, list[tuple[str, str, str]]]:
    """Self-check: every measure whose wording (its normalised text without punctuation, spaces and format
    characters) reappears in the next batch must be unchanged or moved. Returns (measures checked,
    [(document, label, status) of those that are not])."""
    by_doc: dict[str, list[Measure]] = {}
    for m in measures:
        by_doc.setdefault(m.doc_id, []).append(m)
    status_of = {(s.batch, s.prev_measure_id): s.status for s in ev.steps if s.prev_measure_id}
    checked, bad = 0, []
    for b in range(1, len(ev.documents)):
        remaining: dict[str, int] = {}
        for m in by_doc.get(ev.documents[b], []):
            remaining[same_wording(m.text)] = remaining.get(same_wording(m.text), 0) + 1
        for m in sorted(by_doc.get(ev.documents[b - 1], []), key=lambda m: m.ordinal):
            if remaining.get(same_wording(m.text), 0) > 0:
                remaining[same_wording(m.text)] -= 1
                checked += 1
                st = status_of.get((b + 1, m.measure_id), "")
                if st not in ("unchanged", "moved"):
                    bad.append((ev.documents[b], m.label, st))
    return checked, bad
