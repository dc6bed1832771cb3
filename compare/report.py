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
from .records import Document, Measure, shortened

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
    overlap: pd.DataFrame          # sub-document level (unit x unit)
    lineage: pd.DataFrame
    overlap_docs: pd.DataFrame     # document level
    gaps: pd.DataFrame             # directional: measures of one region with no counterpart in another


def build(docs: list[Document], measures: list[Measure], alignment: Alignment, steps: list[dict], *,
          segments: list[Measure] | None = None, workers=1) -> ReportData:
    """The tables of a report: ``measures`` are the aligned segments (overlap, gaps and themes count them);
    ``segments`` (all roles) give each document's count by role; pairs diffed in ``workers`` processes."""
    from . import parallel

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
    changes = parallel.map_ordered(lambda ab: ";".join(sorted({c.label() for c in classify(diff_texts(*ab))})),
                                   [(p.a.text, p.b.text) for p in alignment.pairs], workers=workers,
                                   desc="wording changes", unit="pair")
    for p, kinds in zip(alignment.pairs, changes):
        prow.append({**p.to_dict(threshold=alignment.config.min_score), "unit_a": unit_of(p.a),
                     "unit_b": unit_of(p.b), "changes": kinds, "terms": " / ".join(p.terms)})
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
    # document level: share of A's measures with a counterpart anywhere in document B
    doc_of_unit = {u: u.split(" › ")[0] for u in units}
    matched_docs = {mid: {doc_of_unit.get(u, u.split(" › ")[0]) for u in us} for mid, us in matched.items()}
    doc_ids = [d.id for d in docs]
    short = _short_titles(docs)
    drows = []
    for a in doc_ids:
        ids = list(mdf.loc[mdf["doc_id"] == a, "measure_id"])
        for b in doc_ids:
            n = sum(1 for i in ids if b in matched_docs.get(i, ())) if a != b else 0
            drows.append({"doc_a": a, "doc_b": b, "short_a": short[a], "short_b": short[b], "matched": n,
                          "measures": len(ids), "share": round(n / len(ids), 4) if ids else 0.0})
    ddf = pd.DataFrame(drows, columns=["doc_a", "doc_b", "short_a", "short_b", "matched", "measures", "share"])
    doc_rows = [{"doc_id": d.id, "short": short[d.id], "title": d.meta.title, "region": d.meta.region,
                 "series": d.meta.series, "date": d.meta.date,
                 "kind": d.meta.kind, "script": d.normalized.script, "encoding": d.encoding, "sha256": d.sha256,
                 **{f"segments_{r}": sum(1 for m in (segments or measures) if m.doc_id == d.id and m.role == r)
                    for r in ROLES},
                 "measures": int((mdf["doc_id"] == d.id).sum()),
                 "unmatched": int(((mdf["doc_id"] == d.id) & (mdf["matches"] == 0)).sum())} for d in docs]
    documents = pd.DataFrame(doc_rows)
    from .gaps import between_regions
    return ReportData(documents, mdf, pdf, odf, pd.DataFrame(steps), ddf, between_regions(documents, mdf, pdf))


def _short_titles(docs: list[Document]) -> dict[str, str]:
    """Each document's short title (metadata ``short``, else the title shortened), told apart when equal."""
    out = {d.id: d.meta.short_title for d in docs}
    date = {d.id: d.meta.date for d in docs}
    counts: dict[str, int] = {}
    for v in out.values():
        counts[v] = counts.get(v, 0) + 1
    named = {k: (v if counts[v] == 1 else f"{v} ({date[k] or k})") for k, v in out.items()}   # versions: the date
    again: dict[str, int] = {}
    for v in named.values():
        again[v] = again.get(v, 0) + 1
    return {k: (v if again[v] == 1 else f"{out[k]} ({k})") for k, v in named.items()}


# ---------------------------------------------------------------- charts
OVERLAP_TOP = 40      # documents in the matrix; beyond, the most overlapping ones (the table has them all)
SUB_TOP = 30          # sub-documents in the second matrix
def matrix_order(df: pd.DataFrame, top: int = OVERLAP_TOP) -> list[str]:
    """The documents of the matrix in the order of a hierarchical clustering of their overlap (documents that
    share measures sit together); past ``top`` documents, the ``top`` with the most overlap."""
    docs = list(dict.fromkeys(df["doc_a"]))
    if not docs:
        return []
    wide = df.pivot_table(index="doc_a", columns="doc_b", values="share", aggfunc="first").reindex(
        index=docs, columns=docs).fillna(0.0)
    sym = wide.values + wide.values.T
    if len(docs) > top:
        keep = sorted(range(len(docs)), key=lambda i: (-sym[i].sum(), docs[i]))[:top]
        keep.sort()
        docs = [docs[i] for i in keep]
        sym = sym[keep][:, keep]
    if len(docs) <= 2 or float(sym.max()) == 0.0:   # nothing shared: the documents' own order
        return docs
    from scipy.cluster.hierarchy import leaves_list, linkage
    from scipy.spatial.distance import squareform

    dist = 1.0 - sym / max(float(sym.max()), 1e-9)
    dist = (dist + dist.T) / 2
    import numpy as np
    np.fill_diagonal(dist, 0.0)
    order = leaves_list(linkage(squareform(dist, checks=False), method="average", optimal_ordering=True))
    return [docs[i] for i in order]


def overlap_matrix(data: ReportData, *, top: int = OVERLAP_TOP) -> alt.LayerChart:
    """Documents x documents: the share of the row's measures with a counterpart in the column, printed in
    the cells on a fixed 0–1 scale (0 is white); rows and columns in clustering order, labelled with the
    documents' short titles; a click on a cell lists its pairs (report page)."""
    order = matrix_order(data.overlap_docs, top)
    df = data.overlap_docs[data.overlap_docs["doc_a"].isin(order) & data.overlap_docs["doc_b"].isin(order)]
    short = dict(zip(data.documents["doc_id"], data.documents["short"]))
    labels = [short[d] for d in order]
    df = df.assign(pct=(df["share"] * 100).round(0).astype(int), row=df["doc_a"].map(short),
                   col=df["doc_b"].map(short), dark=df["share"] > 0.5)
    cell = max(16, min(56, 840 // max(1, len(order))))
    shown = len(order) < len(data.documents)
    title = ("Overlap: share of the row's measures with a counterpart in the column"
             + (f" (the {len(order)} most overlapping of {len(data.documents)} documents)" if shown else ""))
    tooltip = [alt.Tooltip("doc_a:N", title="row"), alt.Tooltip("doc_b:N", title="column"), "matched:Q",
               "measures:Q", alt.Tooltip("share:Q", format=".1%")]
    return (charts.share_matrix(df, rows=labels, cols=labels, cell_w=cell, cell_h=cell, tooltip=tooltip,
                                text=cell >= 22, text_size=min(12, cell // 2 - 1), title=title)
            .configure(font=charts.FONT).configure_view(strokeWidth=0))


def subdoc_matrix(data: ReportData, *, top: int = SUB_TOP) -> alt.LayerChart | None:
    """Sub-documents (of compilations and journals) x documents, the ``top`` with the most overlap; None when
    no document has sub-documents."""
    ov = data.overlap
    if ov.empty or not ov["unit_a"].str.contains(" › ").any():
        return None
    sub = ov[ov["unit_a"].str.contains(" › ")].assign(doc_b=ov["unit_b"].str.split(" › ").str[0])
    sub = sub[sub["unit_a"].str.split(" › ").str[0] != sub["doc_b"]]
    by_doc = sub.groupby(["unit_a", "doc_b"], sort=True).agg(matched=("matched", "sum"), measures=("measures", "first"))
    by_doc = by_doc.reset_index()
    # a measure matched in two sub-documents of one document counts once at most: cap by the unit's size
    by_doc["matched"] = by_doc[["matched", "measures"]].min(axis=1)
    by_doc["share"] = (by_doc["matched"] / by_doc["measures"].where(by_doc["measures"] > 0, 1)).round(4)
    total = by_doc.groupby("unit_a")["share"].sum()
    units = sorted(total.index, key=lambda u: (-total[u], u))[:top]
    units = [u for u in units if total[u] > 0] or units[:1]
    df = by_doc[by_doc["unit_a"].isin(units)]
    short = dict(zip(data.documents["doc_id"], data.documents["short"]))
    df = df.assign(col=df["doc_b"].map(short), row=df["unit_a"].str.split(" › ").str[1].str.slice(0, 24),
                   pct=(df["share"] * 100).round(0).astype(int), dark=df["share"] > 0.5)
    rows = list(dict.fromkeys(df.set_index("unit_a").loc[units, "row"])) if len(df) else []
    cols = [short[d] for d in data.documents["doc_id"] if d in set(df["doc_b"])]
    tooltip = [alt.Tooltip("unit_a:N", title="sub-document"), alt.Tooltip("doc_b:N", title="document"),
               "matched:Q", "measures:Q", alt.Tooltip("share:Q", format=".1%")]
    return (charts.share_matrix(df, rows=rows, cols=cols, cell_w=44, cell_h=22, tooltip=tooltip, label_limit=260,
                                title=f"Sub-documents: the {len(rows)} with the most overlap, by document")
            .configure(font=charts.FONT).configure_view(strokeWidth=0))


def theme_coverage(data: ReportData) -> alt.Chart:
    df = data.measures.groupby(["doc_id", "theme"]).size().reset_index(name="measures")
    return (alt.Chart(df, title="Coverage by theme").mark_bar()
            .encode(y=alt.Y("doc_id:N", title=None), x=alt.X("measures:Q", stack="normalize", title="share"),
                    color=alt.Color("theme:N", title="theme"), tooltip=["doc_id:N", "theme:N", "measures:Q"])
            .properties(width=520).configure(font=charts.FONT))


# ---------------------------------------------------------------- HTML
def _json_island(obj) -> str:
    return json.dumps(obj, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


TABLE_PAGE = 50        # rows per page of a table in the report page
_LONG = {"text", "path", "title", "terms", "changes", "role_reason"}   # columns that wrap; the others do not
PAIR_ROWS = 2000       # pairs shown in the page (with their redlines); pairs.csv holds all


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _table(df: pd.DataFrame, cols: list[str], table_id: str, *, details: list[str] | None = None,
           note: str = "") -> str:
    """A table the page fills from a JSON island: 50 rows a page, a filter over all rows, sorting by a click
    on a header. Cells are text (the page escapes them); ``details`` are HTML blocks (already escaped by
    their maker) shown under a row when it is clicked."""
    spec = {"cols": cols, "rows": [[_cell(v) for v in row] for row in df[cols].itertuples(index=False)],
            "details": details or [], "long": [i for i, c in enumerate(cols) if c in _LONG]}
    return (f'<div class="tablewrap" data-table="{table_id}"><div class="tools">'
            f'<input class="filter" data-table="{table_id}" placeholder="filter…"> <span class="pager"></span>'
            f'<span class="picked"></span></div>'
            f'<table id="{table_id}" class="sortable"><thead><tr>'
            + "".join(f'<th{" class=long" if c in _LONG else ""}>{html.escape(c)}</th>' for c in cols)
            + f'</tr></thead><tbody></tbody></table>{f"<p class=meta>{html.escape(note)}</p>" if note else ""}</div>'
            f'<script type="application/json" class="tabledata" data-table="{table_id}">{_json_island(spec)}</script>')


_SCRIPT = """
const TABLES = {};
function makeTable(id, spec){
 const t = {id, spec, q:'', pick:null, pickLabel:'', sort:-1, asc:true, page:0, open:new Set()};
 const wrap = document.querySelector('.tablewrap[data-table="'+id+'"]');
 t.table = document.getElementById(id); t.pager = wrap.querySelector('.pager'); t.picked = wrap.querySelector('.picked');
 t.rows = () => {
  let idx = spec.rows.map((_, i) => i);
  if (t.pick) idx = idx.filter(i => t.pick(spec.rows[i]));
  if (t.q) idx = idx.filter(i => spec.rows[i].join(' ').toLowerCase().includes(t.q));
  if (t.sort >= 0) { const k = t.sort; idx.sort((a, b) => { const x = spec.rows[a][k], y = spec.rows[b][k];
    const nx = parseFloat(x), ny = parseFloat(y);
    const c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y, 'zh'); return t.asc ? c : -c; }); }
  return idx; };
 t.render = () => {
  const idx = t.rows(), pages = Math.max(1, Math.ceil(idx.length / %(page)d));
  t.page = Math.min(t.page, pages - 1);
  const body = t.table.tBodies[0]; body.textContent = '';
  for (const i of idx.slice(t.page * %(page)d, (t.page + 1) * %(page)d)) {
   const tr = document.createElement('tr');
   spec.rows[i].forEach((v, k) => { const td = document.createElement('td'); td.textContent = v;
    if (spec.long.includes(k)) td.className = 'long'; tr.appendChild(td); });
   body.appendChild(tr);
   if (spec.details.length && spec.details[i]) {
    tr.classList.add('has-detail'); tr.title = 'click: show or hide the redline';
    const dr = document.createElement('tr'); dr.className = 'detail';
    const td = document.createElement('td'); td.colSpan = spec.cols.length; td.innerHTML = spec.details[i];
    dr.appendChild(td); dr.style.display = t.open.has(i) ? '' : 'none'; body.appendChild(dr);
    tr.addEventListener('click', () => { const show = dr.style.display === 'none';
     dr.style.display = show ? '' : 'none'; if (show) t.open.add(i); else t.open.delete(i); });
   }
  }
  t.pager.textContent = '';
  const info = document.createElement('span');
  info.textContent = idx.length ? `rows ${t.page * %(page)d + 1}–${Math.min(idx.length, (t.page + 1) * %(page)d)} of ${idx.length} ` : 'no rows ';
  t.pager.appendChild(info);
  for (const [label, to] of [['‹ previous', t.page - 1], ['next ›', t.page + 1]]) {
   const b = document.createElement('button'); b.textContent = label; b.disabled = to < 0 || to >= pages;
   b.addEventListener('click', () => { t.page = to; t.render(); }); t.pager.appendChild(b); }
  t.picked.textContent = '';
  if (t.pick) { const s = document.createElement('span'); s.textContent = ' ' + t.pickLabel + ' ';
   const b = document.createElement('button'); b.textContent = 'show all';
   b.addEventListener('click', () => { t.pick = null; t.render(); });
   t.picked.appendChild(s); t.picked.appendChild(b); }
 };
 t.table.querySelectorAll('th').forEach((th, k) => th.addEventListener('click', () => {
  t.asc = t.sort === k ? !t.asc : true; t.sort = k; t.render(); }));
 wrap.querySelector('input.filter').addEventListener('input', e => { t.q = e.target.value.trim().toLowerCase();
  t.page = 0; t.render(); });
 TABLES[id] = t; t.render();
}
document.querySelectorAll('script.tabledata').forEach(s => makeTable(s.dataset.table, JSON.parse(s.textContent)));
function pairsOf(a, b){ const t = TABLES['t-pairs']; if (!t) return; const ca = t.spec.cols.indexOf('doc_a'),
 cb = t.spec.cols.indexOf('doc_b');
 t.pick = r => (r[ca] === a && r[cb] === b) || (r[ca] === b && r[cb] === a);
 t.pickLabel = 'pairs of ' + a + ' × ' + b; t.page = 0; t.render();
 document.getElementById('pairs').scrollIntoView(); }
document.querySelectorAll('script[type="application/json"].spec').forEach(s => {
 vegaEmbed('#'+s.dataset.target, JSON.parse(s.textContent), {renderer:'svg', actions:false})
  .then(r => r.view.addEventListener('click', (e, item) => {
    const d = item && item.datum; if (d && d.doc_a && d.doc_b && d.doc_a !== d.doc_b) pairsOf(d.doc_a, d.doc_b); }))
  .catch(e => { document.getElementById(s.dataset.target).innerText = 'chart failed: ' + e; });});
""" % {"page": TABLE_PAGE}

_CSS = """
body{font-family:"WenQuanYi Micro Hei","Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:1.5em;max-width:1300px}
h1{font-size:1.5em} h2{margin-top:2em;border-bottom:1px solid #ccc}
.unread{color:#a40000;font-size:13px} .unread li{margin:.2em 0}
table{border-collapse:collapse;font-size:13px;width:100%;table-layout:auto} th,td{border:1px solid #ddd;
padding:3px 6px;vertical-align:top;white-space:nowrap} th{background:#f3f3f3;cursor:pointer;position:sticky;top:0}
td.long,th.long{white-space:normal;overflow-wrap:anywhere;min-width:14em} tr.detail>td{white-space:normal}
.tablewrap{max-height:720px;overflow:auto;margin:.5em 0} .tools{margin:.3em 0} input.filter{padding:3px;width:20em}
.pager button,.picked button{margin-left:.3em} tr.has-detail{cursor:pointer} tr.has-detail:hover{background:#f5f9ff}
tr.detail>td{background:#fafafa;padding:6px}
.chart{margin:1em 0;overflow-x:auto} .meta{color:#555;font-size:13px} #t-docs td:nth-child(3){min-width:16em}
.counts{font-size:13px;margin:.3em 0}
""" + __import__("compare.redline", fromlist=["CSS"]).CSS


def _pair_details(pairs: pd.DataFrame, alignment_pairs: dict, docs_by_id: dict) -> list[str]:
    from .redline import pair_redline

    out = []
    for r in pairs.itertuples():
        p = alignment_pairs.get((r.measure_a, r.measure_b))
        out.append(pair_redline(p, docs_by_id) if p is not None else "")
    return out


def _gap_section(data: ReportData) -> str:
    """Directional gaps between regions: a count by theme per direction, and the measures."""
    g = data.gaps
    if g.empty:
        return ""
    parts = ["<h2>Directional gaps between regions</h2><p class=meta>Measures of the first region with no "
             "counterpart in any document of the second (a document restating itself is no counterpart).</p>"]
    for (a, b), rows in g.groupby(["from", "to"], sort=False):
        themes_ = rows.groupby("theme").size().sort_values(ascending=False)
        counts = " · ".join(f"{html.escape(str(t))} {n}" for t, n in themes_.items())
        parts.append(f"<h3>{html.escape(a)} → {html.escape(b)}: {len(rows)} measures</h3>"
                     f"<p class=counts>{counts}</p>")
    parts.append(_table(g, ["from", "to", "doc_id", "theme", "role", "label", "text"], "t-dgaps"))
    return "".join(parts)


def render_html_page(data: ReportData, *, title: str, manifest: dict, evolution_charts: list[alt.TopLevelMixin],
                     top_pairs: int = 20, alignment=None, docs: list[Document] | None = None) -> str:
    """The standalone report page. A chart that cannot be built is replaced by a note saying why (the tables
    and exports do not depend on it)."""
    import vl_convert as vlc

    charts_ = [("overlap", lambda: overlap_matrix(data)), ("overlap-sub", lambda: subdoc_matrix(data)),
               ("themes", lambda: theme_coverage(data))]
    charts_ += [(f"evolution{i}", (lambda c=c: c)) for i, c in enumerate(evolution_charts)]
    islands, divs, failed = [], {}, []
    with alt.data_transformers.disable_max_rows():
        for name, make in charts_:
            try:
                chart = make()
                if chart is None:
                    divs[name] = ""
                    continue
                spec = chart.to_dict()
            except Exception as exc:   # a chart is a view: never lose the report for one
                failed.append(f"{name}: {type(exc).__name__}: {exc}")
                divs[name] = f'<p class="meta">chart not drawn ({html.escape(type(exc).__name__)}: ' \
                             f'{html.escape(str(exc)[:200])}); the tables below and the exports are complete.</p>'
                continue
            islands.append(f'<script type="application/json" class="spec" data-target="chart-{name}">'
                           f'{_json_island(spec)}</script>')
            divs[name] = f'<div><div class="chart" id="chart-{name}"></div></div>'
    documents = data.documents
    from .roles import ROLES

    role_cols = {f"segments_{r}": r for r in ROLES if f"segments_{r}" in documents.columns}   # short headers
    # the short title only when some document has one of its own (else it repeats or cuts the title, and widens
    # the table past the window): not the title, nor its first 15 characters (with a date told apart)
    derived = documents["title"].map(shortened)
    given = [not s.startswith(d) for s, d in zip(documents["short"], derived)]
    short = ["short"] if any(given) else []
    doc_table = _table(documents.rename(columns=role_cols), ["doc_id", *short, "title", "region", "date", "kind",
                                                             *role_cols.values(), "measures", "unmatched"], "t-docs")
    gaps = data.measures[data.measures["matches"] == 0].sort_values(["doc_id", "theme", "start"])
    gap_table = _table(gaps, ["doc_id", "theme", "role", "label", "path", "text"], "t-gaps")
    pairs = data.pairs.copy()
    note = ""
    if not pairs.empty:
        order = "probability" if "probability" in pairs.columns and pairs["probability"].notna().any() else "score"
        pairs = (pairs.sort_values(["doc_a", "doc_b", order], ascending=[True, True, False], kind="stable")
                 .groupby(["doc_a", "doc_b"], sort=False).head(top_pairs))
        if len(pairs) > PAIR_ROWS:
            pairs = pairs.sort_values(order, ascending=False, kind="stable").head(PAIR_ROWS)
        if len(pairs) < len(data.pairs):
            note = (f"{len(pairs)} of {len(data.pairs)} pairs shown (at most {top_pairs} per document pair); "
                    "pairs.csv and pairs.parquet hold them all.")
    details = []
    if not pairs.empty and alignment is not None and docs is not None:
        by_ids = {(p.a.measure_id, p.b.measure_id): p for p in alignment.pairs}
        details = _pair_details(pairs, by_ids, {d.id: d for d in docs})
    pair_cols = ["doc_a", "label_a", "role_a", "doc_b", "label_b", "role_b", "probability", "relation", "changes",
                 "terms"]
    pair_table = (_table(pairs, [c for c in pair_cols if c in pairs.columns], "t-pairs", details=details, note=note)
                  if not pairs.empty else "<p>No pairs.</p>")
    lineage = data.lineage
    evo_html = ""
    if not lineage.empty:
        evo_html = ("<h2>Evolution</h2>" + "".join(divs.get(f"evolution{i}", "") for i in range(len(evolution_charts)))
                    + _table(lineage[lineage["status"] != "unchanged"], ["batch", "doc_id", "label", "status",
                                                                        "changes", "text"], "t-lineage"))
    bundle = vlc.javascript_bundle()
    meta = html.escape(f"engine {manifest['engine_version']} · config {manifest['config_hash']} · "
                       f"{len(documents)} documents · {len(data.measures)} measures · {len(data.pairs)} pairs · "
                       f"roles {', '.join(manifest['parameters'].get('roles', []))} · "
                       f"pair model {manifest['parameters'].get('pair_model', '-')} · "
                       f"min_probability {manifest['parameters'].get('min_probability', '-')} · "
                       f"min score {manifest['parameters']['threshold']}")
    failed_note = (f'<p class="meta">charts not drawn: {html.escape("; ".join(failed))}</p>' if failed else "")
    unread = manifest.get("errors") or []
    if unread:   # a document that could not be read is named where the reader looks, not only in the manifest
        failed_note += (f'<div class="unread"><p>{len(unread)} document(s) could not be read and are not in this '
                        f'report:</p><ul>' + "".join(f"<li>{html.escape(m)}</li>" for m in unread) + "</ul></div>")
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:; font-src data:">
<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>
<h1>{html.escape(title)}</h1><p class="meta">{meta}</p>{failed_note}
<h2>Corpus</h2>{doc_table}
<h2>Overlap matrix</h2><p class="meta">Click a cell to list its pairs below.</p>{divs['overlap']}{divs['overlap-sub']}
<h2>Coverage by theme</h2>{divs['themes']}
<p class="meta">Segments by role: every segment of a document has one role (measure, goal, background,
problem, procedure; see the segment export's <code>role_reason</code>). Overlap, gaps and themes count the
roles listed above (policy-compare report --roles).</p>
<h2>Gaps: measures with no counterpart anywhere</h2>{gap_table}
{_gap_section(data)}
<h2 id="pairs">Aligned pairs</h2><p class="meta">Click a row for its side-by-side redline: shared wording
highlighted, changed wording struck out on the left and inserted on the right, text without counterpart in
grey.</p>{pair_table}
{evo_html}
<script>{bundle}</script>
{''.join(islands)}
<script>{_SCRIPT}</script>
</body></html>
"""
