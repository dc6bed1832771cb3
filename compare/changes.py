"""Classify the edits of a wording diff: numbers, strength of commitment, scope, actors, clauses, wording.

Each change says what it rests on: the op it comes from and the old/new spans and words. The lexicons are
data files a researcher can edit: ``data/commitment.tsv`` (a graded verb scale, 研究/探索 < 试点/推动 <
推进/支持 < 全面实施/落实/确保) and ``data/scope.tsv`` (全国 > 全市 > 各区 > 区内 > 试点企业/符合条件的). A word
replaced by another that none of these explains is a ``wording`` change (市场主体 -> 经营主体, the 2023 renaming), unless ``data/same_wording.tsv`` lists the
two as interchangeable (相关/有关, 按照/依照).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .diff import Diff, Op, words
from .segment import cn2int

DATA = Path(__file__).resolve().parent / "data"
KINDS = ("numbers", "strength", "scope", "actors", "clauses", "wording")


@dataclass(frozen=True)
class Change:
    kind: str              # numbers | strength | scope | actors | clauses | wording
    direction: str         # raised/lowered/later/earlier/changed | strengthened/weakened | widened/narrowed |
                           # added/removed | replaced
    op: int                # index of the diff op
    old: str               # the words it rests on (old side)
    new: str
    old_span: tuple[int, int]
    new_span: tuple[int, int]
    detail: str = ""

    def label(self) -> str:
        return f"{self.kind}:{self.direction}"


@lru_cache(maxsize=None)
def scale(name: str) -> tuple[tuple[str, int], ...]:
    """(word, level) of a graded lexicon, longest words first."""
    out = []
    for line in (DATA / f"{name}.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        word, level = line.split("\t")
        out.append((word.strip(), int(level)))
    return tuple(sorted(out, key=lambda wl: (-len(wl[0]), wl[0])))


def _terms(text: str, name: str) -> list[tuple[int, int, str, int]]:
    """Non-overlapping lexicon terms in ``text`` (longest first): (start, end, word, level). A scope term starts
    a word (jieba's) or ends one that a verb of reach leads (面向全国, ``_SCOPE_LEADS``): 全市 is no scope inside
    建立健全市人民政府 nor 安全市场, 全区 none in 安全区. A hedge (a commitment word of level 2 or less) directly before a stronger one governs it: one
    phrase at the hedge's level (探索建立 is an exploration, 1, not an establishment, 3; 逐步推行 2), which also
    keeps the verb it governs and its level (two phrases of one level compare by those: 逐步推行 -> 逐步全面推行
    is strengthened); other neighbours stay two terms (应当建立)."""
    taken = [False] * len(text)
    found = []
    # ...or ends a word that a verb of reach leads (jieba keeps 面向全国 whole): not 安全区, 科技园区, 健全/市
    ends = _word_ends(text) if name == "scope" else None
    starts = (set(ends) | {0}) if ends is not None else None   # one jieba cut gives both
    for word, level in scale(name):
        for m in re.finditer(re.escape(word), text):
            if starts is not None and m.start() not in starts and text[ends.get(m.end(), m.end()):m.start()] \
                    not in _SCOPE_LEADS:
                continue
            if not any(taken[m.start():m.end()]):
                for i in range(m.start(), m.end()):
                    taken[i] = True
                found.append((m.start(), m.end(), word, level))
    found.sort()
    if name != "commitment":
        return found
    phrases: list[tuple] = []
    for t in found:
        if phrases and phrases[-1][1] == t[0] and phrases[-1][3] <= 2 and t[3] > phrases[-1][3]:
            s, _, w, level = phrases[-1][:4]
            # the phrase keeps the verb it governs: 逐步推行 -> 逐步全面推行 is the same hedge over a stronger verb
            phrases[-1] = (s, t[1], w + t[2], level, t[2], t[3])
        else:
            phrases.append(t)
    return phrases


_SCOPE_LEADS = ("面向", "辐射", "覆盖", "惠及", "遍及", "推广至", "推向", "走向")


def _word_ends(text: str) -> dict[int, int]:
    """The end of each jieba word of ``text`` -> its start."""
    out, pos = {}, 0
    for w in words(text):
        out[pos + len(w)] = pos
        pos += len(w)
    return out


def _touching(terms, s: int, e: int):
    """Terms overlapping [s, e) (or containing the point s when the span is empty)."""
    if s == e:  # an insertion point changes only a term it falls inside
        return [t for t in terms if t[0] < s < t[1]]
    return [t for t in terms if t[0] < e and s < t[1]]


_NUM = re.compile(r"(?P<v>\d+(?:\.\d+)?|[零〇一二三四五六七八九十百千两]+)(?P<mult>万亿|亿|万|千)?"
                  r"(?P<unit>%|美元|元|个|家|项|年底|年|月|日|天|小时|人次|人|次|平方米|公顷|倍|批)?")
_MULT = {"千": 1e3, "万": 1e4, "亿": 1e8, "万亿": 1e12}


_DATE = re.compile(r"(?P<y>\d{4})年(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?|(?P<end>底|末))?")


def _numbers(text: str) -> list[tuple[int, int, float, str]]:
    """Quantities in ``text``: (start, end, value, unit); a date (2021年底, 2025年1月1日) is one quantity
    whose value orders dates (unit ``date``)."""
    out = []
    taken = [False] * len(text)
    for m in _DATE.finditer(text):
        month = int(m.group("m") or (12 if m.group("end") else 0))
        day = int(m.group("d") or (31 if m.group("end") else 0))
        out.append((m.start(), m.end(), int(m.group("y")) * 10000 + month * 100 + day, "date"))
        for i in range(m.start(), m.end()):
            taken[i] = True
    for m in _NUM.finditer(text):
        if taken[m.start()]:
            continue
        v = m.group("v")
        if not m.group("mult") and not m.group("unit") and not v.isdigit():
            continue  # a bare Chinese numeral (一是, 统一) is not a quantity
        if v == "一" and m.group("unit") == "次" and not m.group("mult") and text[m.end():m.end() + 1] in \
                ("性", "告", "办", "完", "收", "缴", "提", "通", "审"):
            continue  # 一次告知, 一次性, 一次办好, 一次收缴: "at once", not a count (每年一次 -> 两次 is)
        try:
            value = float(v) if v[0].isdigit() else float(cn2int(v))
        except ValueError:
            continue
        value *= _MULT.get(m.group("mult") or "", 1)
        out.append((m.start(), m.end(), value, m.group("unit") or ""))
    return sorted(out)


_ORG = re.compile(r"(?:(?:市|区|省|国家|北京市|重庆市)[\u4e00-\u9fff]{1,10}?(?:管理局|监管局|委员会|管委会|常委会|办公室|办公厅|部门|机构|局|委|办|厅|部|中心|政府)"
                  r"|[\u4e00-\u9fff]{2,8}?(?:海关|银保监局|证监局|营业管理部|管委会))")


def classify(d: Diff) -> list[Change]:
    """The classified changes of a diff (trivial edits are ignored)."""
    changes: list[Change] = []
    strength_old, strength_new = _terms(d.old, "commitment"), _terms(d.new, "commitment")
    scope_old, scope_new = _terms(d.old, "scope"), _terms(d.new, "scope")
    nums_old, nums_new = _numbers(d.old), _numbers(d.new)
    similar = d.similarity() >= WORDING_SIMILARITY   # a word swapped in a text otherwise kept, not a rewrite
    for n, o in enumerate(d.ops):
        if not o.changed or o.trivial:
            continue
        changes.extend(_number_changes(n, o, nums_old, nums_new))
        changes.extend(_graded(n, o, strength_old, strength_new, "strength", ("strengthened", "weakened"), d.ops))
        changes.extend(_graded(n, o, scope_old, scope_new, "scope", ("widened", "narrowed"), d.ops))
        changes.extend(_actor_changes(n, o, d))
        changes.extend(_clause_changes(n, o))
        graded = any(_touching(t, *span) for t, span in ((strength_old, (o.a0, o.a1)), (strength_new, (o.b0, o.b1)),
                                                          (scope_old, (o.a0, o.a1)), (scope_new, (o.b0, o.b1))))
        if not graded and not any(c.op == n for c in changes) and similar:   # a lexicon's term weighed it already
            changes.extend(_wording_changes(n, o))
    unique: list[Change] = []
    seen: set = set()
    for c in changes:  # one quantity or term touched by two edits is one change
        key = (c.kind, c.direction, c.old_span, c.new_span) if c.kind in ("numbers", "strength", "scope") else c
        if key not in seen:
            seen.add(key)
            unique.append(c)
    return unique


def _number_changes(n: int, o: Op, nums_old, nums_new) -> list[Change]:
    olds = [x for x in nums_old if x[0] < max(o.a1, o.a0 + 1) and o.a0 < x[1]]
    news = [x for x in nums_new if x[0] < max(o.b1, o.b0 + 1) and o.b0 < x[1]]
    out = []
    for (s0, e0, v0, u0), (s1, e1, v1, u1) in zip(olds, news):
        if v0 == v1 and u0 == u1:
            continue
        if u0 == "date" and u1 == "date":
            direction = "later" if v1 > v0 else "earlier" if v1 < v0 else "changed"
            detail = "date"
        elif u0 == u1 or not u0 or not u1:
            direction = "raised" if v1 > v0 else "lowered" if v1 < v0 else "changed"
            detail = {"%": "percentage", "元": "amount", "美元": "amount"}.get(u1 or u0, "count")
        else:
            direction, detail = "changed", "unit"
        out.append(Change("numbers", direction, n, o.old, o.new, (s0, e0), (s1, e1), detail))
    for s, e, v, u in olds[len(news):]:
        out.append(Change("numbers", "removed", n, o.old, o.new, (s, e), (o.b0, o.b1), u or "count"))
    for s, e, v, u in news[len(olds):]:
        out.append(Change("numbers", "added", n, o.old, o.new, (o.a0, o.a1), (s, e), u or "count"))
    return out


NEUTRAL = 2.5  # the level of a text with no commitment word: dropping a hedge (逐步, 探索) strengthens
SHORT_EDIT = 12  # a word added or dropped alone, not as part of a whole new clause


def _mapped(ops, s: int, e: int, *, to_old: bool) -> tuple[int, int]:
    """The stretch of the other text that [s, e) of one text (the new one, or the old with ``to_old`` False)
    corresponds to through the diff: an unchanged stretch maps character by character, an edit to its whole
    other side."""
    lo, hi = None, None
    for o in ops:
        f0, f1, t0, t1 = (o.b0, o.b1, o.a0, o.a1) if to_old else (o.a0, o.a1, o.b0, o.b1)
        if not (f0 < e and s < f1) and not (f0 == f1 == s):
            continue
        if o.tag == "equal":
            m0, m1 = t0 + max(s, f0) - f0, t0 + min(e, f1) - f0
        else:
            m0, m1 = t0, t1
        lo, hi = (m0, m1) if lo is None else (min(lo, m0), max(hi, m1))
    return (lo, hi) if lo is not None else (0, 0)


def _graded(n: int, o: Op, terms_old, terms_new, kind: str, words: tuple[str, str], ops=()) -> list[Change]:
    old_t = _touching(terms_old, o.a0, o.a1)
    new_t = _touching(terms_new, o.b0, o.b1)
    if not old_t and not new_t:
        return []
    if not (old_t and new_t) and max(len(o.old), len(o.new)) > SHORT_EDIT:
        return []  # a term inside a whole added or dropped clause: that is a clause change
    # a word added to a term (建立 -> 建立健全, 建立 -> 全面建立, 推行 -> 逐步推行) or dropped from one is weighed
    # against the term the other text has where this one stands
    if new_t and not old_t:
        lo_, hi_ = _mapped(ops, new_t[0][0], new_t[-1][1], to_old=True)
        old_t = [t for t in terms_old if t[0] < hi_ and lo_ < t[1]]
    elif old_t and not new_t:
        lo_, hi_ = _mapped(ops, old_t[0][0], old_t[-1][1], to_old=False)
        new_t = [t for t in terms_new if t[0] < hi_ and lo_ < t[1]]
    lo = max((t[3] for t in old_t), default=None)
    hi = max((t[3] for t in new_t), default=None)
    if kind == "strength":
        a, b = (lo if lo is not None else NEUTRAL), (hi if hi is not None else NEUTRAL)
    elif lo is not None and hi is not None:
        a, b = lo, hi
    else:  # a scope qualifier added or dropped: a narrow one (试点企业, 符合条件的) narrows when added
        term_level = hi if hi is not None else lo
        narrow = term_level <= 2
        added = hi is not None
        a, b = (1, 0) if narrow == added else (0, 1)
    detail = f"{lo if lo is not None else '-'} -> {hi if hi is not None else '-'}"
    if a == b and kind == "strength" and lo is not None:
        # one hedge over both (逐步推行 -> 逐步全面推行): the verbs it governs decide
        va = max((t[5] for t in old_t if len(t) > 4 and t[3] == lo), default=None)
        vb = max((t[5] for t in new_t if len(t) > 4 and t[3] == hi), default=None)
        if va is not None and vb is not None and va != vb:
            a, b = va, vb
            detail = f"{lo} ({va}) -> {hi} ({vb})"
    if a == b:
        return []
    direction = words[0] if b > a else words[1]
    ot = "、".join(t[2] for t in old_t)
    nt = "、".join(t[2] for t in new_t)
    span_o = (old_t[0][0], old_t[-1][1]) if old_t else (o.a0, o.a1)
    span_n = (new_t[0][0], new_t[-1][1]) if new_t else (o.b0, o.b1)
    return [Change(kind, direction, n, ot, nt, span_o, span_n, detail)]


# words that end like an office (办, 局, 部, 厅, 委) but name none: 跨省通办 is no 省…办, 产业布局 no 区…局
_NOT_ACTOR = tuple(sorted(("通办", "代办", "帮办", "督办", "查办", "承办", "举办", "开办", "兴办", "创办", "主办", "协办",
                        "申办", "领办", "网办", "未办", "布局", "格局", "大局", "全局", "结局", "变局", "开局", "新局",
                        "内部", "外部", "全部", "局部", "总部", "本部", "东部", "西部", "南部", "北部", "中部", "大厅")))
# words (jieba's, whole) that make a stretch a clause, not an office's name (市支持金融机构, 国家有关规定可以兴办);
# inside another word they say nothing (市对外贸易经济合作委员会, 市在线政务服务中心)
_CLAUSE_WORDS = frozenset(("应当", "可以", "支持", "鼓励", "推动", "设立", "建立", "发挥", "无法", "简称", "规定", "要求",
                           "申请", "享受", "遵循", "注册", "参与", "负责", "会同", "按照", "根据", "通过", "加强", "不服",
                           "对", "向", "在", "从事"))


def _actors(text: str) -> set[str]:
    """The offices and organisations ``text`` names (``_ORG``), less a match that ends inside a word (管理办法,
    局面, 部署, 委托) or with a word that names no office (``_NOT_ACTOR``: 跨省通办, 产业布局), or that spans a clause
    (one of ``_CLAUSE_WORDS`` a whole word between its place and its kind)."""
    if not _ORG.search(text):
        return set()
    ends = _word_ends(text)
    out = set()
    for m in _ORG.finditer(text):   # the shortest name from its start that ends a word (市委办公厅, not 市委办)
        for end in sorted(e for e in ends if m.end() <= e <= m.start() + 18):
            org = text[m.start():end]
            if _ORG.fullmatch(org):
                inner = {text[ends[e]:e] for e in ends if m.start() < ends[e] and e < end}   # its inner words
                if not org[max(ends[end] - m.start(), 0):].endswith(_NOT_ACTOR) and not inner & _CLAUSE_WORDS:
                    out.add(org)
                break
    return out


def _actor_changes(n: int, o: Op, d: Diff) -> list[Change]:
    out = []
    old_orgs, new_orgs = _actors(o.old), _actors(o.new)
    for org in sorted(new_orgs):
        if org not in d.old:
            out.append(Change("actors", "added", n, "", org, (o.a0, o.a1), (o.b0, o.b1)))
    for org in sorted(old_orgs):
        if org not in d.new:
            out.append(Change("actors", "removed", n, org, "", (o.a0, o.a1), (o.b0, o.b1)))
    return out


@lru_cache(maxsize=1)
def _same_wording() -> frozenset[frozenset[str]]:
    """The interchangeable word pairs of ``data/same_wording.tsv``."""
    out = set()
    path = DATA / "same_wording.tsv"
    for k, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.lstrip().startswith("#"):
            words = line.split()
            if len(words) != 2:
                raise ValueError(f"{path}, line {k}: two words are expected (word<TAB>word), not {line!r}")
            out.add(frozenset(words))
    return frozenset(out)


WORDING_SIMILARITY = 0.6   # a wording change is one in a text that keeps this share of its characters or more


def _wording_changes(n: int, o: Op) -> list[Change]:
    """A word replaced by another (市场 -> 经营 in 市场主体 -> 经营主体) when nothing else explains the edit (the
    caller keeps it to texts that are mostly unchanged, ``WORDING_SIMILARITY``): both sides short
    (``SHORT_EDIT``), words only (no punctuation: a clause rewritten is no word swapped), not one character for
    another (得 -> 受), and not a pair of ``data/same_wording.tsv``."""
    if o.tag != "replace" or max(len(o.old), len(o.new)) > SHORT_EDIT:
        return []
    old, new = o.old.strip(), o.new.strip()
    if not _WORDS_ONLY.fullmatch(old) or not _WORDS_ONLY.fullmatch(new) or max(len(old), len(new)) < 2:
        return []
    if old == new or frozenset((old, new)) in _same_wording():
        return []
    if _NUM.fullmatch(old) and _NUM.fullmatch(new):   # 6万 -> 六万, 30 -> 三十: the numbers kind weighs figures
        return []
    return [Change("wording", "replaced", n, o.old, o.new, (o.a0, o.a1), (o.b0, o.b1))]


_WORDS_ONLY = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+")


_CLAUSE = re.compile(r"[。;!?,:]")
_REFERENCE = re.compile(r"第[零〇一二三四五六七八九十百千\d]+[编章节条款项目]")


def _content(text: str) -> str:
    """What a clause says beyond actors, cross-references (第五十五条第三款) and punctuation."""
    text = _REFERENCE.sub("", _ORG.sub("", text))
    return re.sub(r"[\s\W_]", "", text)


def _clause_changes(n: int, o: Op) -> list[Change]:
    added, removed = o.new, o.old
    if o.tag == "replace":  # a replace that mostly adds (or drops) text adds (or drops) a clause
        if len(o.new) >= len(o.old) + 8:
            removed = ""
        elif len(o.old) >= len(o.new) + 8:
            added = ""
        else:
            return []
    out = []
    if len(_content(added)) >= 8 and (_CLAUSE.search(added) or o.tag == "insert"):
        out.append(Change("clauses", "added", n, o.old, o.new, (o.a0, o.a1), (o.b0, o.b1)))
    if len(_content(removed)) >= 8 and (_CLAUSE.search(removed) or o.tag == "delete"):
        out.append(Change("clauses", "removed", n, o.old, o.new, (o.a0, o.a1), (o.b0, o.b1)))
    return out


def summary(changes: list[Change]) -> str:
    """``numbers:raised;strength:strengthened`` — the kinds, in a fixed order, each once."""
    seen: list[str] = []
    for kind in KINDS:
        for c in changes:
            if c.kind == kind and c.label() not in seen:
                seen.append(c.label())
    return ";".join(seen)
