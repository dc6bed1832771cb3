"""Jupyter front-end: thin ipywidgets + altair views over the pure functions.

``Session`` caches what is slow (documents, measures, themes, an alignment scored down to ``floor``), so
that moving a slider or clicking a cell only filters cached tables. Views:

- ``Explorer``: documents, probability (the pair model's), score threshold, relation and theme filters; an
  overlap heatmap whose cells, when clicked, fill the pair table; choosing a pair shows its wording diff; accept / reject / relabel buttons
  write the review file next to the corpus (``review.py``), which ``align`` and ``report`` respect;
- ``GapBrowser``: the measures of one document with no counterpart, by theme;
- Explorer and GapBrowser have a ``roles`` filter: measure and goal by default (``compare/roles.py``); choosing
  other roles re-aligns once for that choice (cached);
- ``EvolutionView``: a series' flow chart, and a lineage's versions one step at a time.

Every callback is a plain method, so tests drive them without a browser.
"""
from __future__ import annotations

import html
from pathlib import Path

import altair as alt
import ipywidgets as W
import pandas as pd

from . import charts, pipeline, redline, review
from .align import AlignConfig
from .pairmodel import load as load_model
from .changes import classify, summary
from .config import Config
from .diff import diff_texts, measure_side, render_html
from .report import theme_of, themes, unit_of
from .roles import DEFAULT_ROLES, ROLES, parse_roles

_STYLE = """<style>.pc-diff del{background:#fdd;text-decoration:line-through}.pc-diff ins{background:#dfd;
text-decoration:none}.pc-table td,.pc-table th{border:1px solid #ddd;padding:2px 5px;vertical-align:top}
.pc-table{border-collapse:collapse;font-size:12px}</style>"""


def enable_offline() -> None:
    """Altair charts through the offline ``jupyter`` renderer (anywidget; no CDN)."""
    alt.renderers.enable("jupyter", offline=True)
    alt.JupyterChart.enable_offline()


class Session:
    """Cached corpus state for the views."""

    def __init__(self, paths: list[Path] | None = None, *, level: str = "coarse", floor: float = AlignConfig().floor,
                 roles: tuple[str, ...] | str = DEFAULT_ROLES, decisions: Path | str | None = None):
        """``decisions``: the review file to read and write (default: review.tsv next to the corpus, or in the
        current folder for the corpus of an installed package), as ``--decisions`` on the command line."""
        self.paths = [Path(p) for p in paths] if paths else None
        self.config = Config(level=level)
        loaded = pipeline.load(self.paths, config=self.config)
        self.errors = [e.message for e in loaded.errors]
        self.documents = loaded.documents
        self.doc_ids = [d.id for d in self.documents]
        self.region = {d.id: d.meta.region for d in self.documents}
        # every segment (the diff looks any up); ``units`` are those of the chosen roles
        self.measures = {m.measure_id: m for s in pipeline.segment_all(self.documents, config=self.config)
                         for m in s.measures}
        self.theme = {mid: theme_of(m.text) for mid, m in self.measures.items()}
        self.floor = floor
        self.review_file = Path(decisions) if decisions else review.file_for(self.paths, pipeline.BUNDLED_CORPUS)
        self._aligned: dict[tuple[str, ...], object] = {}
        self._evolutions: dict[str, object] = {}
        self.set_roles(roles)

    def set_roles(self, roles: tuple[str, ...] | str) -> None:
        """Align the segments of these roles (cached per choice) and apply the review decisions."""
        self.roles = parse_roles(roles)
        if self.roles not in self._aligned:
            self._aligned[self.roles] = pipeline.align_documents(
                self.documents, config=self.config,
                align_config=AlignConfig(floor=self.floor, min_probability=0.0, roles=self.roles))
        self._raw = self._aligned[self.roles]
        self.units = {mid: m for mid, m in self.measures.items() if m.role in self.roles}
        self._apply_review()

    # ---- pairs
    def _apply_review(self) -> None:
        self.decisions = review.load(self.review_file)
        reviewed = review.apply(self._raw, self.decisions, config=AlignConfig(floor=self.floor, min_probability=0.0,
                                                                              roles=self.roles))
        rows = []
        for p in reviewed.pairs:
            rows.append({"measure_a": p.a.measure_id, "measure_b": p.b.measure_id, "doc_a": p.a.doc_id,
                         "doc_b": p.b.doc_id, "unit_a": unit_of(p.a), "unit_b": unit_of(p.b),
                         "label_a": p.a.label, "label_b": p.b.label, "role_a": p.a.role, "role_b": p.b.role,
                         "score": p.score,
                         "relation": p.relation, "evidence": p.evidence, "whole": p.whole,
                         "probability": p.probability, "identical": p.identical,
                         "terms": " / ".join(p.terms),
                         "theme": self.theme[p.a.measure_id], "text_a": p.a.text, "text_b": p.b.text,
                         "reviewed": p.reason.startswith("reviewed:")})
        self.all_pairs = pd.DataFrame(rows, columns=["measure_a", "measure_b", "doc_a", "doc_b", "unit_a", "unit_b",
                                                     "label_a", "label_b", "role_a", "role_b", "score",
                                                     "relation", "evidence", "whole", "probability", "identical",
                                                     "terms", "theme",
                                                     "text_a", "text_b", "reviewed"])

    def pairs(self, *, min_probability: float | None = None, threshold: float | None = None,
              docs: list[str] | None = None, relations: list[str] | None = None,
              theme: str | None = None, review: bool = False) -> pd.DataFrame:
        """The pairs at least ``min_probability`` probable (the model's default cutoff when None, or with
        ``review`` the screening list's: the model's review cutoff, the most probable ``review_max_pairs`` of
        the whole corpus at most, as ``align --review``) and scoring at least ``threshold`` (when raised above
        the floor), every pair whose wording is identical in a copied block (``AlignConfig.identical``: first in
        the screening list, as in ``align --review``) and every pair a researcher accepted or relabelled."""
        df = self.all_pairs
        cutoff = AlignConfig(review=review).cutoff() if min_probability is None else min_probability
        keep = (df["probability"] >= cutoff - 1e-12) | df["identical"]   # identical wording: whatever the cutoff
        decided = df["reviewed"]
        if review and min_probability is None:   # as align --review caps the screening list (review.apply): the
            top = (df[keep | decided].assign(unreviewed=~decided, other=~df["identical"],   # reviewed pairs first,
                                             minus=-df["probability"])                     # then identical
                   .sort_values(["unreviewed", "other", "minus", "measure_a", "measure_b"])  # wording, then the
                   .head(load_model().review_max_pairs).index)                               # most probable
            keep = pd.Series(df.index.isin(top), index=df.index)
            decided = decided & keep
        if threshold is not None and threshold > self.floor:
            keep &= df["score"] >= threshold
        keep |= decided
        if docs:
            keep &= df["doc_a"].isin(docs) & df["doc_b"].isin(docs)
        if relations:
            keep &= df["relation"].isin(relations)
        if theme:
            keep &= df["theme"] == theme
        return df[keep]

    def overlap(self, pairs: pd.DataFrame, docs: list[str] | None = None) -> pd.DataFrame:
        """Share of each unit's measures with a counterpart in each other unit, for the given pairs."""
        ms = [m for m in self.units.values() if not docs or m.doc_id in docs]
        size: dict[str, int] = {}
        for m in ms:
            size[unit_of(m)] = size.get(unit_of(m), 0) + 1
        matched: dict[tuple[str, str], set[str]] = {}
        for r in pairs[pairs["relation"] != "restates"].itertuples():   # restatements are no overlap
            matched.setdefault((r.unit_a, r.unit_b), set()).add(r.measure_a)
            matched.setdefault((r.unit_b, r.unit_a), set()).add(r.measure_b)
        rows = [{"unit_a": a, "unit_b": b, "matched": len(ids), "measures": size[a], "share": len(ids) / size[a],
                 "region_a": self.region[a.split(" › ")[0]]}
                for (a, b), ids in sorted(matched.items()) if a in size]
        return pd.DataFrame(rows, columns=["unit_a", "unit_b", "matched", "measures", "share", "region_a"])

    def documents_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"doc_id": d.id, "region": d.meta.region, "series": d.meta.series, "kind": d.meta.kind}
                             for d in self.documents], columns=["doc_id", "region", "series", "kind"])

    def against_options(self) -> list[tuple[str, str]]:
        """What a document's gaps can be measured against: anywhere, a region, or one document."""
        from .gaps import city_regions_of, regions_of
        every = [d.meta.region for d in self.documents]
        regions = regions_of(every) + city_regions_of(every)   # 广东省 whole, and each of its cities
        return ([("anywhere", "")] + [(f"region {r}", f"region:{r}") for r in regions]
                + [(d, d) for d in self.doc_ids])

    def matrix(self, pairs: pd.DataFrame, docs: list[str] | None = None, *, rows_of: str = "") -> pd.DataFrame:
        """The Explorer's matrix: documents x documents (``rows_of`` empty), or the sub-documents of document
        ``rows_of`` x the other documents; the share of the row's measures with a counterpart in the column."""
        chosen = [d for d in self.doc_ids if not docs or d in docs]
        short = {d.id: d.meta.short_title for d in self.documents}
        if rows_of:
            rows = sorted({unit_of(m) for m in self.units.values() if m.doc_id == rows_of and m.subdoc})
            row_of = unit_of
        else:
            rows, row_of = chosen, (lambda m: m.doc_id)
        size: dict[str, int] = {}
        for m in self.units.values():
            if m.doc_id in chosen or (rows_of and m.doc_id == rows_of):
                size[row_of(m)] = size.get(row_of(m), 0) + 1
        matched: dict[tuple[str, str], set[str]] = {}
        for r in pairs[pairs["relation"] != "restates"].itertuples():   # restatements are no overlap
            ra, rb = (r.unit_a, r.unit_b) if rows_of else (r.doc_a, r.doc_b)
            matched.setdefault((ra, r.doc_b), set()).add(r.measure_a)
            matched.setdefault((rb, r.doc_a), set()).add(r.measure_b)
        out = []
        for a in rows:
            for b in chosen:
                if a == b or a.split(" › ")[0] == b:
                    n = 0
                else:
                    n = len(matched.get((a, b), ()))
                share = n / size[a] if size.get(a) else 0.0
                out.append({"unit_a": a, "unit_b": b, "row": a.split(" › ")[-1][:22] if rows_of else short[a],
                            "col": short[b], "matched": n, "measures": size.get(a, 0), "share": round(share, 4),
                            "pct": int(round(share * 100)), "dark": share > 0.5})
        df = pd.DataFrame(out, columns=["unit_a", "unit_b", "row", "col", "matched", "measures", "share", "pct", "dark"])
        if rows_of and len(rows) > 30:   # the 30 sub-documents with the most overlap
            top = df.groupby("unit_a")["share"].sum().sort_values(ascending=False, kind="stable").index[:30]
            df = df[df["unit_a"].isin(set(top))]
        return df

    def gaps(self, doc_id: str, *, min_probability: float | None = None, against=None) -> pd.DataFrame:
        """Measures of ``doc_id`` with no counterpart anywhere, or in the documents ``against`` selects
        (``region:Chongqing``, a document id, ``series:…``; see compare/gaps.py)."""
        p = self.pairs(min_probability=min_probability)
        p = p[p["relation"] != "restates"]   # a document restating itself is no counterpart
        if against:
            from .gaps import select
            others = [d for d in select(self.documents_frame(), against) if d != doc_id]
            p = p[((p["doc_a"] == doc_id) & p["doc_b"].isin(others)) | ((p["doc_b"] == doc_id) & p["doc_a"].isin(others))]
        linked = set(p["measure_a"]) | set(p["measure_b"])
        rows = [{"theme": self.theme[m.measure_id], "role": m.role, "label": m.label, "path": " > ".join(m.path),
                 "text": m.text}
                for m in self.units.values() if m.doc_id == doc_id and m.measure_id not in linked]
        return pd.DataFrame(rows, columns=["theme", "role", "label", "path", "text"]).sort_values(
            ["theme", "label"], kind="stable")

    def decide(self, measure_a: str, measure_b: str, decision: str, relation: str = "",
               note: str = "") -> "review.Decision | None":
        """Record a review decision in the review file (atomically) and apply it; the decision it replaced
        (None when the pair had none), for ``restore``."""
        d = review.Decision(measure_a, measure_b, decision, relation, note)
        decisions = dict(review.load(self.review_file))
        before = decisions.get(d.key)
        decisions[d.key] = d
        pipeline.write_atomic(self.review_file, review.dump(decisions))
        self._apply_review()
        return before

    def restore(self, measure_a: str, measure_b: str, before: "review.Decision | None") -> None:
        """Undo a decision: put back the one it replaced, or none."""
        decisions = dict(review.load(self.review_file))
        key = frozenset((measure_a, measure_b))
        if before is None:
            decisions.pop(key, None)
        else:
            decisions[key] = before
        pipeline.write_atomic(self.review_file, review.dump(decisions))
        self._apply_review()

    def groups(self) -> list[str]:
        """Ways to choose documents: "region: …", "kind: …", "series: …" (a region in two spellings, Beijing
        and 北京市, or a district, Beijing (Haidian) and 北京市 (海淀区), is one group, named as its first document
        spells it: ``ingest.region_parts``)."""
        from .ingest import region_parts

        out = []
        for field in ("region", "kind", "series"):
            values = [getattr(d.meta, field) for d in self.documents if getattr(d.meta, field)]
            if field == "region":
                values = list({region_parts(v): v for v in reversed(values)}.values())
            out += [f"{field}: {v}" for v in sorted(set(values))]
        return out

    def members(self, group: str) -> list[str]:
        from .ingest import region_parts

        field, _, value = group.partition(": ")
        if field == "region":
            return [d.id for d in self.documents if d.meta.region and region_parts(d.meta.region) == region_parts(value)]
        return [d.id for d in self.documents if getattr(d.meta, field, None) == value]

    # ---- series
    def series_names(self) -> list[str]:
        return pipeline.series_names(self.documents)

    def evolution(self, name: str):
        if name not in self._evolutions:
            members = pipeline.series_documents(self.documents, name)
            self._evolutions[name] = pipeline.evolve_documents(members, config=self.config)
        return self._evolutions[name]


def _table_html(df: pd.DataFrame, cols: list[str], limit: int = 60) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(r[c])[:160])}</td>" for c in cols) + "</tr>"
                   for _, r in df.head(limit).iterrows())
    more = f"<p>{len(df) - limit} more…</p>" if len(df) > limit else ""
    return f'{_STYLE}<table class="pc-table"><tr>{head}</tr>{body}</table>{more}'


def _roles_widget(session: Session) -> W.SelectMultiple:
    return W.SelectMultiple(options=list(ROLES), value=tuple(session.roles), rows=5, description="roles")


class Explorer(W.VBox):
    """Two tabs: filters and a clickable overlap heatmap; and the review of pairs (a click on a cell opens it):
    previous / next, accept / reject / relabel, undo and the decision count above the list of the cell's
    pairs and the side-by-side redline of the chosen pair, all on one screen at 1,366 × 768."""

    def __init__(self, session: Session):
        self.s = session
        self.docs = W.SelectMultiple(options=session.doc_ids, value=tuple(session.doc_ids), rows=5,
                                     description="documents")
        self.group = W.Dropdown(options=[("all documents", "")] + [(g, g) for g in session.groups()],
                                value="", description="choose")
        self.group.observe(lambda _c: self.choose_group(self.group.value), names="value")
        self.probability = W.FloatSlider(value=AlignConfig().cutoff(), min=0, max=1, step=0.01,
                                         description="probability", continuous_update=False)
        # the screening list (align --review): the model's review cutoff and cap, in place of the slider
        self.screening = W.Checkbox(value=False, description="screening list (--review)", indent=False)
        self.screening.observe(lambda c: setattr(self.probability, "disabled", c["new"]), names="value")
        self.threshold = W.FloatSlider(value=session.floor, min=session.floor, max=100, step=1,
                                       description="min score", continuous_update=False)
        self.relations = W.SelectMultiple(options=["same", "contains", "related", "restates"],
                                          value=("same", "contains", "related", "restates"), rows=4,
                                          description="relations")
        self.theme = W.Dropdown(options=[("all themes", "")] + [(n, n) for n, _ in themes()], value="",
                                description="theme")
        self.roles = _roles_widget(session)
        self.roles.observe(lambda _c: self.choose_roles(self.roles.value), names="value")
        with_subdocs = sorted({m.doc_id for m in session.measures.values() if m.subdoc})
        self.rows_of = W.Dropdown(options=[("documents", "")] + [(f"sub-documents of {d}", d) for d in with_subdocs],
                                  value="", description="rows")
        self.cell: tuple[str, str] | None = None
        self.shown: tuple[str, str] | None = None     # the pair whose redline is on screen: decisions apply to it
        self._resume = 0                              # where next › goes after a decision
        self.undo_stack: list[tuple[str, str, object]] = []
        self.decided = 0
        self.pair_choice = W.Select(options=[], description="pair", rows=6, layout=W.Layout(width="98%"))
        self.table = W.HTML()
        self.diff = W.HTML(layout=W.Layout(max_height="330px", overflow="auto"))
        self.status = W.HTML()
        self.count = W.HTML()
        self.relabel_as = W.Dropdown(options=list(review.RELATIONS), value="same", description="relabel as",
                                     layout=W.Layout(width="210px"))
        self.buttons = {}
        for label, decision, style in (("accept", "accept", "success"), ("reject", "reject", "danger"),
                                       ("relabel", "relabel", "warning")):
            b = W.Button(description=label, button_style=style, layout=W.Layout(width="80px"))
            b.on_click(lambda _b, d=decision: self.review(d))
            self.buttons[decision] = b
        self.prev_button = W.Button(description="‹ previous", layout=W.Layout(width="95px"))
        self.next_button = W.Button(description="next ›", layout=W.Layout(width="80px"))
        self.undo_button = W.Button(description="undo", layout=W.Layout(width="70px"), disabled=True)
        self.prev_button.on_click(lambda _b: self.step(-1))
        self.next_button.on_click(lambda _b: self.step(1))
        self.undo_button.on_click(lambda _b: self.undo())
        self.heatmap = alt.JupyterChart(self._heatmap_chart(self._filtered()))
        # the chart's public ``selections`` object is replaced whenever the chart changes: watch the synced state
        self.heatmap.observe(self._on_selection, names="_vl_selections")
        for w in (self.docs, self.probability, self.screening, self.threshold, self.relations, self.theme,
                  self.rows_of):
            w.observe(lambda _c: self.refresh(), names="value")
        self.pair_choice.observe(lambda _c: self.show_diff(), names="value")
        overview = W.VBox([W.HBox([W.VBox([self.group, self.docs, self.roles]),
                                   W.VBox([self.probability, self.screening, self.threshold, self.relations,
                                           self.theme, self.rows_of])]),
                           self.status, self.heatmap, self.table])
        # the review tab: the pair list, the redline and the decisions, together on one screen
        reviewing = W.VBox([W.HBox([self.prev_button, self.next_button, *self.buttons.values(), self.relabel_as,
                                    self.undo_button, self.count]),
                            self.status, self.pair_choice, self.diff])
        self.tabs = W.Tab(children=[overview, reviewing])
        self.tabs.set_title(0, "overview and filters")
        self.tabs.set_title(1, "review pairs")
        super().__init__([self.tabs])
        self.refresh()

    # ---- callbacks
    def choose_roles(self, roles) -> None:
        """Align the segments of these roles (measure and goal by default) and redraw."""
        if roles:
            self.s.set_roles(tuple(roles))
            self.cell = None
            self.refresh()

    def choose_group(self, group: str) -> None:
        """Select the documents of a region, a kind or a series ("region: Beijing"), or all of them."""
        self.docs.value = tuple(self.s.members(group)) if group else tuple(self.s.doc_ids)

    def _filtered(self) -> pd.DataFrame:
        return self.s.pairs(min_probability=None if self.screening.value else self.probability.value,
                            review=self.screening.value, threshold=self.threshold.value,
                            docs=list(self.docs.value), relations=list(self.relations.value),
                            theme=self.theme.value or None)

    def _heatmap_chart(self, pairs: pd.DataFrame) -> alt.LayerChart:
        """Documents x documents (or one document's sub-documents x documents): shares printed in the cells on
        a fixed 0–1 scale, white where nothing is shared, short titles as labels."""
        df = self.s.matrix(pairs, list(self.docs.value), rows_of=self.rows_of.value)
        rows = list(dict.fromkeys(df["row"]))
        cols = list(dict.fromkeys(df["col"]))
        cell = max(18, min(48, 420 // max(1, len(rows), len(cols))))
        sel = alt.selection_point(name="cell", fields=["unit_a", "unit_b"], on="click", empty=False)
        return charts.share_matrix(df, rows=rows, cols=cols, cell_w=cell, cell_h=cell, label_limit=240,
                                   text=cell >= 24, selection=sel,
                                   tooltip=["unit_a:N", "unit_b:N", "matched:Q", "measures:Q",
                                            alt.Tooltip("share:Q", format=".1%")])

    def refresh(self) -> None:
        if tuple(self.roles.value) != self.s.roles:   # another view of the session chose other roles
            self.roles.value = self.s.roles
        pairs = self._filtered()
        self.heatmap.chart = self._heatmap_chart(pairs)
        self._fill(pairs)

    def _on_selection(self, change) -> None:
        """A click on a heatmap cell: the browser syncs the Vega signal of the ``cell`` point selection."""
        from altair.utils.selection import PointSelection

        signal = ((change["new"] or {}).get("cell") or {}).get("value")
        points = PointSelection.from_vega("cell", signal, []).value if signal else []
        if points:
            self.select_cell(points[0].get("unit_a"), points[0].get("unit_b"))

    def select_cell(self, unit_a: str | None, unit_b: str | None) -> None:
        self.cell = (unit_a, unit_b) if unit_a and unit_b else None
        self._fill(self._filtered())
        if self.cell:
            self.tabs.selected_index = 1   # to the cell's pairs, their redlines and the decisions

    def _fill(self, pairs: pd.DataFrame) -> None:
        if self.cell:   # a document (doc_a/doc_b) or a sub-document (unit_a/unit_b) on either side
            a, b = self.cell
            col_a = "unit_a" if " › " in a else "doc_a"
            col_b = "unit_b" if " › " in b else "doc_b"
            rev_a = "unit_b" if " › " in a else "doc_b"
            rev_b = "unit_a" if " › " in b else "doc_a"
            pairs = pairs[((pairs[col_a] == a) & (pairs[col_b] == b)) | ((pairs[rev_a] == a) & (pairs[rev_b] == b))]
        # identical wording in a copied block first (kept whatever the probability), then the most probable; ties
        # in a fixed order, so that a decision does not reshuffle the list
        pairs = pairs.assign(_p=pairs["probability"].fillna(-1.0)).sort_values(
            ["identical", "_p", "score", "measure_a", "measure_b"], ascending=[False, False, False, True, True],
            kind="mergesort")
        where = f"{self.cell[0]} × {self.cell[1]}" if self.cell else "all documents"
        cutoff = (f"screening list (probability ≥ {AlignConfig(review=True).cutoff():g}, the most probable "
                  f"{load_model().review_max_pairs:,} at most)" if self.screening.value
                  else f"probability ≥ {self.probability.value:g}")
        cutoff += " or copied wording" if pairs["identical"].any() else ""
        self.status.value = html.escape(f"{len(pairs)} pairs · {where} · {cutoff} · "
                                        f"score ≥ {self.threshold.value:g}")
        self.table.value = _table_html(pairs.assign(score=pairs["score"].round(1)),
                                       ["score", "relation", "doc_a", "label_a", "role_a", "doc_b", "label_b", "role_b",
                                        "terms", "text_a"])
        options = [(f"{r.probability:.2f} {r.relation}{', copied wording' if r.identical else ''} · {r.doc_a} "
                     f"{r.label_a} ↔ {r.doc_b} {r.label_b}"
                    if pd.notna(r.probability) else f"{r.score:.0f} {r.doc_a} {r.label_a} ↔ {r.doc_b} {r.label_b}",
                    (r.measure_a, r.measure_b)) for r in pairs.head(500).itertuples()]
        keep = self.pair_choice.value
        self.pair_choice.options = options
        values = [v for _, v in options]
        if self.shown is None and keep is None:
            self.pair_choice.value = values[0] if values else None   # the best pair is shown at once
        elif keep in values:
            self.pair_choice.value = keep
        self.show_diff()
        self._count()

    def _count(self) -> None:
        total = len(review.load(self.s.review_file)) if self.s.review_file.is_file() else 0
        self.count.value = html.escape(f" {self.decided} decided here · {total} in {self.s.review_file.name}")

    def step(self, by: int) -> None:
        """The previous or next pair of the list."""
        values = [v for _, v in self.pair_choice.options]
        if not values:
            return
        if self.pair_choice.value in values:
            target = values.index(self.pair_choice.value) + by
        else:   # after a decision: on from where the decided pair was (it may have left the list)
            target = self._resume if by > 0 else self._resume - 1
        self.pair_choice.value = values[max(0, min(len(values) - 1, target))]

    def undo(self) -> None:
        if not self.undo_stack:
            return
        a, b, before = self.undo_stack.pop()
        self.s.restore(a, b, before)
        self.decided = max(0, self.decided - 1)
        self.undo_button.disabled = not self.undo_stack
        self.refresh()

    def show_diff(self) -> None:
        choice = self.pair_choice.value
        self.shown = choice
        for b in self.buttons.values():
            b.disabled = not choice
        if not choice:
            self.diff.value = ""
            return
        a, b = self.s.measures[choice[0]], self.s.measures[choice[1]]
        changes = classify(diff_texts(a.text, b.text))
        row = self.s.all_pairs[(self.s.all_pairs["measure_a"] == a.measure_id)
                               & (self.s.all_pairs["measure_b"] == b.measure_id)]
        header = redline.pair_header(str(row["relation"].iloc[0]) if len(row) else "",
                                     float(row["probability"].iloc[0]) if len(row) and
                                     pd.notna(row["probability"].iloc[0]) else None,
                                     str(row["terms"].iloc[0]).split(" / ") if len(row) and row["terms"].iloc[0] else ())
        header += f" · {summary(changes) or 'no classified change'}"
        docs = {d.id: d for d in self.s.documents}
        self.diff.value = (f'{_STYLE}<style>{redline.CSS}</style><div class="pc-diff">'
                           + redline.render(measure_side(docs[a.doc_id], a), measure_side(docs[b.doc_id], b),
                                            title_old=redline.side_title(a.doc_id, a),
                                            title_new=redline.side_title(b.doc_id, b), header=header)
                           + '</div>')

    def review(self, decision: str) -> None:
        """Decide on the pair on screen. The list then moves to no pair: the buttons wait until the reader has
        chosen the next one (next ›), so that no decision falls on a pair nobody has looked at."""
        choice = self.shown
        if not choice:
            return
        values = [v for _, v in self.pair_choice.options]
        here = values.index(choice) if choice in values else 0
        before = self.s.decide(choice[0], choice[1], decision,
                               self.relabel_as.value if decision == "relabel" else "")
        self.undo_stack.append((choice[0], choice[1], before))
        self.undo_button.disabled = False
        self.decided += 1
        self.pair_choice.value = None
        self.refresh()
        values = [v for _, v in self.pair_choice.options]
        # next › goes to the pair after the decided one: the one after it when it stays in the list (accepted,
        # relabelled), the one now in its place when it left it (rejected)
        self._resume = values.index(choice) + 1 if choice in values else here
        self.pair_choice.value = None
        self.diff.value = html.escape(f"{decision}: {choice[0]} ↔ {choice[1]} — saved. ") + (
            "Choose the next pair (next ›)." if values else "No pairs left.")


class GapBrowser(W.VBox):
    """Measures of one document with no counterpart in the others, by theme."""

    def __init__(self, session: Session):
        self.s = session
        self.doc = W.Dropdown(options=session.doc_ids, description="document")
        self.against = W.Dropdown(options=session.against_options(), value="", description="absent from")
        self.probability = W.FloatSlider(value=AlignConfig().cutoff(), min=0, max=1, step=0.01,
                                         description="probability", continuous_update=False)
        self.theme = W.Dropdown(options=[("all themes", "")] + [(n, n) for n, _ in themes()] + [("other", "other")],
                                value="", description="theme")
        self.roles = _roles_widget(session)
        self.out = W.HTML()
        for w in (self.doc, self.against, self.probability, self.theme):
            w.observe(lambda _c: self.refresh(), names="value")
        self.roles.observe(lambda _c: self.choose_roles(self.roles.value), names="value")
        super().__init__([W.HBox([self.doc, self.against, self.theme]), W.HBox([self.probability, self.roles]),
                          self.out])
        self.refresh()

    def choose_roles(self, roles) -> None:
        if roles:
            self.s.set_roles(tuple(roles))
            self.refresh()

    def refresh(self) -> None:
        if tuple(self.roles.value) != self.s.roles:   # another view of the session chose other roles
            self.roles.value = self.s.roles
        gaps = self.s.gaps(self.doc.value, min_probability=self.probability.value, against=self.against.value or None)
        if self.theme.value:
            gaps = gaps[gaps["theme"] == self.theme.value]
        counts = gaps.groupby("theme").size().to_dict()
        where = f"in {self.against.label}" if self.against.value else "anywhere"
        head = html.escape(f"{len(gaps)} measures without counterpart {where}: " +
                           ", ".join(f"{k} {v}" for k, v in counts.items()))
        self.out.value = f"<p>{head}</p>" + _table_html(gaps, ["theme", "role", "label", "text"], limit=200)


class EvolutionView(W.VBox):
    """A series' flow chart; step through the versions of one lineage."""

    def __init__(self, session: Session):
        self.s = session
        names = session.series_names()
        self.series = W.Dropdown(options=names, description="series")
        self.lineage = W.Dropdown(options=[], description="lineage", layout=W.Layout(width="95%"))
        self.step = W.IntSlider(value=1, min=1, max=1, description="version")
        self.chart = alt.JupyterChart(alt.Chart(pd.DataFrame({"x": []})).mark_point())
        self.text = W.HTML()
        self.series.observe(lambda _c: self.load_series(), names="value")
        self.lineage.observe(lambda _c: self.load_lineage(), names="value")
        self.step.observe(lambda _c: self.show_step(), names="value")
        super().__init__([self.series, self.chart, self.lineage, self.step, self.text])
        if names:
            self.load_series()

    def load_series(self) -> None:
        ev = self.s.evolution(self.series.value)
        self.chart.chart = charts.flow_chart(ev, width=520, height=260)
        ranked = sorted(ev.lineages, key=lambda lg: (-lg.revisions, -len(lg.steps), lg.lineage_id))
        self.lineage.options = [(f"{lg.revisions} revisions · {lg.steps[0].label} {lg.steps[0].text[:30]}",
                                 lg.lineage_id) for lg in ranked[:300]]
        if self.lineage.options:   # open on the most revised lineage
            self.lineage.value = self.lineage.options[0][1]
            self.load_lineage()

    def load_lineage(self) -> None:
        lg = self._current()
        if lg is None:
            return
        self.step.max = len(lg.steps)
        self.step.value = 1
        self.show_step()

    def _current(self):
        ev = self.s.evolution(self.series.value)
        return next((lg for lg in ev.lineages if lg.lineage_id == self.lineage.value), None)

    def show_step(self) -> None:
        lg = self._current()
        if lg is None:
            return
        k = min(self.step.value, len(lg.steps)) - 1
        st = lg.steps[k]
        docs = self.s.evolution(self.series.value).documents
        body = html.escape(st.text)
        if k > 0 and st.status in ("revised", "merged", "split"):
            body = render_html(diff_texts(lg.steps[k - 1].text, st.text))
        if st.status == "dropped":   # the text is the previous version's: say where it comes from
            source = docs[st.batch - 2] if st.batch >= 2 else st.doc_id
            where = (f"batch {st.batch} · not in {html.escape(st.doc_id)} · the text as last seen in "
                     f"{html.escape(source)} {html.escape(st.label)}")
        else:
            where = f"batch {st.batch} · {html.escape(st.doc_id)} · {html.escape(st.label)}"
        self.text.value = (f'{_STYLE}<div class="pc-diff"><b>{where} · {html.escape(st.status)}</b> '
                           f'<i>{html.escape(st.changes)}</i><br>{body}</div>')


def lawref_versions(title: str = "北京市优化营商环境条例") -> list[Path]:
    """Dated versions of a lawref title, when ../shared/corpus/lawref is there (else an empty list)."""
    root = pipeline.BUNDLED_CORPUS.parent.parent / "shared" / "corpus" / "lawref"
    if not root.is_dir():
        return []
    return next((files for t, files in pipeline.dated_series(root).items() if t == title), [])


__all__ = ["Session", "Explorer", "GapBrowser", "EvolutionView", "enable_offline", "lawref_versions"]
