"""Score a segmentation against a hand-made gold segmentation (tests/data/gold/README.md)."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .records import Measure


@dataclass(frozen=True)
class GoldRow:
    level: str
    label: str
    anchor: str


@dataclass(frozen=True)
class BoundaryScore:
    level: str
    gold: int
    predicted: int
    matched: int
    missed: tuple[int, ...]      # raw offsets of gold starts the segmenter did not produce
    spurious: tuple[int, ...]    # raw offsets of predicted starts that are not in the gold

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0


def read_tsv(path: Path) -> list[dict]:
    """The rows of a labelled TSV file (UTF-8, header line) as dicts."""
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def load_gold(path: Path) -> list[GoldRow]:
    rows = read_tsv(path)
    if not rows or set(rows[0]) != {"level", "label", "anchor"}:
        raise InputError("gold file needs the columns level, label, anchor", path=path)
    return [GoldRow(r["level"], r["label"] or "", r["anchor"]) for r in rows]


def _squeeze(raw: str) -> tuple[str, list[int]]:
    """Text without whitespace, and for each of its characters the raw offset."""
    chars, offs = [], []
    for i, ch in enumerate(raw):
        if not ch.isspace():
            chars.append(ch)
            offs.append(i)
    return "".join(chars), offs


def gold_starts(raw: str, rows: list[GoldRow], *, level: str, search_from: int = 0) -> list[int]:
    """Raw start offsets of the gold measures of one level (anchors searched in order, whitespace ignored)."""
    squeezed, offs = _squeeze(raw)
    pos = next((i for i, o in enumerate(offs) if o >= search_from), len(offs))
    coarse_pos = pos
    out = []
    for row in rows:
        anchor = "".join(row.anchor.split())
        start_at = coarse_pos if row.level == "fine" else pos
        k = squeezed.find(anchor, start_at)
        if k < 0:
            raise InputError(f"gold anchor {row.anchor!r} not found after offset {offs[min(start_at, len(offs)-1)]}")
        if row.level == "coarse":
            coarse_pos = k
            pos = k + 1
        if row.level == level:
            out.append(offs[k])
            if level == "fine":
                pos = max(pos, k)
    return sorted(set(out))


def subdocument_span(subdocuments, titles: tuple[str, ...]) -> tuple[int, int]:
    """Raw span from the first to the last of the named sub-documents (consecutive in the document)."""
    found = [sd for sd in subdocuments if sd.title in titles]
    if len(found) != len(titles):
        raise InputError(f"sub-documents not found: {sorted(set(titles) - {sd.title for sd in found})}")
    return found[0].start, found[-1].end


def score(raw: str, rows: list[GoldRow], measures: list[Measure], *, level: str,
          span: tuple[int, int] | None = None) -> BoundaryScore:
    """Boundary precision/recall of measure starts; ``span`` limits the comparison to a raw range."""
    lo, hi = span or (0, len(raw))
    gold = [g for g in gold_starts(raw, rows, level=level, search_from=lo) if lo <= g < hi]
    pred = sorted({m.start for m in measures if lo <= m.start < hi})
    gs, ps = set(gold), set(pred)
    return BoundaryScore(level, len(gs), len(ps), len(gs & ps), tuple(sorted(gs - ps)), tuple(sorted(ps - gs)))


def lineage_scores(steps, measures, gold_rows: list[dict]) -> tuple[int, int, int]:
    """(old articles labelled, right mapping, right status) of an evolution's first transition against a
    hand-made mapping (rows: old_article, new_article (","-separated), status)."""
    label = {m.measure_id: m.label for m in measures}
    mapped: dict[str, set] = {}
    statuses: dict[str, set] = {}
    for s in steps:
        if s.batch != 2:
            continue
        for p in filter(None, s.prev_measure_id.split(",")):
            statuses.setdefault(label[p], set()).add(s.status)
            if s.measure_id:
                mapped.setdefault(label[p], set()).add(label[s.measure_id])
    gold = [r for r in gold_rows if r["old_article"]]
    right_map = sum(set(filter(None, g["new_article"].split(","))) == mapped.get(g["old_article"], set())
                    for g in gold)
    right_status = sum(statuses.get(g["old_article"]) == {g["status"]} for g in gold)
    return len(gold), right_map, right_status
