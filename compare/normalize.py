"""Normalise raw document text while keeping an exact map back to the raw characters.

Every pass is a list of edits (raw characters removed or replaced); the composed result keeps, for each
normalised character, the raw span it came from, so that any normalised span maps back to a raw slice.
Every removal is recorded (:class:`Edit`) so it can be shown and audited.

Passes, in order (after the edits a file reader supplies, and the removal of format characters such as
zero-width spaces, recorded as ``format`` edits):
1. web-page chrome (breadcrumbs, 字号/收藏/打印 widgets, 扫一扫 lines, site titles, 日期/来源 lines)
   and Markdown comments;
2. width folding: full-width ASCII, the ideographic space, Kangxi radicals and CJK compatibility
   ideographs to their standard forms (one character for one, NFKC where the result is one character;
   circled numbers such as ① are kept: they are enumerators);
3. Traditional -> Simplified with OpenCC ``t2s`` (characters), then Taiwan terms -> mainland terms from
   ``data/tw_terms.tsv`` (資訊 -> 信息, 軟體 -> 软件), for documents in Traditional script only;
4. table-of-contents dot leaders with their page number;
5. page numbers that sit inside the sentences of a one-line PDF extraction, recognised because they form a
   run of consecutive numbers spread through the text;
6. in one-line PDF text, spaces left by PDF line breaks: a break after a short line (the end of a
   heading or paragraph) becomes a newline, the others are removed;
7. spaces next to Chinese characters (``2021 年`` -> ``2021年``), leading and trailing spaces of lines;
   spaces between Latin words are kept.
"""
from __future__ import annotations

import re
import statistics
import unicodedata
from array import array
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .config import Config, DEFAULT

CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F))
CJK_PUNCT = set("。，、；：？！“”‘’（）《》〈〉【】「」『』〔〕…—·")
SENTENCE_END = set("。;!?；！？")


_CJK = re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in CJK_RANGES) + "]")


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return any(a <= o <= b for a, b in CJK_RANGES)


def is_cjk_or_punct(ch: str) -> bool:
    return is_cjk(ch) or ch in CJK_PUNCT


@dataclass(frozen=True)
class Edit:
    """One change made by normalisation: raw[raw_start:raw_end] became ``replacement``."""

    kind: str
    raw_start: int
    raw_end: int
    removed: str
    replacement: str

    def to_dict(self) -> dict:
        return {"kind": self.kind, "raw_start": self.raw_start, "raw_end": self.raw_end,
                "removed": self.removed, "replacement": self.replacement}


@dataclass(frozen=True, eq=False)
class Normalized:
    """Normalised text with, for each of its characters, the raw span it came from."""

    raw: str
    text: str
    starts: array  # starts[i]: raw offset where the raw span of text[i] begins
    ends: array    # ends[i]: raw offset where it ends
    edits: tuple[Edit, ...]
    script: str    # "simplified" or "traditional" (what was detected or declared)

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Raw span of the normalised span [start, end). An empty span maps to an empty raw span."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span ({start}, {end}) outside 0..{len(self.text)}")
        if start == end:
            pos = self.starts[start] if start < len(self.text) else len(self.raw)
            return pos, pos
        return self.starts[start], self.ends[end - 1]


class _Mapped:
    """A string under construction, with per-character raw spans."""

    __slots__ = ("text", "starts", "ends", "edits")

    def __init__(self, raw: str):
        self.text = raw
        self.starts = array("l", range(len(raw)))
        self.ends = array("l", range(1, len(raw) + 1))
        self.edits: list[Edit] = []

    def apply(self, edits: list[tuple[int, int, str, str]], raw: str) -> None:
        """Apply (start, end, replacement, kind) edits, in current coordinates, sorted, non-overlapping."""
        if not edits:
            return
        parts: list[str] = []
        starts = array("l")
        ends = array("l")
        pos = 0
        for s, e, rep, kind in edits:
            parts.append(self.text[pos:s])
            starts.extend(self.starts[pos:s])
            ends.extend(self.ends[pos:s])
            if s < e:
                rs, re_ = self.starts[s], self.ends[e - 1]
            else:  # pure insertion: anchor it on the next character (or the end)
                rs = re_ = self.starts[s] if s < len(self.text) else (self.ends[-1] if len(self.text) else 0)
            parts.append(rep)
            starts.extend([rs] * len(rep))
            ends.extend([re_] * len(rep))
            if kind:
                self.edits.append(Edit(kind, rs, re_, raw[rs:re_], rep))
            pos = e
        parts.append(self.text[pos:])
        starts.extend(self.starts[pos:])
        ends.extend(self.ends[pos:])
        self.text = "".join(parts)
        self.starts, self.ends = starts, ends

    def translate(self, table: dict[int, str], kind: str, raw: str) -> None:
        """One-for-one character replacement (maps unchanged); records runs of changed characters."""
        new = self.text.translate(table)
        if new == self.text:
            return
        assert len(new) == len(self.text)
        self._record_substitutions(new, kind, raw)
        self.text = new

    def _record_substitutions(self, new: str, kind: str, raw: str) -> None:
        old = self.text
        i, n = 0, len(old)
        while i < n:
            if old[i] != new[i]:
                j = i
                while j < n and old[j] != new[j]:
                    j += 1
                rs, re_ = self.starts[i], self.ends[j - 1]
                self.edits.append(Edit(kind, rs, re_, raw[rs:re_], new[i:j]))
                i = j
            else:
                i += 1


# ---------------------------------------------------------------- pass 1: chrome
_CHROME_LINE = re.compile(
    r"^[^\S\n]*(?:"
    r"[^\n]*面包屑导航[^\n]*"
    r"|首页\s*[>＞»][^\n]*"
    r"|[^\n]{0,10}【?\s*字号\s*[:：][^\n]*"
    r"|[^\n]{0,6}扫一扫[^\n]{0,20}"
    r"|日期\s*[:：][^\n]{0,40}来源\s*[:：][^\n]{0,30}"
    r"|[^\n]{0,80}(?:\s-\s?|\s?-\s)\S{1,12}网"
    r"|<!--[^\n]*-->"
    r"|(?:【?(?:打印|打印本页|打印此页|关闭|关闭窗口|关闭本页|收藏|返回顶部|分享)】?\s*){1,6}"
    r"|[^\n]{0,60}?(?:[【\[](?:打印|打印本页|打印此页|关闭|关闭窗口|关闭本页|收藏|返回顶部)[】\]]\s*){2,6}"
    r")[^\S\n]*(?:\n|$)",
    re.M,
)


def _chrome_edits(text: str) -> list[tuple[int, int, str, str]]:
    return [(m.start(), m.end(), "", "chrome") for m in _CHROME_LINE.finditer(text) if m.end() > m.start()]


# ---------------------------------------------------------------- pass 2: width
@lru_cache(maxsize=1)
def _width_table() -> dict[int, str]:
    table: dict[int, str] = {0x3000: " ", 0x00A0: " ", 0x2002: " ", 0x2003: " ", 0x2009: " "}
    ranges = [(0xFF01, 0xFF5E), (0x2F00, 0x2FD5), (0x2E80, 0x2EF3), (0xF900, 0xFAFF), (0x2F800, 0x2FA1D)]
    for a, b in ranges:
        for cp in range(a, b + 1):
            ch = chr(cp)
            folded = unicodedata.normalize("NFKC", ch)
            if folded != ch and len(folded) == 1:
                table[cp] = folded
    return table


# ---------------------------------------------------------------- pass 3: OpenCC
@lru_cache(maxsize=4)
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def detect_script(text: str) -> str:
    """'traditional' when more than 3% of the Chinese characters change under OpenCC t2s."""
    sample = "".join(_CJK.findall(text[:200_000]))     # the characters ``is_cjk`` accepts, in order
    if not sample:
        return "simplified"
    converted = _converter("t2s").convert(sample)
    a, b = (np.frombuffer(s.encode("utf-32-le", "surrogatepass"), dtype=np.uint32) for s in (sample, converted))
    k = min(len(a), len(b))                              # compared place by place, as zip compares them
    changed = int(np.count_nonzero(a[:k] != b[:k]))
    return "traditional" if changed / len(sample) > 0.03 else "simplified"


@lru_cache(maxsize=1)
def _tw_terms() -> tuple[re.Pattern, dict[str, str]]:
    from pathlib import Path

    table: dict[str, str] = {}
    path = Path(__file__).resolve().parent / "data" / "tw_terms.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            tw, cn = line.split("\t")
            table[tw.strip()] = cn.strip()
    pattern = re.compile("|".join(re.escape(t) for t in sorted(table, key=lambda t: (-len(t), t))))
    return pattern, table


def _term_edits(text: str) -> list[tuple[int, int, str, str]]:
    pattern, table = _tw_terms()
    return [(m.start(), m.end(), table[m.group()], "tw-term") for m in pattern.finditer(text)]


def _opencc_edits(m: _Mapped, config: str, raw: str) -> None:
    conv = _converter(config)
    converted_lines = []
    same_length = True
    for line in m.text.split("\n"):
        c = conv.convert(line)
        converted_lines.append(c)
        same_length = same_length and len(c) == len(line)
    if same_length:
        new = "\n".join(converted_lines)
        if new != m.text:
            m._record_substitutions(new, "t2s", raw)
            m.text = new
        return
    # a phrase changed length (記憶體 -> 内存): align each line and map replaced blocks as wholes
    from rapidfuzz.distance import Levenshtein

    edits: list[tuple[int, int, str, str]] = []
    pos = 0
    for line, conv_line in zip(m.text.split("\n"), converted_lines):
        if line != conv_line:
            for op in Levenshtein.opcodes(line, conv_line):
                if op.tag != "equal":
                    edits.append((pos + op.src_start, pos + op.src_end,
                                  conv_line[op.dest_start:op.dest_end], "t2s"))
        pos += len(line) + 1
    m.apply(edits, raw)


# ---------------------------------------------------------------- pass 4: TOC leaders
_LEADER = re.compile(r"(?:[.…·・]{4,}|(?<=[^\s.])\.(?= \d{1,3}(?:\s|$)))[^\S\n]*(\d{1,3})?(?=\s|$|[^\d])")


def _leader_edits(text: str) -> list[tuple[int, int, str, str]]:
    return [(m.start(), m.end(), "\n", "toc-leader") for m in _LEADER.finditer(text)]


# ---------------------------------------------------------------- pass 5: page numbers
_NUM_TOKEN = re.compile(r"(?<=\s)\d{1,3}(?=\s)")


def page_number_chain(text: str, *, min_gap: int = 150, max_gap: int = 6000) -> list[tuple[int, int]]:
    """Spans of the longest run of whitespace-delimited numbers n, n+1, n+2… spread through the text.

    Page numbers of a PDF stand between words at roughly regular distances and count up by one (a page
    may be missing: +2 is allowed); an amount such as ``10 万元`` rarely continues such a run.
    """
    cands = [(m.start(), m.end(), int(m.group())) for m in _NUM_TOKEN.finditer(text)]
    if len(cands) < 3:
        return []
    best = [1] * len(cands)
    prev = [-1] * len(cands)
    # index candidates by value for the look-back
    by_value: dict[int, list[int]] = {}
    for i, (s, _e, v) in enumerate(cands):
        for step in (1, 2):
            for j in reversed(by_value.get(v - step, ())):
                gap = s - cands[j][0]
                if gap > max_gap:
                    break
                if gap >= min_gap and best[j] + 1 > best[i]:
                    best[i], prev[i] = best[j] + 1, j
        by_value.setdefault(v, []).append(i)
    end = max(range(len(cands)), key=lambda i: (best[i], -i))
    if best[end] < 3:
        return []
    chain = []
    while end >= 0:
        chain.append((cands[end][0], cands[end][1]))
        end = prev[end]
    return sorted(chain)


def _page_number_edits(text: str) -> list[tuple[int, int, str, str]]:
    edits = []
    for s, e in page_number_chain(text):
        # remove the number and the space before it; the space after it stays as a line break
        s2 = s - 1 if s > 0 and text[s - 1] in " \t" else s
        edits.append((s2, e, "", "page-number"))
    return edits


# ---------------------------------------------------------------- pass 6: PDF line breaks
def _display_width(s: str) -> float:
    return sum(1.0 if is_cjk_or_punct(ch) else 0.5 for ch in s)


def is_one_line_pdf(text: str) -> bool:
    """A line of more than 3,000 characters with a space at least every 60 characters."""
    for line in text.split("\n"):
        if len(line) > 3000 and line.count(" ") * 60 > len(line):
            return True
    return False


_ASCII_PUNCT = set("()[],.;:!?\"'%")
_ARTICLE_LABEL = re.compile(r"(?:^|\s)第[零〇一二三四五六七八九十百千\d]+[条章节]$")
_ENUM_AHEAD = re.compile(r"\d{1,2}[.、](?!\d)")


def _break_candidate(line: str, s: int, e: int) -> bool:
    """A space that may be a PDF line break: punctuation or a Chinese character on both sides (a digit on
    the right only when it opens an enumerator such as ``1.``)."""
    left, right = line[s - 1], line[e]
    left_ok = is_cjk_or_punct(left) or left in _ASCII_PUNCT
    right_ok = is_cjk_or_punct(right) or right in _ASCII_PUNCT or bool(_ENUM_AHEAD.match(line, e))
    return left_ok and right_ok


def _pdf_break_edits(text: str) -> list[tuple[int, int, str, str]]:
    """Classify each line-break candidate of a long line as soft (removed) or hard (a newline).

    The PDF's full line width is the median width between candidates; a line that ends well short of it
    ends a heading or a paragraph. Very short pieces (``第二条``, the letters of a spaced-out ``总 则``) are
    spacing inside a line: their width counts towards the next piece.
    """
    edits: list[tuple[int, int, str, str]] = []
    pos = 0
    for line in text.split("\n"):
        if len(line) > 3000:
            breaks = [m for m in re.finditer(r"[^\S\n]+", line)
                      if m.start() > 0 and m.end() < len(line) and _break_candidate(line, m.start(), m.end())]
            widths, prev = [], 0
            for m in breaks:
                widths.append(_display_width(line[prev:m.start()]))
                prev = m.end()
            full = [w for w in widths if w >= 10]
            typical = statistics.median(full) if full else 0
            acc = 0.0
            for m, w in zip(breaks, widths):
                acc += w
                seg_end = line[m.start() - 1]
                piece = line[m.start() - 12 if m.start() >= 12 else 0:m.start()]
                if typical and seg_end not in SENTENCE_END and (w <= 2 or _ARTICLE_LABEL.search(piece)):
                    edits.append((pos + m.start(), pos + m.end(), "", "pdf-space"))
                    continue
                hard = typical and (acc < 0.8 * typical or (seg_end in SENTENCE_END and acc < 0.93 * typical))
                edits.append((pos + m.start(), pos + m.end(), "\n" if hard else "",
                              "pdf-paragraph" if hard else "pdf-space"))
                acc = 0.0
        pos += len(line) + 1
    return edits


# ---------------------------------------------------------------- pass 7: spaces
_SPACE_RUN = re.compile(r"[^\S\n]+")


def _space_edits(text: str) -> list[tuple[int, int, str, str]]:
    edits = []
    n = len(text)
    for m in _SPACE_RUN.finditer(text):
        s, e = m.start(), m.end()
        left = text[s - 1] if s > 0 else "\n"
        right = text[e] if e < n else "\n"
        if left == "\n" or right == "\n":
            edits.append((s, e, "", "space"))
        elif is_cjk_or_punct(left) or is_cjk_or_punct(right):
            edits.append((s, e, "", "space"))
    return edits


_FORMAT = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]+")


def _format_edits(text: str) -> list[tuple[int, int, str, str]]:
    """Format characters that show nothing (zero-width spaces and joiners, direction marks, word joiner, a
    byte-order mark inside the text, soft hyphens): removed, each removal an edit ``format``."""
    return [(m.start(), m.end(), "", "format") for m in _FORMAT.finditer(text)]


def normalize(raw: str, *, script: str | None = None, config: Config = DEFAULT,
              reader_edits: tuple[tuple[int, int, str, str], ...] = ()) -> Normalized:
    """Normalise ``raw``; ``script`` ('simplified'/'traditional') is detected when not given.

    ``reader_edits`` (start, end, replacement, kind), sorted and in ``raw`` coordinates, are what a file
    reader recognised as not being text (a PDF's running headers, its line breaks inside paragraphs:
    ``compare/extract.py``); they are applied first and recorded like every other edit.
    """
    m = _Mapped(raw)
    m.apply(list(reader_edits), raw)
    if config.remove_chrome:
        m.apply(_chrome_edits(m.text), raw)
    m.apply(_format_edits(m.text), raw)
    if config.fold_width:
        m.translate(_width_table(), "width", raw)
    if script is None:
        script = detect_script(m.text)
    if script == "traditional":
        _opencc_edits(m, config.opencc_config, raw)
        m.apply(_term_edits(m.text), raw)
    one_line = is_one_line_pdf(m.text)
    if one_line:
        m.apply(_leader_edits(m.text), raw)
    if config.remove_page_numbers:
        m.apply(_page_number_edits(m.text), raw)
    if one_line and config.remove_pdf_spaces:
        m.apply(_pdf_break_edits(m.text), raw)
    if config.remove_pdf_spaces:
        m.apply(_space_edits(m.text), raw)
    edits = tuple(sorted(m.edits, key=lambda e: (e.raw_start, e.raw_end, e.kind)))
    return Normalized(raw=raw, text=m.text, starts=m.starts, ends=m.ends, edits=edits, script=script)


def edits_summary(norm: Normalized) -> dict[str, int]:
    """How many edits of each kind normalisation made."""
    out: dict[str, int] = {}
    for e in norm.edits:
        out[e.kind] = out.get(e.kind, 0) + 1
    return dict(sorted(out.items()))
