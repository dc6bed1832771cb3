"""Altair charts of a series' evolution. Each function returns an altair chart value (``to_dict()`` gives
its Vega-Lite spec); nothing here renders or touches files. CJK text needs a CJK font where it is drawn."""
from __future__ import annotations

import altair as alt
import pandas as pd

from .evolve import STATUSES, Evolution

COLORS = {"unchanged": "#9e9e9e", "moved": "#bdbdbd", "revised": "#1f77b4", "merged": "#9467bd",
          "split": "#17becf", "dropped": "#d62728", "new": "#2ca02c"}
FONT = "WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif"


SHARE_SCALE = alt.Scale(domain=[0, 1], range=["#f7fbff", "#08306b"], interpolate="rgb")   # fixed: 1 darkest


def share_color():
    """The fixed 0–1 scale of shares, and white where nothing is shared."""
    return alt.condition("datum.share == 0", alt.value("#ffffff"),
                         alt.Color("share:Q", scale=SHARE_SCALE, title="share", legend=alt.Legend(format=".0%")))


def share_matrix(df: pd.DataFrame, *, rows: list[str], cols: list[str], cell_w: int, cell_h: int, tooltip: list,
                 label_limit: int = 220, text: bool = True, text_size: int = 11, selection=None,
                 title: str | None = None) -> alt.LayerChart:
    """A matrix of shares (the overlap views of the report and the Explorer): ``df`` has ``row``, ``col``,
    ``share``, ``matched``, ``pct`` and ``dark``; the share printed in the cells where anything is shared
    (``15%``; ``<1%`` and ``>99%`` for shares that round to 0 and 100); a click selects a cell when
    ``selection`` is given. The data travel inline (no row limit)."""
    base = alt.Chart(alt.Data(values=df.to_dict("records"))).encode(
        y=alt.Y("row:N", sort=rows, title=None, axis=alt.Axis(labelLimit=label_limit)),
        x=alt.X("col:N", sort=cols, title=None,
                axis=alt.Axis(labelAngle=-45 if cell_w >= 28 else -90, labelLimit=160, orient="top")))
    stroke = (alt.condition(selection, alt.value("black"), alt.value("#dddddd")) if selection is not None
              else alt.value("#dddddd"))
    rect = base.mark_rect(strokeWidth=0.5).encode(color=share_color(), stroke=stroke, tooltip=tooltip)
    layers = [rect.add_params(selection) if selection is not None else rect]
    if text:
        layers.append(base.transform_filter("datum.matched > 0").transform_calculate(
            pct_label="datum.pct == 0 ? '<1%' : datum.pct == 100 && datum.share < 1 ? '>99%' : datum.pct + '%'"
        ).mark_text(fontSize=text_size).encode(   # 15%, as the legend reads
            text=alt.Text("pct_label:N"),
            color=alt.condition("datum.dark", alt.value("white"), alt.value("#222222"))))
    chart = alt.layer(*layers, title=title) if title else alt.layer(*layers)
    return chart.properties(width=cell_w * len(cols), height=cell_h * len(rows))


def _status_scale() -> alt.Scale:
    return alt.Scale(domain=list(STATUSES), range=[COLORS[s] for s in STATUSES])


def _batch_axis(ev: Evolution) -> alt.Axis:
    names = [f"{i + 1}. {d}" for i, d in enumerate(ev.documents)]
    js = "[" + ",".join(repr(n) for n in names) + "]"
    return alt.Axis(values=list(range(1, len(names) + 1)), labelExpr=f"{js}[datum.value - 1]", title="batch",
                    labelAngle=0, labelLimit=220)


def flow_frame(ev: Evolution) -> pd.DataFrame:
    """Bands of the flow chart: for each transition and status, its interval at both batches."""
    rows = []
    for b in range(2, len(ev.documents) + 1):
        steps = [s for s in ev.steps if s.batch == b]
        left: dict[str, int] = {}
        right: dict[str, int] = {}
        for st in STATUSES:
            these = [s for s in steps if s.status == st]
            if st in ("merged", "split"):
                left[st] = len({p for s in these for p in s.prev_measure_id.split(",") if p})
                right[st] = len({s.measure_id for s in these})
            else:
                left[st] = 0 if st == "new" else len(these)
                right[st] = 0 if st == "dropped" else len(these)
        y_l = y_r = 0
        for st in STATUSES:
            if left[st] == right[st] == 0:
                continue
            band = f"{b - 1}->{b} {st}"
            rows.append({"band": band, "status": st, "x": b - 1, "y": y_l, "y2": y_l + left[st],
                         "measures": left[st], "transition": f"{ev.documents[b - 2]} → {ev.documents[b - 1]}"})
            rows.append({"band": band, "status": st, "x": b, "y": y_r, "y2": y_r + right[st],
                         "measures": right[st], "transition": f"{ev.documents[b - 2]} → {ev.documents[b - 1]}"})
            y_l += left[st]
            y_r += right[st]
    return pd.DataFrame(rows, columns=["band", "status", "x", "y", "y2", "measures", "transition"])


def flow_chart(ev: Evolution, *, width: int = 640, height: int = 360) -> alt.Chart:
    """An alluvial-style flow of measures between batches: one band per transition and status."""
    return (alt.Chart(flow_frame(ev), title="Measures from batch to batch")
            .mark_area(interpolate="monotone", opacity=0.7, line=True)
            .encode(x=alt.X("x:Q", axis=_batch_axis(ev), scale=alt.Scale(nice=False)),
                    y=alt.Y("y:Q", title="measures"), y2="y2:Q",
                    color=alt.Color("status:N", scale=_status_scale(), title="status"),
                    detail="band:N",
                    tooltip=["transition:N", "status:N", "measures:Q"])
            .properties(width=width, height=height)
            .configure(font=FONT))


def status_frame(ev: Evolution) -> pd.DataFrame:
    rows = []
    for row in ev.transition_counts():
        for st in STATUSES:
            if row[st]:
                rows.append({"transition": f"{row['from']} → {row['to']}", "batch": row["batch"], "status": st,
                             "measures": row[st]})
    return pd.DataFrame(rows, columns=["transition", "batch", "status", "measures"])


def status_bars(ev: Evolution, *, width: int = 480) -> alt.Chart:
    """Per transition, a stacked bar of the statuses of the new batch's measures (and the dropped ones)."""
    order = {s: i for i, s in enumerate(STATUSES)}
    df = status_frame(ev).assign(order=lambda d: d["status"].map(order))
    return (alt.Chart(df, title="Status of measures per transition")
            .mark_bar()
            .encode(y=alt.Y("transition:N", sort=alt.SortField("batch"), title=None),
                    x=alt.X("measures:Q", stack="zero", title="measures"),
                    color=alt.Color("status:N", scale=_status_scale(), title="status"),
                    order=alt.Order("order:Q"),
                    tooltip=["transition:N", "status:N", "measures:Q"])
            .properties(width=width)
            .configure(font=FONT))


def timeline_frame(ev: Evolution, lineage_ids: list[str] | None = None, *, limit: int = 30) -> pd.DataFrame:
    chosen = lineage_ids or [lg.lineage_id for lg in sorted(ev.lineages, key=lambda lg: (-lg.revisions, lg.lineage_id))
                             if lg.revisions][:limit]
    wanted = set(chosen)
    rows = []
    for lg in ev.lineages:
        if lg.lineage_id not in wanted:
            continue
        name = f"{lg.steps[0].label} {lg.steps[0].text[:18]}"
        for s in lg.steps:
            rows.append({"lineage": name, "lineage_id": lg.lineage_id, "batch": s.batch, "status": s.status,
                         "label": s.label, "changes": s.changes, "text": s.text[:80]})
    return pd.DataFrame(rows, columns=["lineage", "lineage_id", "batch", "status", "label", "changes", "text"])


def lineage_timeline(ev: Evolution, lineage_ids: list[str] | None = None, *, limit: int = 30,
                     width: int = 480) -> alt.LayerChart:
    """One row per lineage (by default the most revised), a point per version coloured by status."""
    df = timeline_frame(ev, lineage_ids, limit=limit)
    base = alt.Chart(df, title="Lineages").encode(
        x=alt.X("batch:Q", axis=_batch_axis(ev), scale=alt.Scale(domain=[0.8, len(ev.documents) + 0.2])),
        y=alt.Y("lineage:N", title=None, sort=None))
    line = base.mark_line(color="#cccccc").encode(detail="lineage_id:N")
    points = base.mark_circle(size=90, opacity=1).encode(
        color=alt.Color("status:N", scale=_status_scale(), title="status"),
        tooltip=["label:N", "status:N", "changes:N", "text:N"])
    return alt.layer(line, points).properties(width=width).configure(font=FONT)
