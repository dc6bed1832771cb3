"""Segment a normalised document into sub-documents, headings and measures.

The segmenter reads the normalised text line by line (after normalisation a line is a paragraph, a
heading or a PDF line), finds enumerators at line starts and after sentence punctuation, accepts only
those that continue a numbering (一、 after nothing or after 一、; 4. after 3., even across sections), and
builds a tree with a stack: a style already open closes everything below it; a new style opens a level
below the current item. Numbered titles with content below them are headings (the heading trail);
numbered items that state something are coarse measures; their sub-items are fine measures.
The cut is complete: headings, title lines, preambles and closing lines are segments too, so every
character is in exactly one segment (``compare/roles.py`` then says what each is). At the fine level an
unnumbered paragraph whose sentences open with their own actors is cut into one action per actor. See
``tests/data/gold/ROLES.md`` for the policy, which the gold segmentation follows too.
"""
from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass, field

from .config import Config, DEFAULT
from .records import Document, Measure, SubDocument

_CN = "零〇一二三四五六七八九十百千两"
_CN_VAL = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}


def cn2int(s: str) -> int:
    """Chinese numeral (一 … 九千九百九十九, 〇/零 allowed) to int."""
    total, cur = 0, 0
    for ch in s:
        if ch in _CN_VAL:
            cur = _CN_VAL[ch]
        elif ch in _CN_UNIT:
            total += (cur or 1) * _CN_UNIT[ch]
            cur = 0
    return total + cur


CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# style name -> regex matched at a boundary; group "n" is the number
_STYLE_PATTERNS = [
    ("md", r"(?P<hashes>#{1,6})(?!#)[ \t]*"),
    ("bian", rf"第(?P<n_bian>[{_CN}\d]+)编"),
    ("zhang", rf"第(?P<n_zhang>[{_CN}\d]+)章"),
    ("jie", rf"第(?P<n_jie>[{_CN}\d]+)节"),
    ("tiao", rf"第(?P<n_tiao>[{_CN}\d]+)条(?:之(?P<n_tiao_sub>[{_CN}]+))?(?![的、,及或]|和第)"),
    ("dun", rf"(?P<n_dun>[{_CN}]{{1,3}})、"),
    ("cparen", rf"\((?P<n_cparen>[{_CN}]{{1,3}})\)"),
    ("adot", r"(?P<n_adot>\d{1,3})(?:\.(?!\d)|、)"),
    ("aparen", r"\((?P<n_aparen>\d{1,3})\)"),
    ("circled", rf"(?P<n_circled>[{CIRCLED}])"),
    ("yishi", rf"(?P<n_yishi>[{_CN}]{{1,3}})是(?!否)"),
    ("dash", r"——(?!—)"),
]
_ENUM = re.compile("|".join(f"(?P<{name}>{pat})" for name, pat in _STYLE_PATTERNS))
_INLINE_BOUNDARY = re.compile(r"(?<=[。;:!?])(?=[^\n])")
SENTENCE_PUNCT = set("。;!?")
TITLE_BREAKERS = SENTENCE_PUNCT | {":"}
RUN_ON_STOPS = SENTENCE_PUNCT | {"”", ":", "」", ")", "□"}  # a line ending in one of these does not run on
PROSE_PUNCT = set(",、;:。!?")
CHAPTER_STYLES = {"md", "bian", "zhang", "jie"}
SECTION_STYLES = {"dun", "bian", "zhang", "jie"}  # inline, these close an open paragraph instead of nesting in it
CLAUSE_STYLES = {"yishi", "aparen", "circled", "dash"}  # sub-items that end with their paragraph
_CLOSING = re.compile(
    r"^(?:特此(?:报告|通知|公告|通告|函告|批复)|以上(?:报告|意见)|抄送|附件\d*[:：]?$|扫一扫"
    r"|.{0,30}?\d{4}(?:年|-|\.)\d{1,2}(?:月|-|\.)\d{1,2}日?$)"
)
_ATTRIBUTES = re.compile(r"(?P<k>责任单位|责任部门|牵头单位|牵头部门|配合单位|配合部门|协办单位|主责单位)[:：]"
                         r"\s*(?P<v>[^);；。\n]+)")
_DOC_WORDS = re.compile(r"报告|方案|措施|条例|规定|意见|办法|通知|通告|公告|决定|细则|规划|纲要|指引|清单|函$")
_GROUP = re.compile(r"^(?:第[一二三四五六七八九十]+部分|\d{1,2}\.|[一二三四五六七八九十]、)")


@dataclass
class _Node:
    style: str
    num: tuple[int, int]
    label: str
    start: int            # normalised offset of the enumerator (or paragraph start)
    label_end: int
    line_end: int         # end of the line the node starts on
    line_start: bool
    parent: "_Node | None" = None
    children: list["_Node"] = field(default_factory=list)
    end: int = -1
    title_like: bool = False
    dot_title: bool = False   # a short line ending in 。 (``(一)政策突破类。``): a heading if items follow

    @property
    def is_heading(self) -> bool:
        if self.title_like:
            return bool(self.children)
        return self.dot_title and any(c.style != "para" for c in self.children)


def _enum_at(text: str, pos: int) -> tuple[str, tuple[int, int], str, int] | None:
    m = _ENUM.match(text, pos)
    if not m:
        return None
    style = m.lastgroup
    assert style is not None
    if style == "md":
        return f"md{len(m.group('hashes'))}", (0, 0), "", m.end()
    if style == "dash":
        return "dash", (0, 0), "——", m.end()
    raw_n = m.group(f"n_{style}")
    if style == "circled":
        n = CIRCLED.index(raw_n) + 1
    elif raw_n.isdigit():
        n = int(raw_n)
    else:
        n = cn2int(raw_n)
    sub = cn2int(m.group("n_tiao_sub")) if style == "tiao" and m.group("n_tiao_sub") else 0
    if n <= 0:
        return None
    return style, (n, sub), m.group(), m.end()


def _title_like(s: str, max_chars: int) -> bool:
    s = s.strip()
    if not s or len(s) > max_chars:
        return False
    return not any(ch in TITLE_BREAKERS for ch in s)


class _Region:
    """Builds the tree of one (sub-)document region of the normalised text."""

    def __init__(self, text: str, start: int, end: int, config: Config):
        self.text, self.start, self.end, self.config = text, start, end, config
        self.root = _Node("root", (0, 0), "", start, start, start, True)
        self.stack: list[_Node] = []
        self.last_num: dict[str, tuple[int, int]] = {}

    def _top(self) -> _Node:
        return self.stack[-1] if self.stack else self.root

    def _pop_to(self, depth: int, pos: int) -> None:
        while len(self.stack) > depth:
            self.stack.pop().end = pos

    def _accept(self, style: str, num: tuple[int, int], at_line_start: bool, pos: int) -> int | None:
        """Depth at which a candidate enters the stack, or None if it does not continue a numbering."""
        depth = next((i for i in range(len(self.stack) - 1, -1, -1) if self.stack[i].style == style), None)
        last = self.last_num.get(style)
        if style.startswith("md"):
            ok = True
        elif style == "dash":  # a bullet belongs under a heading or an item: at the top it is a dateline
            ok = bool(self.stack) and not self.text[pos + 2:pos + 3].isdigit()
        elif style == "tiao":
            ok = (last is None or num == (1, 0) or num[0] > last[0]
                  or (num[0] == last[0] and num[1] == last[1] + 1))
            if not at_line_start:
                ok = num == (1, 0) or (last is not None and num in ((last[0] + 1, 0), (last[0], last[1] + 1)))
        elif style in CHAPTER_STYLES:
            ok = last is None or num[0] == 1 or num[0] > last[0]
        else:
            ok = num[0] == 1 or (last is not None and num[0] == last[0] + 1)
            if depth is not None and num[0] != self.stack[depth].num[0] + 1 and not (num[0] == 1 and at_line_start):
                ok = False
        if not ok:
            return None
        if depth is not None:
            return depth
        if style.startswith("md"):
            level = int(style[2:])
            return next((i for i, n in enumerate(self.stack)
                         if not n.style.startswith("md") or int(n.style[2:]) >= level), len(self.stack))
        if style in CHAPTER_STYLES:
            # a chapter closes items and deeper chapter levels
            order = ["bian", "zhang", "jie"]
            return next((i for i, n in enumerate(self.stack)
                         if not n.style.startswith("md") and (n.style not in order or
                                                               order.index(n.style) >= order.index(style))),
                        len(self.stack))
        if style == "tiao":
            return next((i for i, n in enumerate(self.stack)
                         if not n.style.startswith("md") and n.style not in CHAPTER_STYLES), len(self.stack))
        return len(self.stack)

    def _push(self, depth: int, pos: int, style: str, num, label: str, label_end: int, line_end: int,
              at_line_start: bool) -> _Node:
        self._pop_to(depth, pos)
        parent = self._top()
        node = _Node(style, num, label, pos, label_end, line_end, at_line_start, parent)
        node.title_like = (style not in CLAUSE_STYLES | {"tiao", "para"}
                           and _title_like(self.text[label_end:line_end], self.config.heading_max_chars))
        own = self.text[label_end:line_end].strip()
        node.dot_title = (style in ("dun", "cparen", "adot") and own.endswith("。")
                          and len(own) <= 20 and _title_like(own[:-1], self.config.heading_max_chars))
        if style.startswith("md") or style in CHAPTER_STYLES:
            node.title_like = True
        parent.children.append(node)
        self.stack.append(node)
        self.last_num[style] = num
        return node

    def build(self) -> _Node:
        text = self.text
        pos = self.start
        closed = False
        while pos < self.end:
            nl = text.find("\n", pos, self.end)
            line_end = self.end if nl < 0 else nl
            line = text[pos:line_end]
            if line.strip():
                closed = self._line(pos, line_end, line, closed)
            pos = line_end + 1
        self._pop_to(0, self.end)
        self.root.end = self.end
        return self.root

    def _split_run_on_title(self, node: _Node) -> None:
        """A heading whose title runs into its first item (a PDF line break lost): ``(五)标题9.推动…``.

        Before the first sentence punctuation, an enumerator that continues an open numbering (9. after
        8.; never a new 1.) ends the title there.
        """
        text = self.text
        if node.style in CHAPTER_STYLES:  # 第一章第一条总则…: a chapter label run into its first article
            enum = _enum_at(text, node.label_end)
            if enum is not None and enum[0] == "tiao":
                depth = self._accept("tiao", enum[1], True, node.label_end)
                if depth is not None:
                    self._push(depth, node.label_end, "tiao", enum[1], enum[2], enum[3], node.line_end, True)
                    node.line_end = node.label_end
                    return
        stop = node.line_end
        for i in range(node.label_end, node.line_end):
            if text[i] in TITLE_BREAKERS:
                stop = i
                break
        for i in range(node.label_end + 2, stop):
            enum = _enum_at(text, i)
            if enum is None or enum[0] not in ("adot", "cparen", "aparen"):
                continue
            style, num, label, label_end = enum
            last = self.last_num.get(style)
            if style == node.style or num[0] != (last[0] + 1 if last else 1):
                continue
            if not _title_like(text[node.label_end:i], self.config.heading_max_chars):
                return
            node.title_like = True
            depth = self._accept(style, num, False, i)
            if depth is not None:
                self._push(depth, i, style, num, label, label_end, node.line_end, False)
                node.line_end = i
            return

    def _prose_line(self, k: int) -> bool:
        """Whether the line ending at ``k`` is running prose (it holds punctuation): a title, author or
        date line without any does not run on into the next line."""
        ls = self.text.rfind("\n", self.start, k) + 1
        return any(ch in PROSE_PUNCT for ch in self.text[max(ls, self.start):k + 1])

    def _line(self, pos: int, line_end: int, line: str, closed: bool) -> bool:
        enum = _enum_at(self.text, pos)
        k = pos - 1
        while k >= self.start and self.text[k].isspace():
            k -= 1
        run_on = k >= self.start and self.text[k] not in RUN_ON_STOPS and self._prose_line(k)
        if enum is None and run_on and self.stack and not self._top().title_like and (
                any(n.style == "para" for n in self.stack) or self._top().style in CLAUSE_STYLES):
            # a paragraph or clause broken across lines (PDF line breaks): it goes on
            self._inline(pos, line_end)
            return closed
        # paragraphs, and clauses that started inside a line, end at every line start
        while self.stack and (self.stack[-1].style == "para"
                              or (not self.stack[-1].line_start and self.stack[-1].style in CLAUSE_STYLES)):
            self._pop_to(len(self.stack) - 1, pos)
        node = None
        if enum is not None:
            style, num, label, label_end = enum
            depth = self._accept(style, num, True, pos)
            if depth is not None:
                node = self._push(depth, pos, style, num, label, label_end, line_end, True)
                closed = False
        if node is not None and node.style in ("dun", "cparen", "zhang", "jie", "bian"):
            self._split_run_on_title(node)
        if node is None:
            is_closing = bool(_CLOSING.match(line.strip())) and len(line.strip()) <= 40
            if is_closing:
                self._pop_to(0, pos)
                closed = True
            top = self._top()
            if closed or top is self.root or top.title_like:
                node = _Node("para", (0, 0), "", pos, pos, line_end, True, top)
                top.children.append(node)
                self.stack.append(node)
            if closed:  # closing lines, signatures and dates: paragraphs of their own, no enumerators
                return True
        self._inline(pos, line_end)
        return closed

    def _inline(self, pos: int, line_end: int) -> None:
        """Enumerators inside a line, after sentence punctuation."""
        for m in _INLINE_BOUNDARY.finditer(self.text, pos + 1, line_end):
            enum = _enum_at(self.text, m.start())
            if enum is None or enum[0].startswith("md"):
                continue
            style, num, label, label_end = enum
            depth = self._accept(style, num, False, m.start())
            if depth is None:
                continue
            if style in SECTION_STYLES:   # 一、 or 第X章 run into a paragraph (one-line PDF text) starts a section
                depth = next((i for i, n in enumerate(self.stack) if n.style == "para" and i < depth), depth)
            node = self._push(depth, m.start(), style, num, label, label_end, line_end, False)
            if style in CHAPTER_STYLES:   # …。第二章第七条支持与鼓励: the chapter runs into its first article
                self._split_run_on_title(node)


def _stable_id(doc_id: str, text: str, seen: dict[str, int]) -> str:
    h = hashlib.blake2b(text.encode("utf-8"), digest_size=5).hexdigest()
    base = f"{doc_id}:{h}"
    seen[base] = seen.get(base, 0) + 1
    return base if seen[base] == 1 else f"{base}-{seen[base]}"


_TOC_GLUED_PAGE = re.compile(r"(?<=[^\d\s])\d{1,3}(?=[^\d年月日号期届次条项个批万亿元%\s.])")


def _toc_entries(text: str, start: int, limit: int) -> tuple[int, list[tuple[str, str]]]:
    """(end of the contents, [(title, group)]) from the table of contents starting at ``start``."""
    lines = []
    pos = start
    while pos < limit:
        nl = text.find("\n", pos, limit)
        nl = limit if nl < 0 else nl
        lines.append(text[pos:nl])
        pos = nl + 1
    dashed_at = [i for i, ln in enumerate(lines) if re.match(r"^-\s*\d{1,3}", ln)]
    if dashed_at:  # a journal's contents: "- 02 title" lines, the author on the next line
        last = dashed_at[0]
        for i in dashed_at[1:]:
            if i - last > 4:
                break
            last = i
        chosen = [lines[i] for i in dashed_at if i <= last]
    else:       # a compilation's contents: lines up to the first paragraph
        last = next((i for i, ln in enumerate(lines) if "。" in ln), len(lines)) - 1
        chosen = lines[: last + 1]
    toc_end = start + sum(len(ln) + 1 for ln in lines[: last + 1])
    entries: list[tuple[str, str]] = []
    part_title, group = "", ""
    for ln in chosen:
        for part in _contents_parts(ln):
            if re.match(r"^第[一二三四五六七八九十]+部分", part):
                part_title = group = part
            elif _GROUP.match(part) and len(part) <= 20 and not _DOC_WORDS.search(part):
                group = f"{part_title} / {part}" if part_title else part
            elif len(part) >= 8 and _DOC_WORDS.search(part):
                entries.append((part, group))
    return toc_end, entries


def _contents_heading(text: str) -> tuple[int, "re.Match[str] | None"]:
    """(how far the contents may run, the 目录 heading) of a normalised text: 目录 as a heading at a line start,
    or after a date on a cover page run together with it, within the head of the text."""
    head_len = min(len(text), max(3000, len(text) // 6))
    return head_len, re.search(r"(?:^|(?<=[年月日\d]))目\s*录(?![\u4e00-\u9fff]{0,2}[,。;、的])", text[:head_len], re.M)


def _contents_parts(line: str) -> list[str]:
    """The pieces of a line of a table of contents: whitespace and the 目录 / "- 02" prefix dropped, cut at page
    numbers glued between titles, each without its leading page number."""
    line = re.sub(r"^(?:目\s*录|-\s*\d{1,3})", "", re.sub(r"\s", "", line))
    return [p for p in (re.sub(r"^\d{1,3}(?=[^\d.])", "", part) for part in _TOC_GLUED_PAGE.split(line)) if p]


def contents_lines(entries: list[tuple[str, str]], measures: list[Measure]) -> frozenset[int]:
    """The starts of the segments of ``measures`` (one document's) that are lines of its table of contents, whose
    ``entries`` (title, group) ``find_subdocuments`` read: outside every sub-document, and every piece of the line
    (``_contents_parts``) an entry's title or one of its part and group headings (第二部分有关行业领域政策,
    “两区”建设领域, 航空服务领域“两区”建设工作方案). Empty for a document without sub-documents. ``roles`` makes these
    procedure: a title is no measure."""
    if not entries or not any(x.subdoc for x in measures):
        return frozenset()
    known = {title for title, _ in entries} | {g for _, group in entries for g in group.split(" / ") if g}
    return frozenset(x.start for x in measures
                     if not x.subdoc and (parts := _contents_parts(x.text)) and all(p in known for p in parts))


def find_subdocuments(text: str) -> tuple[int, list[tuple[int, int, str, str]], list[tuple[str, str]]]:
    """(end of front matter, [(start, end, title, group)] in normalised offsets, the entries (title, group) of
    the table of contents when it found documents) of a normalised text.

    A document with a table of contents (目录) holds several documents when the titles of the contents
    reappear, in order, in the body at the start of a line or after a sentence; each starts one
    sub-document, which runs to the next.
    """
    head_len, m = _contents_heading(text)
    if not m:
        return 0, [], []
    toc_end, entries = _toc_entries(text, m.start(), head_len)
    if len(entries) < 3:
        return 0, [], []
    found: list[tuple[int, str, str]] = []
    pos = toc_end
    for title, group in entries:
        pattern = "\n?".join(re.escape(ch) for ch in title)
        hit = re.compile(rf"(?<![《“\"'‘〈]){pattern}").search(text, pos)
        if hit:
            found.append((hit.start(), title, group))
            pos = hit.end()
    if len(found) < 2:
        return toc_end, [], []
    out = []
    for n, (s, title, grp) in enumerate(found):
        end = found[n + 1][0] if n + 1 < len(found) else len(text)
        out.append((s, end, title, grp))
    return found[0][0], out, entries


def segment(doc: Document, *, config: Config = DEFAULT) -> tuple[list[Measure], list[SubDocument]]:
    """Measures of ``doc`` at ``config.level``, and the sub-documents found in it."""
    norm = doc.normalized
    text = norm.text
    front_end, subs, entries = find_subdocuments(text)
    regions: list[tuple[int, int, str, str]] = subs or [(front_end, len(text), "", "")]
    subdocs = [SubDocument(doc.id, i + 1, title, grp, *norm.to_raw(s, e))
               for i, (s, e, title, grp) in enumerate(subs)]
    if subs and subs[0][0] > 0:   # a compilation's cover and table of contents
        regions = [(0, subs[0][0], "", "")] + regions
    elif front_end > 0:
        regions = [(0, front_end, "", "")] + regions
    measures: list[Measure] = []
    seen: dict[str, int] = {}
    for s, e, title, grp in regions:
        root = _Region(text, s, e, config).build()
        base_path = tuple(x for x in (grp, title) if x)
        for node, path, label, kind in _coarse(text, root, (), ""):
            if config.level == "coarse" or kind == "heading":
                chosen = [(node, label, kind)]
            else:
                chosen = list(_fine(text, node, label, kind, top=True))
            for n, lab, k in chosen:
                m = _measure(doc, n, lab, k, base_path + path, title, config, seen, len(measures) + 1)
                if m is not None:
                    measures.append(m)
    from .roles import assign_roles
    return assign_roles(measures, doc=doc, config=config, contents=contents_lines(entries, measures)), subdocs


def _own_label(node: _Node) -> str:
    return node.label if node.style not in CHAPTER_STYLES and not node.style.startswith("md") else ""


def _heading_node(node: _Node) -> _Node:
    """The heading line itself: from its enumerator to its first child (or its end when it has none)."""
    end = node.children[0].start if node.children else node.end
    return _Node(node.style, node.num, node.label, node.start, node.label_end, node.line_end, node.line_start,
                 node.parent, [], end)


def _coarse(text: str, node: _Node, path: tuple[str, ...], label: str):
    """(node, heading trail, label, kind) of every coarse segment under ``node``, in text order: headings,
    numbered items and every paragraph (preambles, title lines, closing lines included)."""
    para_index = 0
    for child in node.children:
        if child.style == "para":
            para_index += 1
            yield child, path, f"{label}¶{para_index}", "paragraph"
        elif child.is_heading or child.style.startswith("md") or child.style in CHAPTER_STYLES:
            own = label + _own_label(child)
            yield _heading_node(child), path, own, "heading"
            if child.children:
                heading = child.label + text[child.label_end:child.line_end].strip()
                yield from _coarse(text, child, path + (heading,), own)
        else:
            yield child, path, (child.label if child.style == "tiao" else label + child.label), "item"


def _fine(text: str, node: _Node, label: str, kind: str, *, top: bool = False):
    """Fine segments of a coarse one: its lead-in and sub-items, or its actions (only a coarse segment
    without sub-items, never a law article: ROLES.md), or itself."""
    kids = node.children
    if not kids:
        cuts = action_starts(text, node.label_end, node.end) if top and node.style != "tiao" else []
        if len(cuts) < 2:
            yield node, label, kind
            return
        kids = [_Node("action", (0, 0), "", c, c, c, False, node, [], e)
                for c, e in zip(cuts, cuts[1:] + [node.end])]
        letters = "abcdefghijklmnopqrstuvwxyz"
        if text[node.start:cuts[0]].strip():
            yield _lead_in(node, cuts[0]), label, "lead-in"
        for i, k in enumerate(kids):
            yield k, f"{label}{letters[i] if i < 26 else i + 1}", "action"
        return
    if text[node.start:kids[0].start].strip():
        yield _lead_in(node, kids[0].start), label, "lead-in"
    if text[kids[-1].end:node.end].strip():   # text after the last sub-item belongs to it (ROLES.md)
        kids = kids[:-1] + [dataclasses.replace(kids[-1], end=node.end)]
    for k in kids:
        yield from _fine(text, k, label + k.label, "item")


def _lead_in(node: _Node, end: int) -> _Node:
    return _Node(node.style, node.num, node.label, node.start, min(node.label_end, end), node.line_end,
                 node.line_start, node.parent, [], end)


# An actor opening a sentence (tests/data/gold/ROLES.md, "Actions"): a named agency or unit, a zone or a
# district, or a field followed by a comma. The suffixes are those of agencies' names; the name before
# them is short and holds no punctuation.
_NAME = r"(?:(?![向在与对从把将可应由为以及和的等是要])[\u4e00-\u9fff()])"   # a name: no verbs' companions
_ACTOR = re.compile(
    r"(?!推动|推进|支持|结合|明确|培育|鼓励|委托|局部|企业|调研|积极|加快|加强|深化|完善|建立|探索|开展|实施|优化|"
    r"提升|强化|促进|引导|扩大|打造|构建|落实|做好|配合|组织|指导|督促|协调|依托|围绕|聚焦|争取|发挥|申请|设立|开发)"
    rf"(?:{_NAME}{{0,14}}?(?:人民政府|市政府|区政府|县政府|委员会|管委会|监管局|税务局|分局|总局|办公室|分行|支行|"
    r"海关|法院|检察院|组团|片区|综保区|保税区|开发区|示范区)"
    rf"|{_NAME}{{2,14}}?[局厅委])(?![内外中的])(?=[\u4e00-\u9fff])"
    r"|[\u4e00-\u9fff]{2,8}领域,")
_NOT_ACTOR = re.compile(r"(?:同时|此外|另外|其中|目前|截至|近年|今年|去年|一方面|另一方面|[在从对为如按据经由]|\d)")


def action_starts(text: str, start: int, end: int) -> list[int]:
    """Normalised offsets of the sentences in ``text[start:end]`` that begin with their own actor."""
    out = []
    pos = start
    while pos < end:
        while pos < end and text[pos].isspace():
            pos += 1
        if pos >= end:
            break
        m = _ACTOR.match(text, pos, end)
        if m and not _NOT_ACTOR.match(text, pos, end) and "的" not in m.group():
            out.append(pos)
        nxt = pos
        while nxt < end and text[nxt] not in "。;":
            nxt += 1
        pos = nxt + 1
    return out


def _measure(doc: Document, node: _Node, label: str, kind: str, path: tuple[str, ...], subdoc: str,
             config: Config, seen: dict[str, int], ordinal: int) -> Measure | None:
    text = doc.text
    s, e = node.start, node.end
    while e > s and text[e - 1].isspace():
        e -= 1
    while s < e and text[s].isspace():
        s += 1
    body_start = max(node.label_end, s)
    while body_start < e and text[body_start].isspace():
        body_start += 1
    body = text[body_start:e]
    if s >= e:
        return None   # whitespace only
    rs, re_ = doc.normalized.to_raw(s, e)
    attrs = tuple((m.group("k"), m.group("v").strip()) for m in _ATTRIBUTES.finditer(body))
    attrs = doc.provenance(rs) + attrs    # page (PDF) or paragraph (DOCX) where the measure starts
    return Measure(
        doc_id=doc.id, measure_id=_stable_id(doc.id, body, seen), level=config.level, ordinal=ordinal,
        kind=kind, label=label, path=path, subdoc=subdoc, text=body, raw=doc.raw[rs:re_], start=rs, end=re_,
        norm_start=body_start, norm_end=e, attributes=attrs,
    )
