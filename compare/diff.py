"""Wording diff between two measures (or any two texts), tuned for Chinese.

The diff is computed on the texts as given (for measures: their normalised text, so Traditional/Simplified
and width differences are already gone) with the standard library's ``difflib.SequenceMatcher`` with
``autojunk=False`` (deterministic, no time limit), over characters or, on request, jieba words.

Clean-up for Chinese: edits separated by a single unchanged character that is not a word of its own are
merged (``推进→全面推行`` is one edit, not three); an unchanged word of two or more characters (试验区) is
never swallowed; edit boundaries are moved out to jieba word boundaries when a word is cut in two
(``2021年底`` → ``2022年底`` keeps ``年底`` out of the edit but shows ``2021`` → ``2022`` whole).

Each edit gets a ``trivial`` reason when it changes only punctuation, enumerators, spaces or region names:
those are hidden by the renderers unless asked for (``show_trivial=True``), but stay in the diff, so that
``apply(old) == new`` always holds.
"""
from __future__ import annotations

import difflib
import html
import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from .keys import lexicon

_PUNCT = re.compile(r"^[\s\W_]*$", re.UNICODE)
_ENUM = re.compile(r"[一二三四五六七八九十]{1,3}[是、]|\([一二三四五六七八九十\d]{1,3}\)|\d{1,3}[.、](?!\d)|[①-⑳]|——|第[一二三四五六七八九十百千零〇\d]+[条章节款项]")


@dataclass(frozen=True)
class Op:
    tag: str          # "equal" | "replace" | "delete" | "insert"
    a0: int           # span in the old text
    a1: int
    b0: int           # span in the new text
    b1: int
    old: str
    new: str
    trivial: str = ""  # "", "punctuation", "enumerator", "space", "region"

    @property
    def changed(self) -> bool:
        return self.tag != "equal"


@dataclass(frozen=True)
class Diff:
    old: str
    new: str
    ops: tuple[Op, ...]
    unit: str          # "char" or "word"

    def apply(self, old: str | None = None) -> str:
        """Rebuild the new text from the old one and the edits."""
        old = self.old if old is None else old
        out = []
        for op in self.ops:
            out.append(old[op.a0:op.a1] if op.tag == "equal" else op.new)
        return "".join(out)

    def inverse(self) -> "Diff":
        swap = {"insert": "delete", "delete": "insert"}
        ops = tuple(Op(swap.get(o.tag, o.tag), o.b0, o.b1, o.a0, o.a1, o.new, o.old, o.trivial) for o in self.ops)
        return Diff(self.new, self.old, ops, self.unit)

    @property
    def edits(self) -> tuple[Op, ...]:
        """The changes a reader should see (not trivial ones)."""
        return tuple(o for o in self.ops if o.changed and not o.trivial)

    def similarity(self) -> float:
        same = sum(o.a1 - o.a0 for o in self.ops if o.tag == "equal" or o.trivial)
        total = max(len(self.old), len(self.new), 1)
        return same / total


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def words(text: str) -> list[str]:
    """jieba tokens (their concatenation is ``text``)."""
    return list(_jieba().cut(text, HMM=True))


def _word_bounds(text: str) -> set[int]:
    bounds = {0}
    pos = 0
    for w in words(text):
        pos += len(w)
        bounds.add(pos)
    return bounds


def _inside(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(a <= s and e <= b for a, b in spans)


def _trivial(old: str, new: str, a0: int, a1: int, b0: int, b1: int, enums_a, enums_b) -> str:
    if not old.strip() and not new.strip():
        return "space"
    if _PUNCT.match(old) and _PUNCT.match(new):
        return "punctuation"
    if (not old or _inside(enums_a, a0, a1)) and (not new or _inside(enums_b, b0, b1)):
        return "enumerator"
    regions = lexicon("regions")
    rest_old, rest_new = old, new
    for r in regions:
        rest_old = rest_old.replace(r, "")
        rest_new = rest_new.replace(r, "")
    if (old or new) and _PUNCT.match(rest_old) and _PUNCT.match(rest_new) and (old != rest_old or new != rest_new):
        # a place renamed (北京市 -> 重庆市) is trivial; a scope widened or narrowed (本市 -> 全市, 全国 -> 全市,
        # 全市 added) is not, though both words are region words for matching
        from .changes import scale   # changes imports this module

        ranks = dict(scale("scope"))
        r_old = [r for w, r in ranks.items() if w in old]
        r_new = [r for w, r in ranks.items() if w in new]
        if (r_old and r_new and max(r_old) != max(r_new)) or (r_old and not new) or (r_new and not old):
            return ""
        return "region"
    return ""


def _raw_opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


def _to_char_spans(tokens: list[str]) -> list[int]:
    offs = [0]
    for t in tokens:
        offs.append(offs[-1] + len(t))
    return offs


def _merge(ops: list[list], old: str, new: str, a_bounds: set[int], b_bounds: set[int]) -> list[list]:
    """Merge edits around a one-character unchanged gap that is not a word on its own."""
    out: list[list] = []
    i = 0
    while i < len(ops):
        op = ops[i]
        if (op[0] == "equal" and out and out[-1][0] != "equal" and i + 1 < len(ops) and ops[i + 1][0] != "equal"
                and op[2] - op[1] == 1 and not (op[1] in a_bounds and op[2] in a_bounds)):
            nxt = ops[i + 1]
            prev = out.pop()
            out.append(["replace", prev[1], nxt[2], prev[3], nxt[4]])
            i += 2
            continue
        if op[0] != "equal" and out and out[-1][0] != "equal":
            prev = out.pop()
            out.append(["replace", prev[1], op[2], prev[3], op[4]])
        else:
            out.append(list(op))
        i += 1
    return out


def _snap(ops: list[list], old: str, new: str, a_bounds: set[int], b_bounds: set[int]) -> list[list]:
    """Move edit boundaries outwards to word boundaries when an edit cuts a word of both texts."""
    for k, op in enumerate(ops):
        if op[0] == "equal":
            continue
        # extend left while the start cuts a word in both texts and the previous equal run allows it
        while (k > 0 and ops[k - 1][0] == "equal" and ops[k - 1][2] - ops[k - 1][1] > 0
               and op[1] not in a_bounds and op[3] not in b_bounds):
            prev = ops[k - 1]
            prev[2] -= 1
            prev[4] -= 1
            op[1] -= 1
            op[3] -= 1
        while (k + 1 < len(ops) and ops[k + 1][0] == "equal" and ops[k + 1][2] - ops[k + 1][1] > 0
               and op[2] not in a_bounds and op[4] not in b_bounds):
            nxt = ops[k + 1]
            nxt[1] += 1
            nxt[3] += 1
            op[2] += 1
            op[4] += 1
    return [op for op in ops if not (op[0] == "equal" and op[2] == op[1])]


_NUMERAL_CHARS = set("0123456789.零〇一二三四五六七八九十百千万亿两")


def _whole_numbers(ops: list[list], old: str, new: str) -> list[list]:
    """An edit that touches a number takes the whole number: 1[-2-]月 becomes [-12-]{+1+}月."""
    for k, op in enumerate(ops):
        if op[0] == "equal":
            continue
        changed = old[op[1]:op[2]] + new[op[3]:op[4]]
        if not any(ch in _NUMERAL_CHARS and not ch == "." for ch in changed):
            continue
        while (k > 0 and ops[k - 1][0] == "equal" and ops[k - 1][2] > ops[k - 1][1]
               and old[op[1] - 1] in _NUMERAL_CHARS):
            ops[k - 1][2] -= 1
            ops[k - 1][4] -= 1
            op[1] -= 1
            op[3] -= 1
        while (k + 1 < len(ops) and ops[k + 1][0] == "equal" and ops[k + 1][2] > ops[k + 1][1]
               and old[op[2]] in _NUMERAL_CHARS):
            ops[k + 1][1] += 1
            ops[k + 1][3] += 1
            op[2] += 1
            op[4] += 1
    return [op for op in ops if not (op[0] == "equal" and op[2] == op[1])]


def diff_texts(old: str, new: str, *, unit: str = "char") -> Diff:
    """The diff of two texts, character by character (default) or word by word (jieba tokens)."""
    if unit not in ("char", "word"):
        raise ValueError(f"unit must be 'char' or 'word', not {unit!r}")
    if unit == "word":
        ta, tb = words(old), words(new)
        oa, ob = _to_char_spans(ta), _to_char_spans(tb)
        raw = [(t, oa[i1], oa[i2], ob[j1], ob[j2]) for t, i1, i2, j1, j2 in _raw_opcodes(ta, tb)]
    else:
        raw = list(_raw_opcodes(list(old), list(new)))
    a_bounds, b_bounds = _word_bounds(old), _word_bounds(new)
    ops = [list(o) for o in raw]
    if unit == "char":
        ops = _merge(ops, old, new, a_bounds, b_bounds)
        ops = _snap(ops, old, new, a_bounds, b_bounds)
        ops = _whole_numbers(ops, old, new)
    enums_a = [m.span() for m in _ENUM.finditer(old)]
    enums_b = [m.span() for m in _ENUM.finditer(new)]
    out = []
    for tag, a0, a1, b0, b1 in ops:
        if tag != "equal":
            tag = "replace" if a1 > a0 and b1 > b0 else "delete" if a1 > a0 else "insert"
        o, n = old[a0:a1], new[b0:b1]
        trivial = _trivial(o, n, a0, a1, b0, b1, enums_a, enums_b) if tag != "equal" else ""
        out.append(Op(tag, a0, a1, b0, b1, o, n, trivial))
    return Diff(old, new, tuple(out), unit)


# ---------------------------------------------------------------- rendering
def render_text(d: Diff, *, show_trivial: bool = False) -> str:
    """Plain text for terminals: ``[-old-]{+new+}``."""
    parts = []
    for o in d.ops:
        if o.tag == "equal" or (o.trivial and not show_trivial):
            parts.append(o.new if o.tag != "equal" else o.old)
            continue
        if o.old:
            parts.append(f"[-{o.old}-]")
        if o.new:
            parts.append(f"{{+{o.new}+}}")
    return "".join(parts)


def render_html(d: Diff, *, kinds: dict[int, list[str]] | None = None, show_trivial: bool = False,
                old_display: str | None = None, new_display: str | None = None,
                old_map=None, new_map=None) -> str:
    """HTML with ``<del>``/``<ins>``; every piece of document text is escaped.

    ``kinds`` maps an op index to change kinds (CSS classes ``chg-<kind>``). With ``old_display``/
    ``new_display`` and span maps (``(start, end) -> (start, end)``) the raw texts are shown instead of the
    compared ones.
    """
    def show(text_cmp: str, span, display, mapping) -> str:
        if display is None or mapping is None:
            return html.escape(text_cmp)
        s, e = mapping(*span)
        return html.escape(display[s:e])

    out = ['<span class="diff">']
    for n, o in enumerate(d.ops):
        cls = " ".join(f"chg-{k}" for k in (kinds or {}).get(n, []))
        if o.tag == "equal" or (o.trivial and not show_trivial):
            out.append(show(o.new, (o.b0, o.b1), new_display, new_map))
            continue
        extra = f' data-trivial="{o.trivial}"' if o.trivial else ""
        if o.old:
            out.append(f'<del class="{cls}"{extra}>{show(o.old, (o.a0, o.a1), old_display, old_map)}</del>')
        if o.new:
            out.append(f'<ins class="{cls}"{extra}>{show(o.new, (o.b0, o.b1), new_display, new_map)}</ins>')
    out.append("</span>")
    return "".join(out)


def to_dict(d: Diff, *, show_trivial: bool = False) -> dict:
    """A dict for tables and JSON."""
    return {
        "unit": d.unit,
        "similarity": round(d.similarity(), 4),
        "ops": [{"tag": o.tag, "old": o.old, "new": o.new, "old_span": [o.a0, o.a1], "new_span": [o.b0, o.b1],
                 **({"trivial": o.trivial} if o.trivial else {})}
                for o in d.ops if o.changed and (show_trivial or not o.trivial)],
    }


# ---------------------------------------------------------------- sides shown on their raw text
@dataclass(frozen=True)
class Side:
    """A text compared in its normalised form and shown in its raw form: ``to_raw(s, e)`` maps a span of
    ``text`` to a span of ``raw``."""

    text: str
    raw: str
    to_raw: object


def text_side(raw: str) -> Side:
    """A free text: normalised (width, Traditional -> Simplified, spaces) with its offset map."""
    from .normalize import normalize

    norm = normalize(raw)
    return Side(norm.text, raw, norm.to_raw)


def measure_side(doc, m) -> Side:
    """A measure: its normalised text, shown on its exact source slice."""
    norm = doc.normalized

    def to_raw(s: int, e: int) -> tuple[int, int]:
        rs, re_ = norm.to_raw(m.norm_start + s, m.norm_start + e)
        return rs - m.start, re_ - m.start

    return Side(m.text, m.raw, to_raw)


def diff_sides(old: Side, new: Side, *, unit: str = "char") -> Diff:
    return diff_texts(old.text, new.text, unit=unit)


def render_sides_html(d: Diff, old: Side, new: Side, *, kinds=None, show_trivial: bool = False) -> str:
    """HTML of a diff shown on the raw texts (Traditional characters, full-width forms as in the source)."""
    return render_html(d, kinds=kinds, show_trivial=show_trivial, old_display=old.raw, new_display=new.raw,
                       old_map=old.to_raw, new_map=new.to_raw)
