"""Reports: exports, determinism, safety (untrusted text), and a real browser (Playwright + Debian chromium)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from compare import pipeline
from compare.report import theme_of

from .conftest import run_cli

CHROMIUM = "/usr/bin/chromium"
EVIL = ("一、主要任务\n(一)推进<script>window.__pwned=1;alert('x')</script>数字贸易港建设。"
        "支持<img src=x onerror=\"window.__pwned=2\">跨境数据流动试点。\n"
        "(二)建设<a href=\"javascript:window.__pwned=3\">点我</a>国际信息产业和数字贸易港。\n")


@pytest.fixture(scope="module")
def bundled_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    index, loaded = pipeline.write_report(None, out)
    assert not loaded.errors
    return out


@pytest.fixture(scope="module")
def evil_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("evil_docs")
    (folder / "evil.txt").write_text(EVIL, encoding="utf-8")
    (folder / "haidian.txt").write_bytes((pipeline.BUNDLED_CORPUS / "haidian_liangqu_implementation_plan.txt")
                                         .read_bytes())
    (folder / "<b>broken.pdf").write_bytes(b"<html>a download that failed</html>")   # cannot be read
    out = tmp_path_factory.mktemp("evil_report")
    pipeline.write_report([folder], out)
    return out


def test_exports_and_manifest(bundled_report):
    names = {p.name for p in bundled_report.iterdir()}
    for stem in ("measures", "pairs", "lineage", "overlap"):
        assert {f"{stem}.csv", f"{stem}.parquet"} <= names
    assert {"index.html", "report.xlsx", "manifest.json"} <= names
    manifest = json.loads((bundled_report / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["engine_version"] and len(manifest["config_hash"]) == 16
    assert {i["doc_id"] for i in manifest["inputs"]} == {"haidian_plan", "chongqing_rectification",
                                                        "compilation_2021q1", "npc_research_2020",
                                                        "progress_report_2021"}
    measures = pd.read_parquet(bundled_report / "measures.parquet")
    assert len(measures) == manifest["counts"]["measures"] == len(pd.read_csv(bundled_report / "measures.csv"))
    assert set(pd.ExcelFile(bundled_report / "report.xlsx").sheet_names) == {
        "documents", "measures", "pairs", "overlap", "overlap_documents", "gaps_between_regions", "lineage"}
    overlap = pd.read_csv(bundled_report / "overlap.csv")
    # sub-documents of the compilation are rows of their own; the matrix is asymmetric
    assert (overlap["unit_a"] == "compilation_2021q1 › 航空服务领域“两区”建设工作方案").any()
    row = overlap[(overlap["unit_a"] == "haidian_plan") & (overlap["unit_b"].str.contains("知识产权局"))]
    col = overlap[(overlap["unit_b"] == "haidian_plan") & (overlap["unit_a"].str.contains("知识产权局"))]
    assert row["share"].iloc[0] > 0 and row["share"].iloc[0] != col["share"].iloc[0]


def test_report_is_deterministic_whatever_the_worker_count(bundled_report, tmp_path):
    """Run again, from the command line in two worker processes: every file the same, byte for byte."""
    r = run_cli("report", "--workers", "2", "--out", str(tmp_path / "w2"), "--quiet")
    assert r.returncode == 0, r.stderr[-1500:]
    assert sorted(f.name for f in bundled_report.iterdir()) == sorted(f.name for f in (tmp_path / "w2").iterdir())
    for f in bundled_report.iterdir():
        assert f.read_bytes() == (tmp_path / "w2" / f.name).read_bytes(), f.name


def test_html_is_standalone(bundled_report):
    page = (bundled_report / "index.html").read_text(encoding="utf-8")
    assert "vegaEmbed" in page and "cdn.jsdelivr" not in page and "https://" not in page.split("<script>")[0]
    assert page.count('type="application/json" class="spec"') >= 4  # overlap, themes, flow, status bars


def test_untrusted_text_is_escaped(evil_report):
    page = (evil_report / "index.html").read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in page and "<img src=x" not in page and "<a href=\"javascript" not in page
    # in the tables' JSON (as text, which the page sets as text) or in a redline (HTML-escaped, then JSON-escaped)
    assert "\\u003cscript\\u003ewindow.__pwned=1" in page or "\\u0026lt;script\\u0026gt;window.__pwned=1" in page


def test_a_document_that_could_not_be_read_is_named_on_the_page(evil_report):
    """The page says which documents are missing from it and why (the manifest's errors), escaped: a reader of
    index.html alone would otherwise take the report for the whole folder."""
    page = (evil_report / "index.html").read_text(encoding="utf-8")
    manifest = json.loads((evil_report / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["errors"]) == 1 and "<b>broken.pdf: is not a PDF file" in manifest["errors"][0]
    assert "1 document(s) could not be read and are not in this report" in page
    assert "&lt;b&gt;broken.pdf: is not a PDF file" in page and "<b>broken" not in page
    assert {i["doc_id"] for i in manifest["inputs"]} == {"evil", "haidian"}


def test_document_overlap_and_directional_gaps(bundled_report):
    """The document-level matrix and the gaps between regions, checked against pairs.csv directly."""
    pairs = pd.read_csv(bundled_report / "pairs.csv")
    pairs = pairs[pairs["relation"] != "restates"]
    measures = pd.read_csv(bundled_report / "measures.csv")
    docs = pd.read_csv(bundled_report / "overlap_documents.csv")
    assert len(docs) == 25 and (docs.loc[docs["doc_a"] == docs["doc_b"], "share"] == 0).all()
    cq = measures[measures["doc_id"] == "chongqing_rectification"]
    linked = set(pairs.loc[pairs["doc_b"] == "chongqing_rectification", "measure_a"]) | \
        set(pairs.loc[pairs["doc_a"] == "chongqing_rectification", "measure_b"])
    hd = measures[measures["doc_id"] == "haidian_plan"]
    row = docs[(docs["doc_a"] == "haidian_plan") & (docs["doc_b"] == "chongqing_rectification")].iloc[0]
    assert row["matched"] == hd["measure_id"].isin(linked).sum() and row["measures"] == len(hd)
    assert row["short_a"] == "海淀两区实施方案"
    gaps = pd.read_csv(bundled_report / "gaps_between_regions.csv")
    assert set(zip(gaps["from"], gaps["to"])) == {("Beijing", "Chongqing"), ("Chongqing", "Beijing")}
    beijing = set(measures.loc[measures["doc_id"] != "chongqing_rectification", "doc_id"])
    into_bj = set(pairs.loc[pairs["doc_b"].isin(beijing) & (pairs["doc_a"] == "chongqing_rectification"), "measure_a"]) | \
        set(pairs.loc[pairs["doc_a"].isin(beijing) & (pairs["doc_b"] == "chongqing_rectification"), "measure_b"])
    cq_gaps = gaps[gaps["from"] == "Chongqing"]
    assert set(cq_gaps["measure_id"]) == set(cq["measure_id"]) - into_bj and len(cq_gaps) > 0
    bj_gaps = gaps[gaps["from"] == "Beijing"]
    assert set(bj_gaps["measure_id"]) == set(measures.loc[measures["doc_id"].isin(beijing), "measure_id"]) - linked


def test_overlap_chart_spec(bundled_report):
    """Fixed 0–1 scale with zero white, values printed in the cells, short titles as labels, no row limit."""
    from compare import report as rep

    data = _report_data()
    spec = rep.overlap_matrix(data).to_dict()
    rect, text = spec["layer"]
    color = rect["encoding"]["color"]
    assert color["condition"]["value"] == "#ffffff" and color["condition"]["test"] == "datum.share == 0"
    assert color["scale"]["domain"] == [0, 1]
    assert text["mark"]["type"] == "text" and text["encoding"]["text"]["field"] == "pct_label"
    assert {"calculate": "datum.pct == 0 ? '<1%' : datum.pct == 100 && datum.share < 1 ? '>99%' : datum.pct + '%'",
            "as": "pct_label"} in text["transform"]
    values = spec["data"]["values"] if "data" in spec else spec["layer"][0]["data"]["values"]
    assert {v["row"] for v in values} == set(data.documents["short"])
    big = data.overlap_docs
    many = pd.concat([big.assign(doc_a=big["doc_a"] + f"#{k}", doc_b=big["doc_b"] + f"#{k}") for k in range(60)])
    order = rep.matrix_order(many, top=40)
    assert len(order) == 40 and len(set(order)) == 40      # 300 documents: the 40 with most overlap


_DATA = {}


def _report_data():
    """The report tables of the bundled corpus (built once)."""
    if "data" not in _DATA:
        from compare import report as rep
        from compare.roles import select

        loaded = pipeline.load(None)
        segmented = pipeline.segment_all(loaded.documents)
        every = [m for s_ in segmented for m in s_.measures]
        alignment = pipeline.align_documents(loaded.documents)
        _DATA["data"] = rep.build(loaded.documents, select(every, ("measure", "goal")), alignment, [], segments=every)
    return _DATA["data"]


def test_themes_from_the_lexicon():
    assert theme_of("探索建立公允的知识产权评估机制,完善知识产权质押登记制度") == "intellectual property"
    assert theme_of("全面升级国际贸易单一窗口,推进通关便利化") == "trade facilitation"
    assert theme_of("召开会议") == "other"


def test_report_cli_default_folder(tmp_path):
    """The page is titled after what it reports on (a newcomer's reports were all "policy-compare report"); the
    corpus table has no "short" column when no document has a short title of its own (it repeated the title
    and pushed the table past the window)."""
    import re
    import shutil

    r = run_cli("report", "--out", str(tmp_path / "r"))
    assert r.returncode == 0 and "report written" in r.stdout and (tmp_path / "r" / "index.html").exists()
    page = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert "<title>policy-compare report: the bundled corpus</title>" in page
    mine = tmp_path / "my_docs"
    mine.mkdir()
    for name in ("haidian_liangqu_implementation_plan.txt", "chongqing_ftz_rectification_report_2024.txt"):
        shutil.copyfile(pipeline.BUNDLED_CORPUS / name, mine / name)
    r = run_cli("report", str(mine), "--out", str(tmp_path / "m"), "--quiet")
    page = (tmp_path / "m" / "index.html").read_text(encoding="utf-8")
    assert r.returncode == 0 and "<title>policy-compare report: my_docs</title>" in page
    docs_table = re.search(r'id="t-docs".*?</tr>', page, re.S).group(0)
    assert ">title</th>" in docs_table and ">short</th>" not in docs_table


def _browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian package 'chromium' is not installed (make test installs it when run as root)")
    playwright = pytest.importorskip("playwright.sync_api", reason="Python package 'playwright' is not installed")
    return playwright


@pytest.mark.parametrize("which", ["bundled_report", "evil_report"])
def test_report_in_a_real_browser(which, request, tmp_path):
    sync_api = _browser()
    folder: Path = request.getfixturevalue(which)
    requests, dialogs, errors = [], [], []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("request", lambda r: requests.append(r.url))
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto((folder / "index.html").as_uri())
            page.wait_for_selector("#chart-overlap svg", timeout=60_000)
            page.wait_for_selector("#chart-themes svg", timeout=60_000)
            assert page.locator("#chart-overlap svg .mark-rect path").count() > 0
            page.screenshot(path=str(tmp_path / f"{which}.png"), full_page=False)
            assert page.evaluate("window.__pwned === undefined")
            rows = page.locator("#t-gaps tbody tr")
            total = rows.count()
            assert total > 0
            page.fill('input[data-table="t-gaps"]', "知识产权" if which == "bundled_report" else "数字")
            visible = page.locator("#t-gaps tbody tr:visible").count()
            assert 0 < visible < total
            if which == "bundled_report":
                assert page.locator("#chart-evolution0 svg").count() == 1
                assert page.locator("#t-pairs del, #t-pairs ins").count() > 0
                _review_the_matrix_and_a_redline(page, tmp_path)
            page.screenshot(path=str(tmp_path / f"{which}_filtered.png"), full_page=False)
        finally:
            browser.close()
    leaving = [u for u in requests if not u.startswith(("file:", "data:", "about:", "blob:"))]
    assert not leaving and not dialogs and not errors
    assert (tmp_path / f"{which}.png").stat().st_size > 10_000
    keep = Path(request.config.rootpath) / ".pytest_cache" / "screenshots"  # for a look after the run
    keep.mkdir(parents=True, exist_ok=True)
    for png in tmp_path.glob("*.png"):
        shutil.copy(png, keep / png.name)


def _review_the_matrix_and_a_redline(page, tmp_path):
    """At 1,366 × 768: no horizontal scrollbar; matrix labels that do not overlap; a click on a cell lists that
    cell's pairs; a row opens its side-by-side redline, each column at least 35% of the width."""
    page.set_viewport_size({"width": 1366, "height": 768})
    page.wait_for_timeout(300)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    rows = page.locator("#chart-overlap svg g.role-axis[aria-label^='Y-axis'] .role-axis-label text")
    boxes = sorted((rows.nth(i).bounding_box() for i in range(rows.count())), key=lambda b: b["y"])
    assert len(boxes) == 5
    assert all(a["y"] + a["height"] <= b["y"] + 1 for a, b in zip(boxes, boxes[1:])), "row labels overlap"
    # the column labels are turned 45°: two neighbours are apart by their spacing times sin 45°, which must
    # exceed the labels' type size
    cols = page.locator("#chart-overlap svg g.role-axis[aria-label^='X-axis'] .role-axis-label text")
    centres = sorted(b["x"] + b["width"] / 2 for b in (cols.nth(i).bounding_box() for i in range(cols.count())))
    size = float(page.evaluate("parseFloat(getComputedStyle(document.querySelector("
                               "'#chart-overlap svg g.role-axis .role-axis-label text')).fontSize)"))
    assert len(centres) == 5 and all((b - a) * 0.7071 > size for a, b in zip(centres, centres[1:]))
    cells = page.locator("#chart-overlap svg .mark-rect path")
    target = None
    for i in range(cells.count()):
        label = cells.nth(i).get_attribute("aria-label") or ""
        if "row: 海淀两区实施方案" in label and "col: 民营企业政策汇编2021Q1" in label:
            target = cells.nth(i)
    assert target is not None
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(300)
    assert "pairs of haidian_plan × compilation_2021q1" in page.locator(".tablewrap[data-table='t-pairs'] .picked").inner_text()
    docs = {page.locator("#t-pairs tbody tr.has-detail").nth(i).locator("td").nth(k).inner_text()
            for i in range(page.locator("#t-pairs tbody tr.has-detail").count()) for k in (0, 3)}
    assert docs == {"haidian_plan", "compilation_2021q1"}
    first = page.locator("#t-pairs tbody tr.has-detail").first
    first.click()
    detail = page.locator("#t-pairs tbody tr.detail").first
    assert detail.is_visible()
    cols = detail.locator(".rl-col")
    widths = [cols.nth(i).bounding_box()["width"] for i in range(2)]
    assert all(w >= 0.35 * 1366 for w in widths), widths
    assert detail.locator(".same").count() > 0
    detail.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "redline_1366.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366


def test_report_counts_measure_and_goal_and_says_so(bundled_report):
    manifest = json.loads((bundled_report / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["roles"] == ["measure", "goal"] and len(manifest["role_lexicon_sha256"]) == 16
    assert manifest["counts"]["segments"] > manifest["counts"]["measures"]
    measures = pd.read_csv(bundled_report / "measures.csv")
    assert set(measures["role"]) == {"measure", "goal"}
    docs = pd.read_excel(bundled_report / "report.xlsx", sheet_name="documents")
    roles = [f"segments_{r}" for r in ("measure", "goal", "background", "problem", "procedure")]
    assert docs[roles].sum(axis=1).sum() == manifest["counts"]["segments"]
    cq = docs[docs["doc_id"] == "chongqing_rectification"].iloc[0]
    assert cq["segments_problem"] == 3 and cq["segments_procedure"] >= 5
    page = (bundled_report / "index.html").read_text(encoding="utf-8")
    assert "roles measure, goal" in page and "<th>problem</th>" in page


def test_the_command_line_and_the_report_count_the_same(bundled_report):
    """One source of truth: 'measures without counterpart' of `align` equals the report's unmatched."""
    line = [x for x in run_cli("align").stdout.splitlines() if x.startswith("measures without counterpart:")][0]
    cli = {k: int(v) for k, v in (item.rsplit(" ", 1) for item in line.split(": ", 1)[1].split(", "))}
    docs = pd.read_excel(bundled_report / "report.xlsx", sheet_name="documents")
    assert cli == dict(zip(docs["doc_id"], docs["unmatched"].astype(int)))
