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


# --- gold segmentation with roles (tests/data/gold/ROLES.md) -------------------------------------------

ROLES = ("measure", "goal", "background", "problem", "procedure")
ROLE_COLUMNS = ("level", "label", "kind", "role", "anchor")


@dataclass(frozen=True)
class GoldSegment:
    """One hand-labelled segment: its raw span in the source and what the reader said of it."""

    level: str
    label: str
    kind: str
    role: str
    anchor: str
    start: int      # raw offsets; a segment runs to the next segment of its level
    end: int
    held_out: bool


def held_out(source_name: str, anchor: str) -> bool:
    """The frozen held-out rule of ROLES.md section 5 (about 40% of the segments)."""
    import hashlib
    key = f"{source_name}\t{''.join(anchor.split())}".encode("utf-8")
    return hashlib.blake2b(key, digest_size=8).digest()[0] < 103


def load_role_gold(path: Path) -> list[dict]:
    rows = read_tsv(path)
    if not rows or tuple(rows[0]) != ROLE_COLUMNS:
        raise InputError(f"gold file needs the columns {', '.join(ROLE_COLUMNS)}", path=path)
    for n, r in enumerate(rows, 2):
        if r["level"] not in ("coarse", "fine") or r["role"] not in ROLES or not (r["anchor"] or "").strip():
            raise InputError(f"line {n}: bad level, role or empty anchor: {r}", path=path)
    if rows[0]["level"] != "coarse":
        raise InputError("the first row must be a coarse segment", path=path)
    return rows


def role_segments(raw: str, rows: list[dict], *, source_name: str, start: int = 0,
                  end: int | None = None) -> tuple[list[GoldSegment], list[GoldSegment]]:
    """(coarse, fine) segments of a role gold file, as raw spans of ``raw[start:end]``.

    Anchors are found in order with whitespace ignored. A coarse row followed by fine rows is cut into
    them at the fine level; a coarse row without fine rows is also a fine segment.
    """
    end = len(raw) if end is None else end
    squeezed, offs = _squeeze(raw)
    pos = next((i for i, o in enumerate(offs) if o >= start), len(offs))
    found: list[tuple[dict, int, bool]] = []   # (row, raw start, held out)
    coarse_ho, coarse_k = False, pos - 1
    for row in rows:
        anchor = "".join(row["anchor"].split())
        # a coarse row is searched after the previous coarse start and any fine start; the first fine
        # row of a coarse segment starts where the coarse segment starts
        pos = max(pos, coarse_k + 1) if row["level"] == "coarse" else max(pos, coarse_k)
        k = squeezed.find(anchor, pos)
        if k < 0 or offs[k] >= end:
            where = offs[min(pos, len(offs) - 1)] if offs else 0
            raise InputError(f"gold anchor {row['anchor']!r} ({row['level']} {row['label']}) not found "
                             f"after raw offset {where}")
        if row["level"] == "coarse":
            coarse_ho, coarse_k = held_out(source_name, row["anchor"]), k
        else:
            pos = k + 1
        found.append((row, offs[k], coarse_ho))
    coarse_rows = [(r, s, h) for r, s, h in found if r["level"] == "coarse"]
    fine_rows: list[tuple[dict, int, bool]] = []
    for i, (r, s, h) in enumerate(found):
        if r["level"] == "fine":
            fine_rows.append((r, s, h))
        elif not (i + 1 < len(found) and found[i + 1][0]["level"] == "fine"):
            fine_rows.append((r, s, h))

    def spans(items, level):
        out = []
        for i, (r, s, h) in enumerate(items):
            e = items[i + 1][1] if i + 1 < len(items) else end
            if e < s:
                raise InputError(f"gold anchors out of order at {r['anchor']!r}")
            out.append(GoldSegment(level, r["label"], r["kind"], r["role"], r["anchor"], s, e, h))
        return out

    return spans(coarse_rows, "coarse"), spans(fine_rows, "fine")
