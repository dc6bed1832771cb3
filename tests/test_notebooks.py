"""Notebooks execute headless; widget callbacks work without a browser; notebooks are stored without outputs."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from compare.align import AlignConfig
from nbclient import NotebookClient

from compare import review
from compare.widgets import EvolutionView, Explorer, GapBrowser, Session

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def test_the_four_notebooks_are_there_and_stored_without_outputs():
    assert [p.name for p in NOTEBOOKS] == ["01_quickstart.ipynb", "02_beijing_vs_chongqing.ipynb",
                                           "03_batch_evolution.ipynb", "04_your_own_documents.ipynb"]
    for p in NOTEBOOKS:
        nb = nbformat.read(p, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, p.name
                assert "def " not in cell.source and "class " not in cell.source  # thin: no logic in notebooks


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, kernel_name="python3", timeout=300, resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    shown = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert shown  # it displays something


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    import shutil

    from compare import pipeline

    folder = tmp_path_factory.mktemp("corpus") / "corpus"
    shutil.copytree(pipeline.BUNDLED_CORPUS, folder)
    return Session([folder])


def test_session_defaults_give_the_pairs_of_the_command_line(session):
    from compare import pipeline

    cli = pipeline.align_documents(session.documents)
    assert {(r.measure_a, r.measure_b) for r in session.pairs().itertuples()} == \
        {(p.a.measure_id, p.b.measure_id) for p in cli.pairs}


def test_session_review_gives_the_screening_list_of_the_command_line(session):
    """``Session.pairs(review=True)`` is ``align --review``: the model's review cutoff and the cap on the most
    probable pairs, the same pairs."""
    from compare import pipeline
    from compare.pairmodel import load

    cli = pipeline.align_documents(session.documents, align_config=AlignConfig(review=True))
    listed = session.pairs(review=True)
    assert {(r.measure_a, r.measure_b) for r in listed.itertuples()} == \
        {(p.a.measure_id, p.b.measure_id) for p in cli.pairs}
    assert len(session.pairs()) < len(listed) <= load().review_max_pairs
    assert listed["probability"].min() >= load().review_probability


def test_session_review_with_decisions_gives_the_command_line_pairs(session, tmp_path):
    """With decisions, the screening list is still ``align --review``'s (``pipeline.align_documents`` with the
    review file, as the command line runs it): a rejected pair leaves and the next most probable takes its
    place; an accepted pair far below the cutoff comes in first."""
    from compare import pipeline

    decisions = tmp_path / "d.tsv"
    s = Session(session.paths, decisions=decisions)
    listed = s.pairs(review=True)
    top = listed.sort_values("probability", ascending=False).iloc[0]
    low = s.all_pairs[s.all_pairs["probability"] < AlignConfig(review=True).cutoff()].iloc[0]
    s.decide(top.measure_a, top.measure_b, "reject")
    s.decide(low.measure_a, low.measure_b, "accept")
    cli = pipeline.align_documents(s.documents, align_config=AlignConfig(review=True), review_file=decisions)
    after = s.pairs(review=True)
    assert {(r.measure_a, r.measure_b) for r in after.itertuples()} == \
        {(p.a.measure_id, p.b.measure_id) for p in cli.pairs}
    assert len(after) == len(listed) and (low.measure_a, low.measure_b) in set(zip(after.measure_a, after.measure_b))
    assert (top.measure_a, top.measure_b) not in set(zip(after.measure_a, after.measure_b))


def test_explorer_screening_list(session):
    """The Explorer's screening-list box shows ``align --review``'s pairs (the slider cannot hold the review
    cutoff), greys the slider out while on, and says so in the status line."""
    ex = Explorer(session)
    default = len(ex._filtered())
    ex.screening.value = True
    assert ex.probability.disabled and "screening list" in ex.status.value
    assert len(ex._filtered()) == len(session.pairs(review=True)) > default
    ex.screening.value = False
    assert not ex.probability.disabled and len(ex._filtered()) == default


def test_explorer_callbacks(session):
    ex = Explorer(session)
    before = ex.table.value
    n_before = int(ex.status.value.split()[0])
    ex.probability.value = 0.7
    n_after = int(ex.status.value.split()[0])
    assert n_after < n_before and ex.table.value != before
    pair = session.pairs(min_probability=0.7).iloc[0]
    # a click on the heatmap, as the browser reports it
    ex.heatmap._vl_selections = {"cell": {"value": {"vlPoint": {"or": [{"unit_a": pair.unit_a, "unit_b": pair.unit_b}]}},
                                          "store": []}}
    assert pair.unit_a in ex.status.value and ex.pair_choice.options
    assert ex.pair_choice.value == ex.pair_choice.options[0][1]  # the best pair is chosen and its diff shown
    assert "<del" in ex.diff.value or "<ins" in ex.diff.value or "no classified change" in ex.diff.value
    ex.probability.value = 0.0   # every candidate of the cell
    n_loose = int(ex.status.value.split()[0])
    ex.probability.value = AlignConfig().cutoff()
    n_default = int(ex.status.value.split()[0])
    assert n_loose > n_default
    ex.threshold.value = 60   # a minimum similarity score on top of the probability
    assert int(ex.status.value.split()[0]) < n_default
    ex.threshold.value = session.floor
    ex.relations.value = ("same",)
    assert set(ex._filtered()["relation"]) <= {"same"}
    ex.relations.value = ("same", "contains", "related", "restates")
    assert ("region: Chongqing", "region: Chongqing") in ex.group.options
    ex.group.value = "series: beijing_liangqu"
    assert set(ex.docs.value) == {"npc_research_2020", "compilation_2021q1", "progress_report_2021"}
    ex.group.value = "region: Chongqing"
    assert ex.docs.value == ("chongqing_rectification",)
    ex.docs.value = ("haidian_plan", "compilation_2021q1")
    assert all(x in ("haidian_plan", "compilation_2021q1") for x in session.pairs(
        min_probability=0.7, docs=list(ex.docs.value))[["doc_a", "doc_b"]].values.ravel())


def test_review_buttons_write_the_file_next_to_the_corpus(session):
    ex = Explorer(session)
    ex.probability.value = 0.6
    first = ex.pair_choice.options[0][1]
    count = int(ex.status.value.split()[0])
    ex.pair_choice.value = first
    ex.review("reject")
    assert int(ex.status.value.split()[0]) == count - 1
    saved = review.load(session.review_file)
    assert saved[frozenset(first)].decision == "reject" and session.review_file.parent.name == "corpus"
    ex.pair_choice.value = ex.pair_choice.options[0][1]
    ex.relabel_as.value = "contains"
    ex.review("relabel")
    assert len(review.load(session.review_file)) == 2


def test_gap_browser_and_evolution_view(session):
    g = GapBrowser(session)
    g.doc.value = "chongqing_rectification"
    assert "measures without counterpart anywhere" in g.out.value
    anywhere = len(session.gaps("chongqing_rectification"))
    g.against.value = "region:Beijing"
    assert "without counterpart in region Beijing" in g.out.value
    vs_beijing = session.gaps("chongqing_rectification", against="region:Beijing")
    vs_haidian = session.gaps("chongqing_rectification", against="haidian_plan")
    assert anywhere == len(vs_beijing) < len(vs_haidian)    # Beijing is everything else here; Haidian is less
    g.against.value = ""
    g.theme.value = "regional coordination"
    assert "regional coordination" in g.out.value
    ev = EvolutionView(session)
    assert ev.series.value == "beijing_liangqu" and ev.lineage.options
    ev.lineage.value = ev.lineage.options[0][1]
    assert ev.step.max >= 2
    ev.step.value = 2
    assert "batch 2" in ev.text.value


def test_roles_filter_in_the_explorer_and_the_gap_browser(session):
    g = GapBrowser(session)
    g.doc.value = "chongqing_rectification"
    assert "problem" not in g.out.value.split("<table")[1]   # measure and goal only by default
    n_default = int(g.out.value.split("<p>")[1].split()[0])
    g.roles.value = ("measure", "goal", "problem")
    n_more = int(g.out.value.split("<p>")[1].split()[0])
    # the 3 problem segments join the gaps; a measure may lose or gain a counterpart too, since the added segments
    # are candidates that compete in the pair model's rank features (with the ninth model one lost its
    # counterpart; with the eleventh, none; with the thirteenth, one gained one; with the fifteenth, two lost
    # theirs; with the sixteenth, four segments lost theirs and seven gained one; with the seventeenth, three
    # measures lost theirs and two gained one; with the eighteenth and the
    # nineteenth, none; with the twentieth, one measure lost its counterpart; with the twenty-first, the
    # twenty-third, the twenty-fourth, the twenty-fifth, the twenty-sixth and the twenty-seventh, none; with the
    # twenty-eighth, one measure lost its counterpart; with the twenty-ninth, the thirtieth, the thirty-second and the thirty-third, none): at most two either way in the
    # count of gaps
    assert g.out.value.count(">problem<") == 3 and abs(n_more - (n_default + 3)) <= 2
    ex = Explorer(session)
    assert set(session.roles) == {"measure", "goal", "problem"}
    ex.roles.value = ("measure", "goal")
    assert session.roles == ("measure", "goal")
    assert set(session.pairs()["role_a"]) | set(session.pairs()["role_b"]) <= {"measure", "goal"}


def test_review_decisions_go_where_the_researcher_says(session, tmp_path):
    """``Session(..., decisions=FILE)``, as ``--decisions FILE`` on the command line: the Explorer reads and
    writes that file, and the corpus folder is left alone."""
    mine = tmp_path / "decisions" / "mine.tsv"
    mine.parent.mkdir()
    s = Session(session.paths, decisions=mine)
    ex = Explorer(s)
    ex.probability.value = 0.6
    first = ex.pair_choice.options[0][1]
    ex.pair_choice.value = first
    before = sorted(p.name for p in session.paths[0].iterdir())
    ex.review("accept")
    assert review.load(mine)[frozenset(first)].decision == "accept"
    assert sorted(p.name for p in session.paths[0].iterdir()) == before


def test_review_tab_next_previous_undo_and_no_unseen_decision(session, tmp_path):
    """Decisions apply to the pair on screen; after one, no pair is chosen until the reader moves on; undo
    puts the file back as it was."""
    s = Session(session.paths, decisions=tmp_path / "d.tsv")
    ex = Explorer(s)
    values = [v for _, v in ex.pair_choice.options]
    assert ex.pair_choice.value == values[0] and ex.shown == values[0]
    ex.step(1)
    assert ex.pair_choice.value == values[1]
    ex.step(-1)
    assert ex.pair_choice.value == values[0]
    ex.review("reject")
    assert ex.pair_choice.value is None and ex.shown is None and ex.buttons["accept"].disabled
    assert "saved" in ex.diff.value and "1 decided here" in ex.count.value
    ex.review("accept")                      # nothing on screen: nothing is decided
    assert len(review.load(tmp_path / "d.tsv")) == 1
    ex.step(1)
    assert ex.shown is not None and not ex.buttons["accept"].disabled and ex.shown != values[0]
    ex.undo()
    assert not (tmp_path / "d.tsv").is_file() or len(review.load(tmp_path / "d.tsv")) == 0
    assert values[0] in [v for _, v in ex.pair_choice.options]     # the rejected pair is back


def test_explorer_matrix_documents_first_sub_documents_on_demand(session):
    ex = Explorer(session)
    spec = ex.heatmap.chart.to_dict()
    rect = spec["layer"][0]
    assert rect["encoding"]["color"]["condition"]["value"] == "#ffffff"
    assert rect["encoding"]["color"]["scale"]["domain"] == [0, 1]
    m = session.matrix(session.pairs(), rows_of="")
    assert sorted(set(m["unit_a"])) == sorted(session.doc_ids) and len(m) == 25
    assert set(m["row"]) == {d.meta.short_title for d in session.documents}
    ex.select_cell("haidian_plan", "compilation_2021q1")
    shown = session.pairs()
    want = shown[((shown["doc_a"] == "haidian_plan") & (shown["doc_b"] == "compilation_2021q1")) |
                 ((shown["doc_b"] == "haidian_plan") & (shown["doc_a"] == "compilation_2021q1"))]
    assert int(ex.status.value.split()[0]) == len(want) > 0 and ex.tabs.selected_index == 1
    ex.rows_of.value = "compilation_2021q1"
    sub = session.matrix(session.pairs(), rows_of="compilation_2021q1")
    assert 0 < sub["unit_a"].nunique() <= 30 and sub["unit_a"].str.startswith("compilation_2021q1 › ").all()
    unit = sub.sort_values("matched").iloc[-1]
    ex.select_cell(unit["unit_a"], unit["unit_b"])
    assert int(ex.status.value.split()[0]) >= unit["matched"] > 0
    ex.rows_of.value = ""


def test_next_after_a_decision_goes_on_from_the_decided_pair(session, tmp_path):
    ex = Explorer(Session(session.paths, decisions=tmp_path / "d.tsv"))
    values = [v for _, v in ex.pair_choice.options]
    ex.pair_choice.value = values[2]
    ex.review("accept")                       # an accepted pair stays in the list: next is the one after it
    ex.step(1)
    assert ex.pair_choice.value == values[3]
    ex.review("reject")                       # a rejected pair leaves it: next is the one now in its place
    ex.step(1)
    assert ex.pair_choice.value == values[4]


def test_a_district_in_english_and_in_chinese_is_one_group_of_the_explorer(tmp_path):
    """The bundled corpus says "Beijing (Haidian)" for the Haidian plan (corpus.toml); a copy of the plan saved
    as 北京市海淀区“两区”建设实施方案（转载）.txt beside it gets 北京市 (海淀区) from its title: the Explorer lists one
    Haidian group, named as the first document spells it, holding both, and ``region:`` in either spelling
    chooses both (it listed "Beijing (Haidian)" and "北京市 (海淀区)" as two districts)."""
    import shutil

    import pandas as pd

    from compare import pipeline
    from compare.gaps import select

    folder = tmp_path / "corpus"
    shutil.copytree(pipeline.BUNDLED_CORPUS, folder)
    copy = tmp_path / "北京市海淀区“两区”建设实施方案（转载）.txt"
    copy.write_bytes((folder / "haidian_liangqu_implementation_plan.txt").read_bytes())
    session = Session([folder, copy])
    reprint = next(d for d in session.documents if d.id.startswith("北京市海淀区"))
    assert reprint.meta.region == "北京市 (海淀区)"
    regions = [g for g in session.groups() if g.startswith("region: ")]
    assert regions == ["region: Beijing", "region: Beijing (Haidian)", "region: Chongqing"]
    assert sorted(session.members("region: Beijing (Haidian)")) == sorted(["haidian_plan", reprint.id])
    docs = pipeline.load([folder, copy]).documents
    table = pd.DataFrame({"doc_id": [d.id for d in docs], "region": [d.meta.region for d in docs],
                          "series": "", "kind": ""})
    assert sorted(select(table, "region:北京市 (海淀区)")) == sorted(select(table, "region:Beijing (Haidian)")) == sorted(
        ["haidian_plan", reprint.id])


def test_a_region_in_two_spellings_is_one_group_of_the_explorer(tmp_path):
    """The bundled corpus says "Beijing" (corpus.toml); a Beijing regulation from lawref beside it gets its
    region from its title, 北京市: the Explorer's groups and the gap browser's choices list Beijing once, and the
    group holds the regulation too."""
    import shutil

    from compare import pipeline

    from .conftest import LAWREF

    regulation = LAWREF / "DLC" / "北京地方法规" / "地方性法规" / "北京" / "北京市优化营商环境条例(2024-11-29).md"
    if not regulation.is_file():
        pytest.skip(f"lawref corpus not found at {LAWREF}")
    folder = tmp_path / "corpus"
    shutil.copytree(pipeline.BUNDLED_CORPUS, folder)
    session = Session([folder, regulation])
    law = next(d for d in session.documents if d.id.startswith("北京市优化营商环境条例"))
    assert law.meta.region == "北京市"
    regions = [g for g in session.groups() if g.startswith("region: ")]
    assert regions == ["region: Beijing", "region: Beijing (Haidian)", "region: Chongqing"]
    assert law.id in session.members("region: Beijing") and "haidian_plan" not in session.members("region: Beijing")
    assert [label for label, _ in GapBrowser(session).against.options if label.startswith("region")] == [
        "region Beijing", "region Chongqing"]
