"""Matching keys: what the fuzzy core compares, with a map back to the measure's text.

A key is the measure's normalised text with what makes unrelated measures look alike taken out: region and
district names (``data/regions.txt``), boilerplate words (``data/boilerplate.txt``), inline enumerators
(一是, (1), ①), the responsible units and deadlines ((责任单位:…), 完成时限:…), punctuation and spaces.
Chinese numerals become Arabic (十五 -> 15, 二〇二一 -> 2021) so that both spellings of a number match.
``pos[i]``/``end[i]`` give the span of ``text`` that key character ``i`` came from; ``clauses`` are the key
spans of the measure's sentences.
"""
from __future__ import annotations

import re
from array import array
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .segment import cn2int

DATA = Path(__file__).resolve().parent / "data"
_CN_NUM = "零〇一二三四五六七八九十百千两"
_NUMERAL = re.compile(rf"[{_CN_NUM}]+")
_ENUMS = re.compile(r"[一二三四五六七八九十]{1,3}是(?!否)|\(\d{1,2}\)|\([一二三四五六七八九十]{1,3}\)|[①-⑳]|——")
# who is responsible and by when: the same unit lists (市财政局、市科委…) close many unrelated measures
_UNIT = r"[^、,;()。\n]{1,24}?(?:局|委|办|管委会|政府|海关|中心|营业管理部)"
_DUTIES = re.compile(
    r"\((?:市级|区级)?(?:责任单位|牵头单位|协办单位|配合单位|责任部门|牵头部门|主责部门)[::]"
    r"(?:[^()]|\([^()]*\))*(?:\)|$)"                                       # (责任单位:…), one level of nesting
    r"|(?:^|(?<=[\n;()。]))[ \t]*(?:完成时限|局内主责处室|责任处室)[::][^\n();。]*"  # a deadline line
    rf"|^(?:{_UNIT}[、,;]?)+\)")  # a list of units cut off from the previous measure: 市科委、市通信管理局)
_CLAUSE_END = set("。;!?")
_DROP = re.compile(r"[\s\W_]", re.UNICODE)


@lru_cache(maxsize=None)
def lexicon(name: str) -> tuple[str, ...]:
    """Entries of a lexicon file in compare/data, longest first."""
    lines = (DATA / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    words = {ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")}
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


@lru_cache(maxsize=None)
def _removal_pattern() -> re.Pattern:
    words = lexicon("regions") + lexicon("boilerplate")
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))))


@dataclass(frozen=True)
class Key:
    text: str                       # the key
    pos: array                      # start in the measure text of each key character (compact: 4 bytes each)
    end: array                      # end in the measure text of each key character
    clauses: tuple[tuple[int, int], ...]  # key spans of the sentences

    def text_span(self, start: int, stop: int) -> tuple[int, int]:
        """Span of the measure text covered by key characters [start, stop)."""
        if start >= stop or not self.text:
            return (0, 0)
        return self.pos[start], self.end[stop - 1]


def _numeral_value(run: str) -> str:
    if len(run) > 1 and all(ch not in "十百千" for ch in run):  # 二〇二一: digit by digit
        return "".join(str(cn2int(ch)) for ch in run)
    return str(cn2int(run))


_TOKENS = re.compile(rf"(?P<run>[^\W_{_CN_NUM}]+)|(?P<num>[{_CN_NUM}]+)|(?P<end>[{''.join(sorted(_CLAUSE_END))}])")


def make_key(text: str) -> Key:
    """The matching key of a measure's normalised text.

    Stretches of kept characters are taken whole (``_TOKENS``); the result is character for character what
    a loop over the characters gives (``tests/test_align.py`` keeps that loop as the reference)."""
    removed = bytearray(len(text))
    for pattern in (_ENUMS, _DUTIES, _removal_pattern()):
        for m in pattern.finditer(text):
            removed[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    out: list[str] = []
    pos = array("i")
    end = array("i")
    clauses: list[tuple[int, int]] = []
    clause_start = count = 0     # count: key characters so far, as the character loop counts them
    for tok in _TOKENS.finditer(text):
        s, e = tok.span()
        kind = tok.lastgroup
        if kind == "end":
            if count > clause_start:
                clauses.append((clause_start, count))
            clause_start = count
        elif kind == "run":
            z = removed.find(0, s, e)
            while z != -1:
                k = removed.find(1, z, e)
                k = e if k == -1 else k
                piece = text[z:k]
                # str.lower of a stretch is the characters' lower cases joined, but for a final sigma
                out.append(piece.lower() if "\u03a3" not in piece else "".join(c.lower() for c in piece))
                pos.extend(range(z, k))
                end.extend(range(z + 1, k + 1))
                count += k - z
                z = removed.find(0, k, e) if k < e else -1
        else:   # a run of Chinese numerals: its value (十五 -> 15), unless it is removed or has none
            i = s
            while i < e:
                if removed[i]:
                    i += 1
                    continue
                j = e
                while j > i and removed[j - 1]:
                    j -= 1
                value = _numeral_value(text[i:j]) if j > i else ""
                if value and value != "0" or text[i:j] in ("零", "〇"):
                    out.append(value)
                    pos.extend([i] * len(value))
                    end.extend([j] * len(value))
                    count += len(value)
                    i = j
                    continue
                out.append(text[i])
                pos.append(i)
                end.append(i + 1)
                count += 1
                i += 1
    if count > clause_start:
        clauses.append((clause_start, count))
    return Key("".join(out), pos, end, tuple(clauses))


def pack(keys: list[Key]) -> tuple:
    """``keys`` as a few flat values (one string, six arrays): what a worker sends back instead of a hundred
    thousand small objects (``unpack`` gives equal keys)."""
    text = "".join(k.text for k in keys)
    pos, end, clauses = array("i"), array("i"), array("i")
    for k in keys:
        pos.extend(k.pos)
        end.extend(k.end)
        for c in k.clauses:
            clauses.extend(c)
    lengths = array("i", [len(k.text) for k in keys])
    # a key's map can be shorter than its text: a character whose lower case is two (İ -> i̇) maps once
    mapped = array("i", [len(k.pos) for k in keys])
    counts = array("i", [len(k.clauses) for k in keys])
    return text, lengths, mapped, pos, end, counts, clauses


def unpack(packed: tuple) -> list[Key]:
    """The keys that ``pack`` packed."""
    text, lengths, mapped, pos, end, counts, clauses = packed
    out: list[Key] = []
    at = m = c = 0
    for n, k_map, k in zip(lengths, mapped, counts):
        flat = clauses[2 * c:2 * (c + k)]
        out.append(Key(text[at:at + n], pos[m:m + k_map], end[m:m + k_map], tuple(zip(flat[::2], flat[1::2]))))
        at += n
        m += k_map
        c += k
    return out
