"""Overlap and gap reports: tables and a standalone HTML page built from the pipeline's records.

Everything here is pure (records in, strings and DataFrames out); ``pipeline.write_report`` writes files.
The HTML page embeds Vega, Vega-Lite and vega-embed (from vl-convert) and every chart spec, so it opens
offline and requests nothing. Document text is untrusted: it is escaped in HTML and in the JSON islands
that carry chart specs (``<`` is written ``\\u003c``), and tables are filled from escaped text only.
"""
from __future__ import annotations

import html
import json
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import altair as alt
import pandas as pd

from . import charts
from .align import Alignment
from .changes import classify
from .diff import diff_texts, render_html
from .records import Document, Measure

DATA = Path(__file__).resolve().parent / "data"
OTHER = "other"


@lru_cache(maxsize=1)
def themes() -> tuple[tuple[str, tuple[str, ...]], ...]:
    data = tomllib.loads((DATA / "themes.toml").read_text(encoding="utf-8"))["themes"]
    return tuple((name, tuple(words)) for name, words in data.items())


def theme_of(text: str) -> str:
    """The theme whose keywords weigh most in ``text`` (a keyword weighs its length)."""
    best, best_w = OTHER, 0
    for name, words in themes():
        w = sum(text.count(k) * len(k) for k in words)
        if w > best_w:
            best, best_w = name, w
    return best


def unit_of(m: Measure) -> str:
    """The row of the overlap matrix a measure belongs to: its document, or its sub-document."""
    return f"{m.doc_id} › {m.subdoc}" if m.subdoc else m.doc_id


@dataclass(frozen=True)
class ReportData:
    documents: pd.DataFrame
    measures: pd.DataFrame
    pairs: pd.DataFrame
    overlap: pd.DataFrame
    lineage: pd.DataFrame


def build(docs: list[Document], measures: list[Measure], alignment: Alignment, steps: list[dict], *,
          segments: list[Measure] | None = None) -> ReportData:
    """The tables of a report: ``measures`` are the aligned segments (overlap, gaps and themes count them);
    ``segments`` (all roles) give each document's count by role."""
    from .roles import ROLES
    region = {d.id: d.meta.region for d in docs}
    matched: dict[str, set[str]] = {}
    for p in alignment.pairs:
        if p.relation == "restates":   # a document restating itself (a summary and its reports): no overlap
            continue
        matched.setdefault(p.a.measure_id, set()).add(unit_of(p.b))
        matched.setdefault(p.b.measure_id, set()).add(unit_of(p.a))
    mrows = []
    for m in measures:
        mrows.append({"doc_id": m.doc_id, "subdoc": m.subdoc, "unit": unit_of(m), "region": region[m.doc_id],
                      "measure_id": m.measure_id, "label": m.label, "role": m.role, "path": " > ".join(m.path),
                      "theme": theme_of(m.text), "matches": len(matched.get(m.measure_id, ())), "text": m.text,
                      "raw": m.raw, "start": m.start, "end": m.end})
    mdf = pd.DataFrame(mrows, columns=["doc_id", "subdoc", "unit", "region", "measure_id", "label", "role", "path", "theme",
                                       "matches", "text", "raw", "start", "end"])
    prow = []
    for p in alignment.pairs:
        d = diff_texts(p.a.text, p.b.text)
        kinds = sorted({c.label() for c in classify(d)})
        prow.append({**p.to_dict(threshold=alignment.config.min_score), "unit_a": unit_of(p.a),
                     "unit_b": unit_of(p.b), "changes": ";".join(kinds), "terms": " / ".join(p.terms)})
    pdf = pd.DataFrame(prow)
    if pdf.empty:
        pdf = pd.DataFrame(columns=["doc_a", "measure_a", "unit_a", "doc_b", "measure_b", "unit_b", "score",
                                    "relation", "changes"])
    units = sorted(mdf["unit"].unique(), key=lambda u: ([d.id for d in docs].index(u.split(" › ")[0]), u))
    size = mdf.groupby("unit").size().to_dict()
    orows = []
    for a in units:
        ids = mdf.loc[mdf["unit"] == a, "measure_id"]
        for b in units:
            n = sum(1 for i in ids if b in matched.get(i, ())) if a != b else 0
            orows.append({"unit_a": a, "unit_b": b, "region_a": region[a.split(" › ")[0]],
                          "region_b": region[b.split(" › ")[0]], "matched": n, "measures": size.get(a, 0),
                          "share": round(n / size[a], 4) if size.get(a) else 0.0})
    odf = pd.DataFrame(orows)
    doc_rows = [{"doc_id": d.id, "title": d.meta.title, "region": d.meta.region, "date": d.meta.date,
                 "kind": d.meta.kind, "script": d.normalized.script, "encoding": d.encoding, "sha256": d.sha256,
                 **{f"segments_{r}": sum(1 for m in (segments or measures) if m.doc_id == d.id and m.role == r)
                    for r in ROLES},
                 "measures": int((mdf["doc_id"] == d.id).sum()),
                 "unmatched": int(((mdf["doc_id"] == d.id) & (mdf["matches"] == 0)).sum())} for d in docs]
    return ReportData(pd.DataFrame(doc_rows), mdf, pdf, odf, pd.DataFrame(steps))


# ---------------------------------------------------------------- charts
def overlap_heatmap(data: ReportData) -> alt.Chart:
    """Share of A's measures (rows) with a match in B (columns); counts on hover. Rows grouped by region."""
    df = data.overlap.assign(pct=lambda d: (d["share"] * 100).round(1))
    top = max(0.05, float(df["share"].max()) if len(df) else 0.05)
    order = list(dict.fromkeys(df.sort_values(["region_a", "unit_a"])["unit_a"]))
    return (alt.Chart(df, title="Overlap: share of the row's measures with a counterpart in the column")
            .mark_rect()
            .encode(y=alt.Y("unit_a:N", sort=order, title=None, axis=alt.Axis(labelLimit=320)),
                    x=alt.X("unit_b:N", sort=order, title=None, axis=alt.Axis(labelAngle=-60, labelLimit=200)),
                    color=alt.Color("share:Q", scale=alt.Scale(scheme="blues", domain=[0, top]), title="share"),
                    tooltip=["unit_a:N", "unit_b:N", "matched:Q", "measures:Q", "pct:Q", "region_a:N"])
            .properties(width=max(300, 22 * len(order)), height=max(300, 22 * len(order)))
            .configure(font=charts.FONT))


def theme_coverage(data: ReportData) -> alt.Chart:
    df = data.measures.groupby(["doc_id", "theme"]).size().reset_index(name="measures")
    return (alt.Chart(df, title="Coverage by theme").mark_bar()
            .encode(y=alt.Y("doc_id:N", title=None), x=alt.X("measures:Q", stack="normalize", title="share"),
                    color=alt.Color("theme:N", title="theme"), tooltip=["doc_id:N", "theme:N", "measures:Q"])
            .properties(width=520).configure(font=charts.FONT))


# ---------------------------------------------------------------- HTML
def _json_island(obj) -> str:
    return json.dumps(obj, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _table(df: pd.DataFrame, cols: list[str], table_id: str, *, html_cols: dict | None = None) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    body = []
    for _, r in df.iterrows():
        cells = []
        for c in cols:
            if html_cols and c in html_cols:
                cells.append(f"<td>{html_cols[c](r)}</td>")  # already escaped by its maker
            else:
                cells.append(f"<td>{html.escape(str(r[c]))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<div class="tablewrap"><input class="filter" data-table="{table_id}" placeholder="filter…">'
            f'<table id="{table_id}" class="sortable"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


_SCRIPT = """
function sortBy(th){const t=th.closest('table'),i=[...th.parentNode.children].indexOf(th),
 asc=th.dataset.asc!=='1';th.dataset.asc=asc?'1':'0';const rows=[...t.tBodies[0].rows];
 rows.sort((a,b)=>{const x=a.cells[i].innerText,y=b.cells[i].innerText,nx=parseFloat(x),ny=parseFloat(y);
 const c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y,'zh');return asc?c:-c;});
 rows.forEach(r=>t.tBodies[0].appendChild(r));}
document.querySelectorAll('table.sortable th').forEach(th=>th.addEventListener('click',()=>sortBy(th)));
document.querySelectorAll('input.filter').forEach(inp=>inp.addEventListener('input',()=>{
 const q=inp.value.trim().toLowerCase(),t=document.getElementById(inp.dataset.table);
 [...t.tBodies[0].rows].forEach(r=>{r.style.display=(!q||r.innerText.toLowerCase().includes(q))?'':'none';});}));
document.querySelectorAll('script[type="application/json"].spec').forEach(s=>{
 vegaEmbed('#'+s.dataset.target, JSON.parse(s.textContent), {renderer:'svg', actions:false})
  .catch(e=>{document.getElementById(s.dataset.target).innerText='chart failed: '+e;});});
"""

_CSS = """
body{font-family:"WenQuanYi Micro Hei","Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;max-width:1400px}
h1{font-size:1.5em} h2{margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;font-size:13px;width:100%} th,td{border:1px solid #ddd;padding:3px 6px;
vertical-align:top} th{background:#f3f3f3;cursor:pointer;position:sticky;top:0}
.tablewrap{max-height:600px;overflow:auto;margin:.5em 0} input.filter{margin:.3em 0;padding:3px;width:20em}
del{background:#fdd;text-decoration:line-through} ins{background:#dfd;text-decoration:none}
.chg-numbers{outline:1px solid #e6a700}.chg-strength{outline:1px solid #1f77b4}.chg-scope{outline:1px solid #9467bd}
.chg-actors{outline:1px solid #8c564b}.chg-clauses{outline:1px dotted #555} .chart{margin:1em 0}
.meta{color:#555;font-size:13px} #t-docs td:nth-child(2){min-width:18em}
"""


def render_html_page(data: ReportData, *, title: str, manifest: dict, evolution_charts: list[alt.TopLevelMixin],
                     top_pairs: int = 8) -> str:
    """The standalone report page."""
    import vl_convert as vlc

    chart_list = [("overlap", overlap_heatmap(data)), ("themes", theme_coverage(data))]
    chart_list += [(f"evolution{i}", c) for i, c in enumerate(evolution_charts)]
    islands = "".join(
        f'<script type="application/json" class="spec" data-target="chart-{name}">{_json_island(c.to_dict())}</script>'
        for name, c in chart_list)
    divs = {name: f'<div class="chart" id="chart-{name}"></div>' for name, _ in chart_list}
    docs = data.documents
    from .roles import ROLES

    role_cols = {f"segments_{r}": r for r in ROLES if f"segments_{r}" in docs.columns}   # short headers
    doc_table = _table(docs.rename(columns=role_cols), ["doc_id", "title", "region", "date", "kind", "script",
                                                        *role_cols.values(), "measures", "unmatched"], "t-docs")
    # gaps: measures without counterpart, by document and theme
    gaps = data.measures[data.measures["matches"] == 0].sort_values(["doc_id", "theme", "start"])
    gap_table = _table(gaps, ["doc_id", "theme", "role", "label", "path", "text"], "t-gaps")
    # top pairs per document pair, with the wording diff inline
    pairs = data.pairs.copy()
    if not pairs.empty:
        pairs = (pairs.sort_values(["doc_a", "doc_b", "score"], ascending=[True, True, False])
                 .groupby(["doc_a", "doc_b"], sort=False).head(top_pairs))

    def diff_cell(r) -> str:
        return render_html(diff_texts(str(r["text_a"]), str(r["text_b"])))

    pair_table = _table(pairs, ["doc_a", "label_a", "role_a", "doc_b", "label_b", "role_b", "probability", "score",
                                "relation", "terms", "changes", "diff"],
                        "t-pairs", html_cols={"diff": diff_cell}) if not pairs.empty else "<p>No pairs.</p>"
    lineage = data.lineage
    evo_html = ""
    if not lineage.empty:
        evo_html = ("<h2>Evolution</h2>" + "".join(divs[f"evolution{i}"] for i in range(len(evolution_charts)))
                    + _table(lineage[lineage["status"] != "unchanged"], ["batch", "doc_id", "label", "status",
                                                                        "changes", "text"], "t-lineage"))
    bundle = vlc.javascript_bundle()
    meta = html.escape(f"engine {manifest['engine_version']} · config {manifest['config_hash']} · "
                       f"{len(docs)} documents · {len(data.measures)} measures · {len(data.pairs)} pairs · "
                       f"roles {', '.join(manifest['parameters'].get('roles', []))} · "
                       f"pair model {manifest['parameters'].get('pair_model', '-')} · "
                       f"min_probability {manifest['parameters'].get('min_probability', '-')} · "
                       f"min score {manifest['parameters']['threshold']}")
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:; font-src data:">
<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>
<h1>{html.escape(title)}</h1><p class="meta">{meta}</p>
<h2>Corpus</h2>{doc_table}
<h2>Overlap matrix</h2>{divs['overlap']}
<h2>Coverage by theme</h2>{divs['themes']}
<p class="meta">Segments by role: every segment of a document has one role (measure, goal, background,
problem, procedure; see the segment export's <code>role_reason</code>). Overlap, gaps and themes count the
roles listed above (policy-compare report --roles).</p>
<h2>Gaps: measures with no counterpart</h2>{gap_table}
<h2>Top aligned pairs per document pair</h2>{pair_table}
{evo_html}
<script>{bundle}</script>
{islands}
<script>{_SCRIPT}</script>
</body></html>
"""
