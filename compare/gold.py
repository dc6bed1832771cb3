"""Read the hand-made gold: segments with roles (tests/data/gold/ROLES.md), lineages; score against them."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .roles import ROLES


def read_tsv(path: Path) -> list[dict]:
    """The rows of a labelled TSV file (UTF-8, header line) as dicts."""
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _squeeze(raw: str) -> tuple[str, list[int]]:
    """Text without whitespace, and for each of its characters the raw offset."""
    chars, offs = [], []
    for i, ch in enumerate(raw):
        if not ch.isspace():
            chars.append(ch)
            offs.append(i)
    return "".join(chars), offs


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


def _nth(raw: str, text: str, n: int, after: int = 0) -> int:
    """Raw offset of the ``n``-th occurrence of ``text`` at or after ``after``, whitespace ignored."""
    squeezed, offs = _squeeze(raw)
    target = "".join(text.split())
    k = next((i for i, o in enumerate(offs) if o >= after), len(offs)) - 1
    for _ in range(n):
        k = squeezed.find(target, k + 1)
        if k < 0:
            raise InputError(f"occurrence {n} of {text!r} not found")
    return offs[k]


def find_bounds(raw: str, start_text: str | None, end_text: str | None) -> tuple[int, int]:
    """Raw span from the first line starting with ``start_text`` to the next line starting with ``end_text``.

    ``TEXT@N`` means the N-th occurrence of TEXT anywhere (whitespace ignored): for text on one line, such
    as a PDF extracted onto a single line; the end is then searched after the start (END@1: the first one after it)."""
    if start_text and "@" in start_text or end_text and "@" in end_text:
        st, _, n = (start_text or "@1").rpartition("@")
        lo = _nth(raw, st, int(n)) if st else 0
        hi = len(raw)
        if end_text:
            et, _, m = end_text.rpartition("@")
            hi = _nth(raw, et, int(m), after=lo + 1)
        return lo, hi
    lines = raw.splitlines(keepends=True)
    offs, pos = [], 0
    for ln in lines:
        offs.append((pos, ln))
        pos += len(ln)
    squeeze = lambda s: "".join(s.split())  # noqa: E731
    lo = 0
    if start_text:
        lo = next((o for o, ln in offs if squeeze(ln).startswith(squeeze(start_text))), -1)
        if lo < 0:
            raise InputError(f"start text not found at a line start: {start_text}")
    hi = len(raw)
    if end_text:
        hi = next((o for o, ln in offs if o > lo and squeeze(ln).startswith(squeeze(end_text))), -1)
        if hi < 0:
            raise InputError(f"end text not found at a line start after the start: {end_text}")
    return lo, hi


@dataclass(frozen=True)
class RoleCase:
    """One gold file of tests/data/gold/roles/MANIFEST.tsv and where its text is."""

    gold: Path
    source: Path         # the file the anchors are in
    start_text: str
    end_text: str
    lawref: bool


def role_cases(gold_dir: Path, *, corpus_dir: Path, lawref_dir: Path) -> list[RoleCase]:
    out = []
    for r in read_tsv(gold_dir / "MANIFEST.tsv"):
        src = r["source"]
        is_lawref = src.startswith("lawref/")
        path = (lawref_dir / src[len("lawref/"):]) if is_lawref else (corpus_dir / src[len("corpus/"):])
        out.append(RoleCase(gold_dir / r["gold"], path, r.get("from") or "", r.get("to") or "", is_lawref))
    return out


@dataclass(frozen=True)
class RoleScore:
    """Boundaries and roles of one level of one gold file against the engine's segments."""

    gold_starts: int
    predicted_starts: int
    matched_starts: int
    pairs: tuple[tuple[str, str, bool, str], ...]   # (gold role, predicted role, held out, anchor)


def score_roles(raw: str, gold: list[GoldSegment], segments, *, span: tuple[int, int]) -> RoleScore:
    """Boundary matches of segment starts, and for each gold segment the role of the predicted segment
    that covers most of its non-space characters."""
    lo, hi = span
    segs = sorted((m for m in segments if m.end > lo and m.start < hi), key=lambda m: m.start)
    gs = {g.start for g in gold}
    ps = {m.start for m in segs if lo <= m.start < hi}
    pairs = []
    for g in gold:
        best, best_n = None, 0
        for m in segs:
            a, b = max(g.start, m.start), min(g.end, m.end)
            if b > a:
                n = sum(1 for ch in raw[a:b] if not ch.isspace())
                if n > best_n:
                    best, best_n = m, n
        pairs.append((g.role, best.role if best else "(none)", g.held_out, g.anchor))
    return RoleScore(len(gs), len(ps), len(gs & ps), tuple(pairs))
