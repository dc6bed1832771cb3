"""Give every segment a role: measure, goal, background, problem or procedure.

The policy is written down in ``tests/data/gold/ROLES.md`` (the gold follows it too). Three sources decide,
each auditable in ``role_reason``:

1. **whole-text rules**: issuing, purpose, scope, definition and effective-date clauses, openings and
   closings of reports, ``特此报告`` → procedure; a short line without sentence punctuation outside any
   heading (a title, a dateline, a salutation), and a line of a compilation's table of contents (the titles of
   its documents and its group headings, ``segment.contents_lines``) → procedure;
2. **law articles** (``第X条``) that are no procedure clause are measures (rules); **headings**: a heading is a measure when it states a line of action (it starts with a verb of
   ``heading_verbs``), a goal, problem or background when it sits under such a heading, otherwise it only
   names a part of the document → procedure;
3. **the heading trail and the sentences**: the nearest heading whose words are a cue (``存在的不足`` →
   problem, ``基本情况`` → background, ``目标`` → goal, ``保障措施`` → measure) gives a prior; every sentence
   votes for a role by its cues (``尚未/不够`` → problem, ``到2025年`` → goal, figures only → background,
   verbs of action → measure); the role with the most characters wins, ``measure`` on a tie.

The cue lexicons are ``compare/data/roles.toml``; the module is a stage: records in, new records out.
"""
from __future__ import annotations

import dataclasses
import hashlib
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .config import Config, DEFAULT
from .records import Document, Measure

ROLES = ("measure", "goal", "background", "problem", "procedure")
DEFAULT_ROLES = ("measure", "goal")   # what alignment, overlap, gaps and themes use unless told otherwise
LEXICON = Path(__file__).resolve().parent / "data" / "roles.toml"

# how much the heading trail's cue weighs, as a share of the segment's own characters
_PRIOR = {"problem": 1.0, "background": 0.5, "procedure": 1.0, "goal": 0.6, "measure": 0.3}
_SENTENCE = re.compile(r"[^。;!?]+[。;!?]?")
_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:%|个百分点|亿|万|千|家|项|个|件|人|户|平方公里|公里|元|美元|倍|次|批|条|所|座)")
_ARTICLE = re.compile(r"^第[零〇一二三四五六七八九十百千\d]+条")
_CHAPTER = re.compile(r"^#*\s*第[零〇一二三四五六七八九十百千\d]+\s*[编章节]")
_DATE_LINE = re.compile(r"^[^。]{0,30}\d{4}\s*(?:年|-|\.|/)\s*\d{1,2}\s*(?:月|-|\.|/)\s*(?:\d{1,2}\s*日?)?\)?$")


def parse_roles(value: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    """``"measure,goal"``, ``"all"`` or a sequence → a validated tuple of roles (in canonical order)."""
    from .errors import ConfigError

    if value is None:
        return DEFAULT_ROLES
    items = [v.strip() for v in (value.split(",") if isinstance(value, str) else value) if v.strip()]
    if items == ["all"]:
        return ROLES
    bad = [v for v in items if v not in ROLES]
    if bad or not items:
        raise ConfigError(f"roles must be 'all' or a comma-separated list of {', '.join(ROLES)}; got {value!r}")
    return tuple(r for r in ROLES if r in items)


@dataclass(frozen=True, eq=False)   # known by identity: a key of ``trail_prior``'s cache
class Lexicon:
    heading: dict[str, tuple[re.Pattern, ...]]
    whole: dict[str, tuple[re.Pattern, ...]]
    sentence: dict[str, tuple[re.Pattern, ...]]
    heading_verb: re.Pattern
    sha256: str


@lru_cache(maxsize=4)
def lexicon(path: Path = LEXICON) -> Lexicon:
    data = path.read_bytes()
    doc = tomllib.loads(data.decode("utf-8"))

    def compile_all(section: str) -> dict[str, tuple[re.Pattern, ...]]:
        names = ROLES + tuple(k for k in doc.get(section, {}) if k not in ROLES)
        return {name: tuple(re.compile(p) for p in doc.get(section, {}).get(name, [])) for name in names}

    verbs = sorted(doc["heading_verbs"]["verbs"], key=len, reverse=True)
    return Lexicon(compile_all("heading"), compile_all("whole"), compile_all("sentence"),
                   re.compile("^(?:" + "|".join(map(re.escape, verbs)) + ")(?![业区])"),
                   hashlib.sha256(data).hexdigest()[:16])


def _first(patterns: tuple[re.Pattern, ...], text: str) -> re.Match | None:
    for p in patterns:
        m = p.search(text)
        if m:
            return m
    return None


def _strip_label(heading: str) -> str:
    """A heading of the trail without its enumerator (``三、主要任务`` → ``主要任务``)."""
    return re.sub(r"^(?:#+\s*|第[零〇一二三四五六七八九十百千\d]+[编章节条]\s*|\(?[一二三四五六七八九十\d]{1,3}[)、.]"
                  r"|[一二三四五六七八九十]+是)\s*", "", heading).strip()


@lru_cache(maxsize=1 << 16)   # the measures under one heading share their trail
def trail_prior(path: tuple[str, ...], lex: Lexicon) -> tuple[str, str] | None:
    """(role, heading) of the nearest heading in the trail whose words are a cue."""
    for heading in reversed(path):
        bare = _strip_label(heading)
        for role in ("problem", "background", "goal", "procedure", "measure"):
            if _first(lex.heading[role], bare):
                return role, heading
    return None


_REMEDY = re.compile(r"(?:补齐|弥补|解决|破解|突破|打通|克服|补足|消除|化解|防范|查找|排查|梳理|整改)[^,。;]{0,12}")
_ACTION = re.compile(r"(?:实施|出台|印发|推出|落地|开展|启动|建立|设立|上线|引进|完成|推动|推进|试点|制定|发布|批复|获批)")


def sentence_role(sentence: str, lex: Lexicon) -> str:
    s = sentence.strip()
    flaws = _REMEDY.sub("", s)   # 补齐短板 is a measure, not a problem
    if _first(lex.sentence["procedure"], s):
        return "procedure"
    if _first(lex.sentence["goal_opening"], s):   # 到2025年… opens the sentence
        return "goal"
    head = s[:6]
    if _first(lex.sentence["measure"], head) and not _first(lex.sentence["problem"], flaws[:12]):
        return "measure"
    if _first(lex.sentence["problem"], flaws):
        return "problem"
    if _first(lex.sentence["goal"], s):
        return "goal"
    figures = len(_FIGURE.findall(s))
    described = _first(lex.sentence["background"], s)
    if (figures >= 2 or described) and not _ACTION.search(s):
        return "background"
    return "measure"


def classify(m: Measure, *, lex: Lexicon | None = None, config: Config = DEFAULT,
             contents: bool = False) -> tuple[str, str]:
    """(role, reason) of one segment. ``contents``: it is a line of its document's table of contents
    (``segment.contents_lines``)."""
    lex = lex or lexicon()
    text = m.text.strip()
    # the sub-document's title is the first element of a compilation's trail: not a heading cue
    # (a compilation's group and the sub-document's title come first in the trail: not heading cues)
    trail = m.path[m.path.index(m.subdoc) + 1:] if m.subdoc and m.subdoc in m.path else m.path
    if not text:
        return "procedure", "no text of its own"
    hit = _first(lex.whole["procedure"], text)
    if hit:
        return "procedure", f"cue: {hit.group()[:30]}"
    if _DATE_LINE.match(text):
        return "procedure", "a date line"
    if contents:   # the title of one of a compilation's documents (航空服务领域“两区”建设工作方案), or a group heading
        return "procedure", "a line of the table of contents"
    prior = trail_prior(trail, lex)
    if m.kind == "heading":
        bare = _strip_label(text)
        if _CHAPTER.match(m.raw):
            return "procedure", "a chapter heading"
        if prior and prior[0] in ("goal", "problem", "background"):
            if len(bare) <= 8:
                return "procedure", f"short heading names a topic under: {prior[1]}"
            return prior[0], f"heading under: {prior[1]}"
        if lex.heading_verb.match(bare):
            return "measure", f"heading states an action: {bare[:12]}"
        return "procedure", "heading names a part of the document"
    if _ARTICLE.match(m.label):
        return "measure", "a law article that is no procedure clause: a rule"
    no_sentence = not any(ch in "。;!?" for ch in text)
    if m.kind == "paragraph" and no_sentence and "," not in text and len(text) <= 120 and not trail:
        return "procedure", "a title, dateline or salutation line"
    scores = dict.fromkeys(ROLES, 0.0)
    for sent in _SENTENCE.findall(text):
        if sent.strip():
            scores[sentence_role(sent, lex)] += len(sent)
    total = sum(scores.values())
    if not total:
        return "procedure", "no words of its own"
    votes = ", ".join(f"{r} {scores[r] / total:.2f}" for r in ROLES if scores[r])
    if prior:
        scores[prior[0]] += _PRIOR[prior[0]] * total
    best = max(ROLES, key=lambda r: (scores[r], r == "measure"))
    where = f"heading: {prior[1]} (prior {prior[0]}); " if prior else ""
    return best, f"{where}sentences: {votes}"


def assign_roles(measures: list[Measure], *, doc: Document | None = None, config: Config = DEFAULT,
                 contents: frozenset[int] = frozenset()) -> list[Measure]:
    """The same segments, each with its role and the reason for it. ``contents``: the starts of the segments that
    are lines of the document's table of contents (``segment.contents_lines``)."""
    lex = lexicon()
    out = []
    for m in measures:
        role, reason = classify(m, lex=lex, config=config, contents=m.start in contents)
        out.append(Measure(*(getattr(m, name) for name in _BEFORE_ROLE), role, reason))
    return out


# every field of a Measure before ``role`` and ``role_reason``, its last two: ``Measure(*those, role, reason)``
# is ``dataclasses.replace(m, role=…, role_reason=…)``, about twice as fast
_BEFORE_ROLE = tuple(f.name for f in dataclasses.fields(Measure))[:-2]   # tests/test_roles.py checks the two


def select(measures, roles: tuple[str, ...] = DEFAULT_ROLES) -> list[Measure]:
    """The segments whose role is in ``roles``."""
    wanted = set(roles)
    return [m for m in measures if m.role in wanted]
