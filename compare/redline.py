"""Side-by-side redlines: two measures in two columns, the wording they share highlighted and the wording
changes marked inside them (``diff.py`` finds them, ``changes.py`` names them).

A change between shared runs (a word replaced, a number raised, a clause added) is marked ``<del>`` on the
left and ``<ins>`` on the right; text that has no counterpart at all (the rest of a longer measure that
*contains* the other, or the other half of a *related* pair) is shown plainly, not struck through. Every
piece of document text is escaped; the texts are shown as in the source (``raw``), compared normalised.
"""
from __future__ import annotations

import html

from .changes import classify
from .diff import Diff, Side, diff_sides, measure_side

CSS = """
.redline{border:1px solid #ccc;border-radius:4px;margin:.4em 0;font-size:14px;line-height:1.7}
.redline .rl-head{background:#f6f6f6;padding:4px 8px;border-bottom:1px solid #ddd;font-size:13px;color:#333}
.redline .rl-cols{display:grid;grid-template-columns:1fr 1fr}
.redline .rl-col{padding:6px 10px;min-width:0;overflow-wrap:anywhere;white-space:pre-wrap}
.redline .rl-col+.rl-col{border-left:1px solid #ddd}
.redline .rl-title{font-size:12px;color:#555;margin-bottom:4px;white-space:normal}
.redline .same{background:#fff3b0}
.redline del{background:#fdd;text-decoration:line-through}
.redline ins{background:#cfc;text-decoration:none}
.redline .alone{color:#777}
.redline .chg-numbers{outline:1px solid #e6a700}.redline .chg-strength{outline:1px solid #1f77b4}
.redline .chg-scope{outline:1px solid #9467bd}.redline .chg-actors{outline:1px solid #8c564b}
.redline .chg-clauses{outline:1px dashed #7f7f7f}.redline .chg-wording{outline:1px dotted #17becf}
"""
# a change longer than this on either side has no counterpart: it is shown plainly rather than as a change
CHANGE_CHARS = 24


def _kinds(d: Diff) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for c in classify(d):
        out.setdefault(c.op, []).append(c.kind)
    return out


def columns(d: Diff, old: Side, new: Side) -> tuple[str, str]:
    """The two columns' HTML: shared runs highlighted, changes marked, unmatched text plain."""
    kinds = _kinds(d)
    ops = list(d.ops)
    left, right = [], []

    def show(side: Side, span: tuple[int, int]) -> str:
        s, e = side.to_raw(*span)
        return html.escape(side.raw[s:e])

    for n, o in enumerate(ops):
        a = show(old, (o.a0, o.a1)) if o.a1 > o.a0 else ""
        b = show(new, (o.b0, o.b1)) if o.b1 > o.b0 else ""
        if o.tag == "equal":
            cls = "same" if len(o.new.strip()) >= 2 else ""
            left.append(f'<span class="{cls}">{a}</span>' if cls else a)
            right.append(f'<span class="{cls}">{b}</span>' if cls else b)
            continue
        cls = " ".join(f"chg-{k}" for k in kinds.get(n, []))
        alone = max(o.a1 - o.a0, o.b1 - o.b0) > CHANGE_CHARS
        if o.trivial or alone:
            left.append(f'<span class="alone">{a}</span>' if a and alone else a)
            right.append(f'<span class="alone">{b}</span>' if b and alone else b)
            continue
        if a:
            left.append(f'<del class="{cls}">{a}</del>')
        if b:
            right.append(f'<ins class="{cls}">{b}</ins>')
    return "".join(left), "".join(right)


def render(old: Side, new: Side, *, title_old: str = "", title_new: str = "", header: str = "") -> str:
    """One redline block: a header line, then the two columns with their titles above them."""
    d = diff_sides(old, new)
    a, b = columns(d, old, new)
    head = f'<div class="rl-head">{html.escape(header)}</div>' if header else ""
    return (f'<div class="redline">{head}<div class="rl-cols">'
            f'<div class="rl-col"><div class="rl-title">{html.escape(title_old)}</div>{a}</div>'
            f'<div class="rl-col"><div class="rl-title">{html.escape(title_new)}</div>{b}</div>'
            f'</div></div>')


def side_title(doc_id: str, m) -> str:
    """Above a column: the document, the sub-document's title, the measure's label and role."""
    parts = [doc_id]
    if getattr(m, "subdoc", ""):
        parts.append(m.subdoc)
    if getattr(m, "label", ""):
        parts.append(m.label)
    if getattr(m, "role", ""):
        parts.append(m.role)
    return " · ".join(parts)


def pair_header(relation: str, probability: float | None, terms) -> str:
    prob = f" · probability {probability:.2f}" if probability is not None else ""
    shared = f" · shared: {' / '.join(terms)}" if terms else ""
    return f"{relation}{prob}{shared}"


def pair_redline(pair, docs_by_id: dict) -> str:
    """The redline of an aligned pair (``align.Pair``), shown on the measures' source text."""
    old = measure_side(docs_by_id[pair.a.doc_id], pair.a) if pair.a.doc_id in docs_by_id else _plain(pair.a)
    new = measure_side(docs_by_id[pair.b.doc_id], pair.b) if pair.b.doc_id in docs_by_id else _plain(pair.b)
    return render(old, new, title_old=side_title(pair.a.doc_id, pair.a), title_new=side_title(pair.b.doc_id, pair.b),
                  header=pair_header(pair.relation, getattr(pair, "probability", None), getattr(pair, "terms", ())))


def _plain(m) -> Side:
    return Side(m.text, m.text, lambda s, e: (s, e))


def page(body: str, *, title: str) -> str:
    """A standalone page (``policy-compare diff --format html``)."""
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">'
            f'<title>{html.escape(title)}</title><style>body{{font-family:"WenQuanYi Micro Hei","Noto Sans CJK SC",'
            f'"Microsoft YaHei",sans-serif;margin:1.5em;max-width:1400px}}{CSS}</style></head><body>{body}</body></html>\n')
