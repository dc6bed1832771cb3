"""Frozen records passed between the pipeline stages."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from .normalize import Normalized


def shortened(title: str) -> str:
    """A title as charts label a document without a short title of its own: whole up to 16 characters, else its
    first 15 and "…"."""
    return title if len(title) <= 16 else title[:15] + "…"


@dataclass(frozen=True)
class DocMeta:
    """What the corpus metadata (or the file name) says about a document."""

    id: str
    file: str
    title: str
    issuer: str = ""
    region: str = ""
    date: str = ""
    script: str = ""          # "simplified" | "traditional" | "" (detect)
    kind: str = ""            # plan, report, rectification report, compilation, journal, law
    series: str = ""
    batch: int | None = None
    short: str = ""           # a short title for charts and tables (default: the title, shortened)

    @property
    def short_title(self) -> str:
        return self.short or shortened(self.title)


@dataclass(frozen=True, eq=False)
class Document:
    """A decoded source document: raw text (every byte kept via ``sha256``) and its normalised form."""

    meta: DocMeta
    path: str
    sha256: str
    encoding: str
    normalized: Normalized
    source_format: str = "text"                   # text | pdf | docx | html (compare/extract.py)
    anchors: tuple[tuple[int, str], ...] = ()     # (raw offset, label) where each page/paragraph starts
    anchor_unit: str = ""                         # "page" | "paragraph": the provenance a measure gets

    def provenance(self, raw_offset: int) -> tuple[tuple[str, str], ...]:
        """(("page", "3"),) for a raw offset in a PDF; () for a document without anchors."""
        if not self.anchors:
            return ()
        i = bisect_right(self._anchor_offsets, raw_offset) - 1
        return ((self.anchor_unit, self.anchors[max(i, 0)][1]),)

    @cached_property
    def _anchor_offsets(self) -> list[int]:
        return [a for a, _ in self.anchors]

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def raw(self) -> str:
        return self.normalized.raw

    @property
    def text(self) -> str:
        return self.normalized.text


@dataclass(frozen=True)
class SubDocument:
    """A separate document bound inside another (a compilation): its title and span."""

    doc_id: str
    index: int
    title: str
    group: str
    start: int   # raw offsets
    end: int


# the columns of every segment row (``Measure.to_dict``), before its attributes
MEASURE_COLUMNS = ("doc_id", "measure_id", "level", "ordinal", "kind", "label", "path", "subdoc", "role",
                   "role_reason", "text", "raw", "start", "end")


@dataclass(frozen=True)
class Measure:
    """One measure: where it is (ids, offsets, heading trail) and what it says (normalised and raw)."""

    doc_id: str
    measure_id: str
    level: str                 # "coarse" | "fine"
    ordinal: int               # 1-based position among the document's measures of this level
    kind: str                  # "item" (numbered), "paragraph", "heading", "lead-in", "action"
    label: str                 # the document's own numbering trail, e.g. "三、(一)1.(2)"
    path: tuple[str, ...]      # heading trail (sub-document title first, when there is one)
    subdoc: str                # title of the sub-document ("" when the document has none)
    text: str                  # normalised text, without the enumerator
    raw: str                   # exact source slice: source[start:end] == raw
    start: int
    end: int
    norm_start: int            # span of ``text`` in the document's normalised text
    norm_end: int
    attributes: tuple[tuple[str, str], ...] = field(default=())
    role: str = "measure"      # measure | goal | background | problem | procedure (compare/roles.py)
    role_reason: str = ""      # why: the heading, cue or rule that decided the role

    def attr(self, name: str, default: str = "") -> str:
        for k, v in self.attributes:
            if k == name:
                return v
        return default

    def to_dict(self) -> dict:
        """The row of a segment export: ``MEASURE_COLUMNS``, then the segment's attributes (deadlines, units…)."""
        return {
            "doc_id": self.doc_id, "measure_id": self.measure_id, "level": self.level,
            "ordinal": self.ordinal, "kind": self.kind, "label": self.label,
            "path": " > ".join(self.path), "subdoc": self.subdoc, "role": self.role,
            "role_reason": self.role_reason, "text": self.text, "raw": self.raw, "start": self.start, "end": self.end,
            # a PDF page is a number (a DOCX paragraph may be T2.5: row 5 of table 2, and stays text)
            **{k: (int(v) if k == "page" and v.isdigit() else v) for k, v in self.attributes},
        }
