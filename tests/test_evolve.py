"""Evolution: statuses, lineages, splits and merges, lawref versions, charts, CLI."""
from __future__ import annotations

import csv
import json

import pytest

from compare import charts, pipeline
from compare.evolve import STATUSES, evolve, identical_violations
from compare.gold import lineage_scores
from compare.ingest import infer_meta, read_document
from compare.segment import segment

from .conftest import DATA, LAWREF, lawref_files, run_cli

V1 = """# 测试条例

第一条 为了优化营商环境，推动高质量发展，根据有关法律、行政法规，结合本市实际，制定本条例。

第二条 本市建立健全优化营商环境工作机制，统筹推进、督促落实优化营商环境工作。

第三条 市场监督管理部门应当推行企业登记全程电子化，实现企业开办一日办结。

第四条 税务部门应当推广使用电子发票，减少纳税次数和办税时间。

第五条 本市加强知识产权保护，建立知识产权纠纷快速处理机制。同时，本市建立知识产权质押融资风险分担机制，支持金融机构开展知识产权质押融资业务。

第六条 人民法院应当建立破产案件快速审理机制。
"""
V2 = """# 测试条例

第一条 为了优化营商环境，推动高质量发展，根据有关法律、行政法规，结合本市实际，制定本条例。

第二条 本市建立健全优化营商环境工作机制，统筹推进、督促落实优化营商环境工作。

第三条 税务部门应当推广使用电子发票，减少纳税次数和办税时间。

第四条 市场监督管理部门应当推行企业登记全程电子化，实现企业开办一日办结。

第五条 本市加强知识产权保护，建立知识产权纠纷快速处理机制。

第六条 本市建立知识产权质押融资风险分担机制，支持金融机构开展知识产权质押融资业务。

第七条 人民法院应当全面建立破产案件快速审理机制，将审理期限缩短至六个月。

第八条 本市建立营商环境社会监督员制度。
"""


def _docs(tmp_path, *texts):
    docs = []
    for i, t in enumerate(texts, 1):
        f = tmp_path / f"测试条例(202{i}-01-01).md"
        f.write_text(t, encoding="utf-8")
        docs.append(read_document(infer_meta(f)))
    return docs


def _by_label(ev, batch):
    return {s.label: s for s in ev.steps if s.batch == batch and s.status != "dropped"}


def test_statuses_on_a_constructed_revision(tmp_path):
    docs = _docs(tmp_path, V1, V2)
    ms = [m for d in docs for m in segment(d)[0]]
    ev = evolve(docs, ms)
    got = _by_label(ev, 2)
    assert got["第一条"].status == got["第二条"].status == "unchanged"
    assert {got["第三条"].status, got["第四条"].status} == {"unchanged", "moved"}  # two articles swapped
    assert got["第五条"].status == got["第六条"].status == "split"  # old 第五条 cut in two
    assert got["第七条"].status == "revised" and "numbers:added" in got["第七条"].changes
    assert "strength:strengthened" in got["第七条"].changes
    assert got["第八条"].status == "new"
    # the old 第五条 lives on in its best piece; the other piece starts a lineage of its own
    old5 = next(m for m in ms if m.doc_id == docs[0].id and m.label == "第五条")
    assert {got["第五条"].prev_measure_id, got["第六条"].prev_measure_id} == {old5.measure_id}
    assert len({got["第五条"].lineage_id, got["第六条"].lineage_id}) == 2
    assert f"L:{old5.measure_id}" in {got["第五条"].lineage_id, got["第六条"].lineage_id}
    counts = ev.transition_counts()[0]
    assert (counts["unchanged"] + counts["moved"], counts["split"], counts["new"], counts["dropped"]) == (5, 2, 1, 0)  # 第一–四条 and the title line


def test_merge_and_drop_are_the_reverse_of_split_and_new(tmp_path):
    docs = _docs(tmp_path, V2, V1)  # read backwards: the two pieces are merged back, 第八条 is dropped
    ev = evolve(docs, [m for d in docs for m in segment(d)[0]])
    got = _by_label(ev, 2)
    assert got["第五条"].status == "merged" and len(got["第五条"].prev_measure_id.split(",")) == 2
    dropped = [s for s in ev.steps if s.status == "dropped"]
    assert [s.label for s in dropped] == ["第八条"] and dropped[0].measure_id == ""
    chain = next(lg for lg in ev.lineages if lg.lineage_id == got["第六条"].lineage_id)
    assert chain.first_batch == 1 and chain.last_batch == 2 and chain.revisions == 1


def test_three_batches_chain_lineages(tmp_path):
    v3 = V2.replace("将审理期限缩短至六个月", "将审理期限缩短至三个月")
    docs = _docs(tmp_path, V1, V2, v3)
    ev = evolve(docs, [m for d in docs for m in segment(d)[0]])
    bankruptcy = [lg for lg in ev.lineages if any("破产" in s.text for s in lg.steps)]
    assert len(bankruptcy) == 1
    lg = bankruptcy[0]
    assert (lg.first_batch, lg.last_batch, lg.revisions) == (1, 3, 2)
    assert [s.status for s in lg.steps] == ["new", "revised", "revised"]
    assert "numbers:lowered" in lg.steps[2].changes
    assert len(ev.transition_counts()) == 2


def test_real_revision_against_the_hand_labelled_mapping():
    if not LAWREF.is_dir():
        pytest.skip(f"lawref corpus not found at {LAWREF}")
    files = [next(LAWREF.rglob(f"北京市优化营商环境条例({d}).md")) for d in ("2020-03-27", "2024-11-29")]
    docs = [read_document(infer_meta(f)) for f in files]
    ms = [m for d in docs for m in segment(d)[0]]
    ev = evolve(docs, ms)
    with open(DATA / "lineage_beijing_business_env.tsv", encoding="utf-8") as fh:
        gold = list(csv.DictReader(fh, delimiter="\t"))
    n, right_map, right_status = lineage_scores(ev.steps, ms, gold)
    assert n >= 40 and right_map / n >= 0.95 and right_status / n >= 0.95
    # a real merge: old 第七十七条 and 第八十条 (bankruptcy administrators) became new 第八十四条
    merged = [s for s in ev.steps if s.batch == 2 and s.status == "merged" and s.label == "第八十四条"]
    assert merged and len(merged[0].prev_measure_id.split(",")) == 2


def test_renumbered_articles_and_segments_that_are_not_measures_are_told_apart():
    """上海市优化营商环境条例 2020 -> 2024 inserts articles, so articles of the same wording move to other numbers
    (第二十九条 -> 第三十条, the closing 第八十条 -> 第九十七条): each step carries its previous label and role,
    ``renumbered`` says so, and the table names how many, and how many of its counts are headings, titles or
    procedure rather than measures (第一章总则 stays unchanged)."""
    import compare

    if not LAWREF.is_dir():
        pytest.skip(f"lawref corpus not found at {LAWREF}")
    files = [next(LAWREF.rglob(f"上海市优化营商环境条例({d}).md")) for d in ("2020-04-10", "2024-09-27")]
    docs = [read_document(infer_meta(f)) for f in files]
    ev = evolve(docs, [m for d in docs for m in segment(d)[0]])
    steps = {s.label: s for s in ev.steps if s.batch == 2}
    assert (steps["第三十条"].prev_label, steps["第三十条"].status) == ("第二十九条", "unchanged")
    assert steps["第三十条"].renumbered and steps["第九十七条"].prev_label == "第八十条"
    assert steps["第九十七条"].text == "本条例自2020年4月10日起施行。"
    old_text = {s.measure_id: s.text for s in ev.steps if s.batch == 1}
    renumbered = [s for s in ev.steps if s.renumbered]
    assert len(renumbered) >= 10 and all(old_text[s.prev_measure_id] == s.text for s in renumbered)
    assert not [s for s in ev.steps if s.status == "revised" and s.renumbered]   # only same wording
    chapter = [s for s in ev.steps if s.batch == 2 and s.text == "第一章总则"]
    assert chapter and chapter[0].status == "unchanged" and chapter[0].role not in ("measure", "goal")
    row = ev.transition_counts()[0]
    assert row["renumbered"] == len(renumbered) and row["not_measures"]["unchanged"] >= 5
    table = pipeline.evolution_table(ev)
    assert f"renumbered {len(renumbered)} (the same wording under another label" in table
    assert "not measures or goals (headings, titles, procedure), counted above: unchanged" in table
    assert "different kinds" not in pipeline.evolution_table(ev, docs)   # two editions of one regulation
    df = compare.evolve(files, in_order=True)
    assert {"prev_label", "role"} <= set(df.columns) and (df.prev_label == "第二十九条").any()
    # a merge's previous labels are listed in the order of its previous ids
    label_of = {s.measure_id: s.label for s in ev.steps if s.batch == 1}
    for s in ev.steps:
        if s.batch == 2 and s.status != "dropped" and s.prev_measure_id:
            assert s.prev_label.split(",") == [label_of[i] for i in s.prev_measure_id.split(",")], s
    # the 2024 edition renames 市场主体 (and 各类市场主体) to 企业等经营主体 throughout (the renaming of 2023): a
    # wording change of each article it touches, listed as recurring; 第二条 had come out "revised" with no change
    assert steps["第二条"].status == "revised" and steps["第二条"].changes == "wording:replaced"
    recurring = dict(row["recurring"])
    renamed = sum(n for (old, new), n in recurring.items() if "市场" in old and "经营" in new)
    assert renamed >= 10 and all(n >= 3 for n in recurring.values())
    assert "recurring wording changes: 市场 -> 企业等经营 (" in table


def test_an_inserted_paragraph_renumbers_nothing(tmp_path):
    """Unnumbered paragraphs get the segmenter's ¶n: a paragraph inserted before them shifts their ¶n, which
    is no renumbering; under a numbered article (第三条¶2 -> 第四条¶2) the article's number counts."""
    v1 = ("# 关于做好企业服务工作的通知\n\n各区人民政府，市政府各委、办、局：\n\n为进一步优化营商环境，现就有关事项通知如下。\n\n"
          "各区要建立企业服务专员制度，定期走访重点企业。\n\n市场监管部门要推行企业登记全程电子化。\n\n税务部门要推广电子发票。\n")
    v2 = v1.replace("为进一步优化营商环境，现就有关事项通知如下。\n\n",
                    "为进一步优化营商环境，现就有关事项通知如下。\n\n各部门要落实“接诉即办”工作机制。\n\n")
    docs = _docs(tmp_path, v1, v2)
    ev = evolve(docs, [m for d in docs for m in segment(d)[0]])
    moved_on = [s for s in ev.steps if s.batch == 2 and s.status == "unchanged" and s.prev_label != s.label]
    assert moved_on and all(s.label.startswith("¶") for s in moved_on)   # ¶4 -> ¶5 and the like
    assert not any(s.renumbered for s in ev.steps) and ev.transition_counts()[0]["renumbered"] == 0
    inserted = V1
    for old, new in (("第六条", "第七条"), ("第五条", "第六条"), ("第四条", "第五条"), ("第三条", "第四条")):
        inserted = inserted.replace(old, new)
    inserted = inserted.replace("第四条 市场监督", "第三条 本市实行企业服务专员制度。\n\n第四条 市场监督")
    docs = _docs(tmp_path, V1, inserted)
    ev = evolve(docs, [m for d in docs for m in segment(d)[0]])
    assert {(s.prev_label, s.label) for s in ev.steps if s.renumbered} == {
        ("第三条", "第四条"), ("第四条", "第五条"), ("第五条", "第六条"), ("第六条", "第七条")}


def test_identical_articles_of_every_multi_version_law_stay_unchanged_or_moved():
    lawref_files()  # skips with the reason when lawref is absent
    series = pipeline.dated_series(LAWREF)
    checked, violations = 0, []
    for files in series.values():
        docs = [read_document(infer_meta(f)) for f in files]
        ms = [m for d in docs for m in segment(d)[0]]
        c, bad = identical_violations(evolve(docs, ms), ms)
        checked += c
        violations += bad
    assert len(series) >= 80 and checked > 3000
    assert not violations, violations[:10]


def test_bundled_series_and_cli(tmp_path):
    loaded = pipeline.load(None)
    assert pipeline.series_names(loaded.documents) == ["beijing_liangqu"]
    docs = pipeline.series_documents(loaded.documents, "beijing_liangqu")
    assert [d.id for d in docs] == ["npc_research_2020", "compilation_2021q1", "progress_report_2021"]
    r = run_cli("evolve")
    assert r.returncode == 0 and "npc_research_2020" in r.stdout and "revised" in r.stdout
    # a journal, a compilation and a report are not versions of one another: the table says so, with the series
    assert r.stdout.startswith("series beijing_liangqu: 3 documents\nbatch")
    assert ("documents of different kinds, not versions of one another" in r.stdout
            and "  npc_research_2020 (journal) -> compilation_2021q1 (compilation)\n"
                "  compilation_2021q1 (compilation) -> progress_report_2021 (report)\n" in r.stdout)
    out = tmp_path / "lineage.jsonl"
    r = run_cli("evolve", "--series", "beijing_liangqu", "--out", str(out))
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert r.returncode == 0 and rows
    assert {"lineage_id", "batch", "doc_id", "measure_id", "label", "status", "text", "prev_measure_id",
            "changes"} <= set(rows[0])
    assert {x["status"] for x in rows} <= set(STATUSES) and {x["batch"] for x in rows} == {1, 2, 3}
    r = run_cli("evolve", "--series", "nope")
    assert r.returncode == 2 and "beijing_liangqu" in r.stderr and "Traceback" not in r.stderr


def test_charts_specs(tmp_path):
    docs = _docs(tmp_path, V1, V2, V2.replace("六个月", "三个月"))
    ev = evolve(docs, [m for d in docs for m in segment(d)[0]])
    flow = charts.flow_chart(ev).to_dict()
    assert flow["mark"]["type"] == "area" and flow["encoding"]["detail"]["field"] == "band"
    values = flow["datasets"][next(iter(flow["datasets"]))]
    assert {v["x"] for v in values} == {1, 2, 3}
    split_band = [v for v in values if v["status"] == "split" and v["x"] == 2 and v["band"].startswith("1->2")][0]
    assert split_band["y2"] - split_band["y"] == 2  # two new pieces on the right of the first transition
    bars = charts.status_bars(ev).to_dict()
    assert bars["mark"]["type"] == "bar" and bars["encoding"]["color"]["scale"]["domain"] == list(STATUSES)
    rows = bars["datasets"][next(iter(bars["datasets"]))]
    # the eight articles of the second version and its title line (a segment too)
    assert sum(r["measures"] for r in rows if r["transition"].endswith("@2023-01-01")) == 9
    tl = charts.lineage_timeline(ev).to_dict()
    assert [layer["mark"]["type"] for layer in tl["layer"]] == ["line", "circle"]
    tl_rows = tl["datasets"][next(iter(tl["datasets"]))]
    assert any(r["status"] == "revised" for r in tl_rows)


def test_evolve_on_a_folder_follows_series_by_date_and_refuses_unrelated_documents(tmp_path):
    """Versions named 名称(YYYY-MM-DD) are followed by date whatever their order on the command line; documents
    that form no series are refused with what to do, and --in-order takes them as given."""
    from compare.widgets import lawref_versions

    folder = tmp_path / "versions"
    folder.mkdir()
    texts = {"2014-01-01": V1, "2016-06-01": V2, "2020-03-27": V2.replace("六个月", "三个月")}
    for date, text in texts.items():
        (folder / f"某市优化营商环境条例({date}).md").write_text(text, encoding="utf-8")
    paths = sorted(folder.iterdir(), reverse=True)               # newest first on the command line
    out = tmp_path / "steps.jsonl"
    r = run_cli("evolve", *map(str, paths), "--out", str(out))
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert {(x["batch"], x["doc_id"].split("@")[1]) for x in rows} == {
        (1, "2014-01-01"), (2, "2016-06-01"), (3, "2020-03-27")}
    unrelated = tmp_path / "unrelated"
    unrelated.mkdir()
    for f in ("haidian_liangqu_implementation_plan.txt", "chongqing_ftz_rectification_report_2024.txt"):
        (unrelated / f).write_bytes((pipeline.BUNDLED_CORPUS / f).read_bytes())
    r = run_cli("evolve", str(unrelated))
    assert r.returncode == 2 and "not one series" in r.stderr and "--series" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("evolve", str(unrelated), "--in-order")
    assert r.returncode == 0 and "haidian" in r.stdout
    versions = lawref_versions() if LAWREF.is_dir() else []
    if versions:   # a real title in several dated versions, as a researcher would give them
        r = run_cli("evolve", *map(str, reversed(versions)), "--format", "jsonl")
        rows = [json.loads(x) for x in r.stdout.splitlines()]
        assert r.returncode == 0 and [x for x in rows if x["status"] == "unchanged"]
        firsts = {x["batch"]: x["doc_id"] for x in rows}
        assert [firsts[b] for b in sorted(firsts)] == sorted(firsts.values(), key=lambda d: d.split("@")[1])


def test_punctuation_spaces_and_format_characters_alone_are_no_revision(tmp_path):
    """A 顿号 added, a zero-width space at the end, a full stop changed: the same wording, `unchanged`, with the
    change kind `punctuation` recorded; a changed word is still `revised`."""
    v2 = (V1.replace("统筹推进、督促落实", "统筹推进督促落实").replace("制定本条例。", "制定本条例。\u200b")
          .replace("推动高质量发展，", "推动高质量发展、"))
    docs = _docs(tmp_path, V1, v2)
    ev = evolve(docs, [m for d in docs for m in segment(d)[0]])
    second = {s.label: s for s in ev.steps if s.batch == 2}
    assert second["第一条"].status == "unchanged" and second["第一条"].changes == "punctuation"
    assert second["第二条"].status == "unchanged" and second["第二条"].changes == "punctuation"
    (tmp_path / "w").mkdir()
    docs = _docs(tmp_path / "w", V1, V1.replace("统筹推进", "全面推进"))
    ev = evolve(docs, [m for d in docs for m in segment(d)[0]])
    assert {s.label: s.status for s in ev.steps if s.batch == 2}["第二条"] == "revised"


def test_numbers_are_wording_not_punctuation(tmp_path):
    v1 = V1.replace("制定本条例。", "制定本条例。增加值达到3.5亿元，年均增长8%。")
    v2 = V1.replace("制定本条例。", "制定本条例。增加值达到35亿元，年均增长-8%。")
    docs = _docs(tmp_path, v1, v2)
    ev = evolve(docs, [m for d in docs for m in segment(d)[0]])
    assert {s.label: s.status for s in ev.steps if s.batch == 2}["第一条"] == "revised"


def test_evolve_from_python_gives_the_rows_of_the_command_line(tmp_path):
    """``compare.evolve`` (a newcomer looked for it beside segment, align and gaps): the same steps as
    ``policy-compare evolve``, on the bundled corpus and on versions named 名称(YYYY-MM-DD); the same refusals,
    as errors; a document in no series is a warning."""
    import warnings

    import compare
    from compare.errors import CompareError, CompareWarning

    bundled = compare.evolve()
    r = run_cli("evolve", "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    # rows carry no table, so the note on documents of different kinds goes to stderr
    assert "documents of different kinds" in r.stderr and "npc_research_2020 (journal) -> compilation_2021q1" in r.stderr
    assert bundled.to_dict("records") == [json.loads(x) for x in r.stdout.splitlines()] and len(bundled) > 100
    folder = tmp_path / "versions"
    folder.mkdir()
    for date, text in {"2014-01-01": V1, "2016-06-01": V2}.items():
        (folder / f"某市优化营商环境条例({date}).md").write_text(text, encoding="utf-8")
    other = tmp_path / "plan.txt"
    other.write_bytes((pipeline.BUNDLED_CORPUS / "haidian_liangqu_implementation_plan.txt").read_bytes())
    with pytest.warns(CompareWarning, match="in no series, not followed: plan"):
        steps = compare.evolve([folder, other])
    assert set(steps.batch) == {1, 2} and "revised" in set(steps.status)
    assert list(steps.columns[:len(pipeline.STEP_FIELDS)]) == pipeline.STEP_FIELDS
    with pytest.raises(CompareError, match="not one series"):
        compare.evolve([other, pipeline.BUNDLED_CORPUS / "chongqing_ftz_rectification_report_2024.txt"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        in_order = compare.evolve([other, pipeline.BUNDLED_CORPUS / "chongqing_ftz_rectification_report_2024.txt"],
                                  in_order=True)
    assert set(in_order.batch) == {1, 2}
    with pytest.raises(CompareError, match="at least two documents"):
        compare.evolve(other, in_order=True)
