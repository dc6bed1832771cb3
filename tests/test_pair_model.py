"""The pair model: features computed as align computes them, the shipped model rebuilt by its command,
probabilities and operating points, restatements, template wording, and quality on held-out labelled pairs."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from compare import pipeline
from compare.align import AlignConfig
from compare.keys import lexicon
from compare.pairmodel import FEATURES, MODEL_FILE, load

from .conftest import ROOT, run_cli

sys.path.insert(0, str(ROOT / "benchmarks"))


@pytest.fixture(scope="module")
def default(corpus_docs):
    return pipeline.align_documents(list(corpus_docs.values()))


def test_the_shipped_model_is_what_its_command_builds(tmp_path):
    """``python benchmarks/fit_pair_model.py`` rebuilds compare/data/pair_model.json from the labelled TSVs."""
    pytest.importorskip("sklearn")
    out = tmp_path / "model.json"
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "fit_pair_model.py"), "--out", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    built, shipped = json.loads(out.read_text(encoding="utf-8")), json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert built["features"] == shipped["features"] == list(FEATURES)
    bt, st = built["trees"], shipped["trees"]
    assert all(bt[k] == st[k] for k in ("feature", "left", "right", "leaf", "roots", "depth", "monotonic"))
    assert all(np.allclose(bt[k], st[k], rtol=1e-9, atol=1e-12) for k in ("threshold", "value", "baseline"))
    assert (built["min_probability"], built["review_probability"]) == (shipped["min_probability"],
                                                                         shipped["review_probability"])
    assert built.get("named") == shipped.get("named") is not None and load().named is not None
    assert built["meta"]["fitted_on"]["labels_sha256"] == shipped["meta"]["fitted_on"]["labels_sha256"]


def test_every_pair_has_a_probability_above_the_cutoff_and_the_manifest_names_the_model(default, tmp_path):
    model = load()
    assert default.pairs and all(p.probability >= model.min_probability for p in default.pairs)
    assert len(default.pairs) <= 700
    index, _ = pipeline.write_report(None, tmp_path / "r")
    manifest = json.loads((tmp_path / "r" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["pair_model"] == model.sha256
    assert manifest["parameters"]["min_probability"] == model.min_probability


def test_review_list_is_larger_capped_and_keeps_the_default_pairs(corpus_docs, default):
    review = pipeline.align_documents(list(corpus_docs.values()), align_config=AlignConfig(review=True))
    ids = lambda al: {(p.a.measure_id, p.b.measure_id) for p in al.pairs}  # noqa: E731
    assert len(default.pairs) < len(review.pairs) <= load().review_max_pairs
    assert ids(default) <= ids(review)


def test_a_journal_restating_its_reports_is_apart_from_overlaps(default, tmp_path):
    restates = [p for p in default.pairs if p.relation == "restates"]
    assert restates and all(p.a.doc_id == p.b.doc_id == "npc_research_2020" for p in restates)
    assert all(p.a.subdoc != p.b.subdoc for p in restates)
    # pairs between the documents bound in the compilation stay ordinary pairs
    inside = [p for p in default.pairs if p.a.doc_id == p.b.doc_id == "compilation_2021q1"]
    assert inside and {p.relation for p in inside} <= {"same", "contains", "related"}
    from compare import report

    data = report.build(list({d.id: d for d in pipeline.load(None).documents}.values()),
                        [m for p in default.pairs for m in (p.a, p.b)], default, [])
    journal_rows = data.overlap[(data.overlap["unit_a"].str.startswith("npc_research_2020"))
                                & (data.overlap["unit_b"].str.startswith("npc_research_2020"))]
    assert journal_rows["matched"].sum() == 0   # restatements are not counted as overlaps


def test_template_wording_never_makes_same_or_contains(default):
    for p in default.pairs:
        if p.template >= 0.5:
            assert p.relation in ("related", "restates"), (p.relation, p.a.text[:40], p.b.text[:40])


def test_pair_rows_carry_the_source_and_the_cli_knobs(tmp_path):
    out = tmp_path / "pairs.jsonl"
    r = run_cli("align", "--format", "jsonl", "--out", str(out))
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert rows and {"raw_a", "raw_b", "role_a", "role_b", "probability", "relation", "text_a", "text_b"} <= set(rows[0])
    docs = {d.id: d for d in pipeline.load(None).documents}
    first = rows[0]
    assert docs[first["doc_a"]].raw.count(first["raw_a"]) >= 1
    strict = run_cli("align", "--min-probability", "0.9", "--format", "jsonl")
    assert strict.returncode == 0 and len(strict.stdout.splitlines()) < len(rows)
    bad = run_cli("align", "--min-probability", "1.5")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "probability" in bad.stderr


def test_quality_on_the_forty_first_held_out_set():
    """tests/data/heldout41.tsv (761 pairs of the whole population, at most half of each stratum, frozen and
    labelled before the forty-first model was fitted or chosen, its pairs never training rows; scored once on
    2026-12-03: weighted P 0.952, R 0.525, F1 0.677, baseline in hindsight 0.381; unweighted P 0.935, R 0.601;
    --review weighted R 0.912, unweighted 0.902; every pair of the set is one the aligner compares today). This
    keeps it so. The issue's bar is met on precision 0.85, --review recall 0.90 and F1 (0.15 above the
    baseline's), not on recall 0.70 (over heldout18 to heldout41, one set per model: P 0.65-0.95, R 0.49-0.68,
    --review R 0.69-0.95). The forty-first replaced the thirty-eighth by the two steps of model_choice.py: on the
    302 heldout41 pairs neither was fitted on, F1 0.768 against 0.766, and on lawref, by two blind readers, F1
    0.51 against 0.42 and 0.54 against 0.45 (benchmarks/model_choice_41.py). Between them the thirty-ninth and
    the fortieth lost the first step (on heldout39 0.699 against 0.765, on heldout40 0.598 against 0.664:
    model_choice_39.py, model_choice_40.py); since, the forty-second won the first step on heldout42 (0.695
    against 0.600) and lost on lawref (F1 0.32 against 0.54 and 0.30 against 0.58: model_choice_42.py), and so
    did the forty-third on heldout43 (0.844 against 0.767; lawref 0.33 against 0.60: model_choice_43.py)."""
    import pair_quality

    res = pair_quality.evaluate("heldout41", methods=("aligner (default)", "aligner --review"))
    m = res["methods"]
    ours = m["aligner (default)"]
    base = next(v for k, v in m.items() if k.startswith("baseline"))
    assert res["n"] == 761 and res["true"] == 143 and res["compared"].all()
    assert ours["weighted"][2] >= base["weighted"][2] + 0.15, (ours["weighted"], base["weighted"])
    assert ours["weighted"][0] >= 0.95 and ours["weighted"][1] >= 0.52, ours["weighted"]
    assert ours["unweighted"][0] >= 0.93 and ours["unweighted"][1] >= 0.60, ours["unweighted"]
    review = m["aligner --review"]
    assert review["weighted"][1] >= 0.91 and review["unweighted"][1] >= 0.90 and review["pairs"] <= 1500


def test_no_training_row_falls_on_a_held_out_pair():
    """The held-out pairs come from the whole population, earlier labelled pairs included: those are left out
    of training (``pair_data.rows``), so the model is never fitted on a pair it is scored on. heldout41.tsv's
    places are read as written (its builder wrote today's segment starts), and the training sets did hold
    some of its pairs, so the exclusion is exercised. Nor is a training pair inside one (sub-)document, which
    the aligner never compares."""
    import pair_data
    from compare.gold import read_tsv

    held = {frozenset(((r["doc_a"], int(r["start_a"])), (r["doc_b"], int(r["start_b"]))))
            for r in read_tsv(pair_data.DATA / "heldout41.tsv")}
    training = pair_data.rows()
    assert len(held) == 761 and len(training) > 7000
    assert not {frozenset((r.a, r.b)) for r in training} & held
    assert len(pair_data.pairs_of(pair_data.TRAINING) & held) == 584   # the training sets hold these: left out
    segment = {(m.doc_id, m.start): (m.doc_id, m.subdoc) for m in pair_data.corpus()[1]}
    assert all(segment[r.a] != segment[r.b] for r in training)


def test_the_trees_are_evaluated_as_walking_them(corpus_docs, segmented):
    """``Trees.raw`` (leaf bitmasks, all trees at once, compiled) against walking each tree node by node, on
    the features of 2,000 real candidate pairs, on the same rows with local and coverage at their bounds, and
    with some values missing (nan)."""
    from compare.align import pair_features, prepare, score_pairs
    from compare.candidates import candidate_pairs
    from compare.pairmodel import Trees
    from compare.roles import select

    cfg = AlignConfig()
    prep = prepare(list(corpus_docs.values()), select([m for s in segmented["coarse"].values() for m in s.measures]),
                   cfg)
    pairs = sorted(candidate_pairs(prep.keys, prep.groups, config=cfg.blocking))[::5][:2000]
    x = pair_features(prep, pairs, score_pairs(prep.keys, prep.units, set(pairs), local_min_chars=14))
    trees = load().scorer
    assert isinstance(trees, Trees) and len(pairs) == 2000
    holes = x.copy()     # missing values: above every threshold in both
    holes[::7, ::3] = np.nan
    for rows in (x, np.where(np.isin(np.arange(x.shape[1]), [FEATURES.index("local"), FEATURES.index("coverage")]),
                             1.0, x), holes):
        fast, slow = trees.raw(rows), trees.walk(rows)
        assert np.array_equal(fast, slow)
    p = load().probability(x)
    assert (p >= load().min_probability).sum() >= 20 and (p < 0.1).sum() >= 1000   # both sides of the cutoff
    with pytest.raises(ValueError, match="features"):    # too few columns: refused, never read past the row
        trees.raw(x[:, :3])


def _reference_rivals(ctx, groups, pairs) -> list[tuple[float, ...]]:
    """The rank features the obvious way: every pair of measures of different groups, its specific shared
    wording (``kernels.shared_wording``, tested on its own), a list per (measure, other group) of the figures
    above 0, and each pair looked up in its two lists."""
    import math

    from compare import kernels

    n = len(groups)
    pi, pj = (v.ravel().astype(np.int64) for v in np.triu_indices(n, 1))
    keep = np.asarray(groups)[pi] != np.asarray(groups)[pj]
    pi, pj = pi[keep], pj[keep]
    specific = kernels.shared_wording(ctx, pi, pj)[1]
    lists: dict = {}
    of_pair = {}
    for i, j, v in zip(pi.tolist(), pj.tolist(), specific.tolist()):
        of_pair[(i, j)] = v
        if v > 0:
            lists.setdefault((i, groups[j]), []).append(v)
            lists.setdefault((j, groups[i]), []).append(v)
    out = []
    for i, j in pairs:
        v = of_pair[(i, j)] if (i, j) in of_pair else kernels.shared_wording(ctx, np.asarray([i]),
                                                                               np.asarray([j]))[1][0]
        sides = []
        for a, b in ((i, j), (j, i)):
            mine = lists.get((a, groups[b]), [])
            sides.append((sum(x > v for x in mine), v / max(max(mine, default=0.0), v) if v > 0 else 0.0,
                          len(mine)))
        (ra, ta, na), (rb, tb, nb) = sides
        out.append((math.log1p(min(ra, rb)), math.log1p(max(ra, rb)), min(ta, tb), max(ta, tb),
                    math.log1p(min(na, nb)), math.log1p(max(na, nb))))
    return out


def _reference_features(ctx, pairs, scores, *, keys, same_doc, roles, kinds, stages, groups) -> np.ndarray:
    """The slow, obvious features: one pair at a time, each run walked n-gram by n-gram."""
    import math

    m, g = ctx.grams.matrix, ctx.grams
    rows = []
    rivals = _reference_rivals(ctx, groups, pairs)
    table, grams = load().word_lift, load().gram_lift
    lifts = []
    for i, j in pairs:
        row = ()
        for known in (sorted(table[w] for w in ctx.words(i) & ctx.words(j) if w in table),
                      sorted(grams[t] for t in ({ctx.texts[i][s:s + 4] for s in range(len(ctx.texts[i]) - 3)}
                                                & {ctx.texts[j][s:s + 4] for s in range(len(ctx.texts[j]) - 3)})
                             if t in grams)):
            row += (known[-1], sum(v for v in known if v > 0), known[0]) if known else (0.0, 0.0, 0.0)
        lifts.append(row)
    for n, (i, j) in enumerate(pairs):
        both = m[i].multiply(m[j]).tocsr()
        cols = both.indices
        evidence = float(g.weight[cols].sum())
        specific = float(ctx.specific_weight[cols].sum())
        rare = float(ctx.rare[cols].sum())
        template = float(ctx.template[cols].sum()) / len(cols) if len(cols) else 0.0
        seq = g.seq[g.seq_start[i]:g.seq_start[i + 1]]
        best = cur = 0.0
        for x in seq.tolist():
            cur = cur + ctx.specific_weight[x] if x in set(cols.tolist()) else 0.0
            best = max(best, cur)
        sc = scores[(i, j)]
        la, lb = len(ctx.texts[i]), len(ctx.texts[j])
        shared_words = sorted(ctx.words(i) & ctx.words(j))
        mass = math.fsum(ctx.idf[w] for w in shared_words)
        instrument = math.fsum(ctx.idf[w] for w in shared_words if w.endswith(lexicon("instruments")))
        norm = math.sqrt(math.fsum(ctx.idf[w] ** 2 for w in ctx.words(i))) * math.sqrt(
            math.fsum(ctx.idf[w] ** 2 for w in ctx.words(j)))
        cosine = math.fsum(ctx.idf[w] ** 2 for w in shared_words) / norm if norm else 0.0
        sentence = max(_sentence_share(ctx, keys[i].clauses, i, j), _sentence_share(ctx, keys[j].clauses, j, i))
        denom = min(ctx.word_mass[i], ctx.word_mass[j]) or 1.0
        ra, rb = roles[i], roles[j]
        rows.append((sc.clause / 100, sc.whole / 100, sc.local / 100, sc.coverage, math.log1p(evidence),
                     math.log1p(specific), specific / max(min(ctx.specific_mass[i], ctx.specific_mass[j]), 1.0),
                     math.log1p(rare), template, math.log1p(best), mass / denom, min(la, lb) / max(la, lb, 1),
                     math.log1p(min(la, lb)), math.log1p(max(la, lb)), float(same_doc[n]),
                     float((ra == "goal") + (rb == "goal")),
                     float((ra not in ("measure", "goal")) + (rb not in ("measure", "goal"))),
                     float((kinds[i] == "heading") + (kinds[j] == "heading")),
                     float(int(ctx.title_like[i]) + int(ctx.title_like[j])), float(stages[n]),
                     math.log1p(instrument), cosine, sentence) + rivals[n] + lifts[n] + (0.0,))
    return np.asarray(rows, dtype=float)   # named: 0 here, the caller sets it (``_reference_named_pairs``)


def _reference_named_pairs(prep):
    """Every pair (i, j), i < j, of measures of one document where one quotes the title of the other's
    sub-document (the document's title when it has none), found pair by pair."""
    from compare.align import names_title, quoted_names

    def title(m):
        t = m.subdoc or prep.by_doc[m.doc_id].meta.title
        return "".join(c for c in t if c not in "“”‘’「」『』《》〈〉\"' \u3000")

    def names(a, b):
        return a.doc_id == b.doc_id and a.subdoc != b.subdoc and any(names_title(n, title(b))
                                                                      for n in quoted_names(a.text))
    ms = prep.ms
    quoting = [i for i, m in enumerate(ms) if quoted_names(m.text)]
    out = set()
    for i in quoting:
        for j, m in enumerate(ms):
            if names(ms[i], m) or names(m, ms[i]):
                out.add((min(i, j), max(i, j)))
    return sorted(out)


def _sentence_share(ctx, clauses, i: int, j: int) -> float:
    """The best clause of key i: the share of its 4-grams' specific weight whose 4-gram key j contains too
    (clauses weighing less than 1 left out), walked 4-gram by 4-gram."""
    g = ctx.grams
    seq = g.seq[g.seq_start[i]:g.seq_start[i + 1]].tolist()
    other = set(g.matrix.indices[g.matrix.indptr[j]:g.matrix.indptr[j + 1]].tolist())
    best = 0.0
    for s, e in clauses:
        cols = seq[s:max(s, e - g.n + 1)]
        total = sum(float(ctx.specific_weight[c]) for c in cols)
        if total >= 1.0:
            best = max(best, sum(float(ctx.specific_weight[c]) for c in cols if c in other) / total)
    return best


def test_grams_are_found_by_their_string(corpus_docs, segmented):
    """``Grams.columns_of`` (the columns of the 4-gram table's strings) against the n-gram matrix: every 4-gram
    of a key is a column of that key's row, each distinct 4-gram its own column; a 4-gram of the corpus's
    characters that no key has, one with a character no key has, and a string of another length are -1."""
    from compare.align import prepare
    from compare.roles import select

    prep = prepare(list(corpus_docs.values()), select([m for s in segmented["coarse"].values() for m in s.measures]),
                   AlignConfig())
    g = prep.grams
    everything = {t[s:s + 4] for t in g.texts for s in range(len(t) - 3)}
    for i in range(0, len(g.texts), 97):
        grams = sorted({g.texts[i][s:s + 4] for s in range(len(g.texts[i]) - 3)})
        cols = g.columns_of(grams)
        row = set(g.matrix.indices[g.matrix.indptr[i]:g.matrix.indptr[i + 1]].tolist())
        assert (cols >= 0).all() and set(cols.tolist()) == row and len(set(cols.tolist())) == len(grams)
    chars = sorted({c for t in g.texts for c in t})
    absent = next(a + b + c + d for a in chars[:40] for b in chars[:40] for c in chars[:40] for d in chars[:40]
                  if a + b + c + d not in everything)
    assert g.n == 4 and g.columns_of([absent, "☃☃☃☃", "试点", "试点政策实施"]).tolist() == [-1, -1, -1, -1]


def test_grams_of_an_alphabet_too_large_to_pack():
    """Past 2**15 distinct characters a 4-gram no longer packs into 63 bits and ``Grams`` numbers the strings
    instead: ``columns_of`` finds them there too (35,000 CJK characters of the basic block and Extension B)."""
    import random

    from compare.align import Grams

    rng = random.Random(0)
    chars = [chr(0x4E00 + k) for k in range(20000)] + [chr(0x20000 + k) for k in range(15000)]
    texts = ["".join(rng.choice(chars) for _ in range(30)) for _ in range(500)] + ["".join(chars)]
    g = Grams(texts, 4)
    assert g.alphabet == 35000 and g._vocab is not None
    for i in range(0, 500, 25):
        grams = sorted({texts[i][s:s + 4] for s in range(len(texts[i]) - 3)})
        cols = g.columns_of(grams)
        assert (cols >= 0).all() and set(cols.tolist()) == set(
            g.matrix.indices[g.matrix.indptr[i]:g.matrix.indptr[i + 1]].tolist())
    assert g.columns_of(["abcd", texts[0][:3]]).tolist() == [-1, -1]


def test_the_default_cutoff_ignores_the_precision_of_the_last_few_pairs():
    """``fit_pair_model.operating_points`` by hand: 200 pairs at probabilities 0.0025 … 0.9975 (every 0.005),
    true from 0.60 up except one false pair at 0.9775: 79 true. Down to 0.54 the precision is 79/92 = 0.859, at
    0.53 79/94 = 0.840; at 0.97 it is 5/6 = 0.833 (recall 5/79), at 0.96 7/8. Required at every higher cutoff,
    that would put the default at 0.98; the rule checks precision only while a tenth of the true weight is kept
    (``TAIL_RECALL``), so the default is 0.54. The review cutoff (90% of the recall: 0.63, where 73 of the 79 true
    pairs lie above, 71 above 0.64) is never above the default. With three false pairs at the top (0.9525,
    0.9625, 0.9775; 77 true) the precision falls below 0.85 at 0.91 to 0.94 (15/18 … 9/12), where more than a
    tenth of the recall is kept, and no checked cutoff above holds it: the default is the cutoff of the best F0.5,
    0.60 (precision 77/80, recall 1; 0.59: 77/82), not 0.95 (7/10, in the unchecked tail, which a first form of
    the rule took) nor 0.98 (the old rule). A model whose precision never reaches 0.85 gets a checked cutoff too,
    and with no true pair at all the top of the grid."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import fit_pair_model as F

    p = (np.arange(200) + 0.5) / 200
    y = (p >= 0.60).astype(int)
    y[195] = 0
    w = np.ones(200)
    assert y.sum() == 79 and F.weighted_pr(p, y, w, 0.97) == (5 / 6, 5 / 79)
    assert F.weighted_pr(p, y, w, 0.54) == (79 / 92, 1.0) and F.weighted_pr(p, y, w, 0.53)[0] == 79 / 94
    assert F.weighted_pr(p, y, w, 0.63)[1] == 73 / 79 and F.weighted_pr(p, y, w, 0.64)[1] == 71 / 79
    assert F.operating_points(p, y, w) == (0.54, 0.54)
    top3 = y.copy()
    top3[[190, 192]] = 0
    assert top3.sum() == 77 and F.weighted_pr(p, top3, w, 0.95) == (7 / 10, 7 / 77)
    assert F.weighted_pr(p, top3, w, 0.91) == (15 / 18, 15 / 77) and F.weighted_pr(p, top3, w, 0.94) == (9 / 12, 9 / 77)
    assert F.weighted_pr(p, top3, w, 0.60) == (77 / 80, 1.0) and F.weighted_pr(p, top3, w, 0.59)[0] == 77 / 82
    assert F.operating_points(p, top3, w)[0] == 0.60
    weak = (np.arange(200) % 2 == 0).astype(int)   # every other pair true: precision 1/2 at every cutoff
    default, review = F.operating_points(p, weak, w)
    assert F.weighted_pr(p, weak, w, default)[1] >= F.TAIL_RECALL and default < 0.90
    assert F.operating_points(p, np.zeros(200, dtype=int), w) == (0.98, 0.001)
    saved = F.TAIL_RECALL
    try:
        F.TAIL_RECALL = 0.0   # the rule before the eighteenth model
        assert F.operating_points(p, y, w) == (0.98, 0.63)
        assert F.operating_points(p, top3, w)[0] == 0.98
    finally:
        F.TAIL_RECALL = saved


def test_word_lift_by_hand():
    """The word table of the ``lift_*`` features on three labelled pairs (one true, base rate 1/3, smoothing 5):
    试点 shared by the true pair and a false one: log(((1 + 5/3) / (2 + 5)) / (1/3)) = log(8/7); 加强 only by a
    false one: log(((0 + 5/3) / (1 + 5)) / (1/3)) = log(5/6); lifts are multiples of 2**-20."""
    import math

    from compare.pairmodel import word_lift

    table = word_lift([{"试点", "单一窗口"}, {"试点", "加强"}, {"服务"}], [1, 0, 0])
    assert sorted(table) == ["加强", "单一窗口", "服务", "试点"]
    assert abs(table["试点"] - math.log(8 / 7)) <= 2**-21 and abs(table["加强"] - math.log(5 / 6)) <= 2**-21
    assert table["单一窗口"] > table["试点"] > 0 > table["加强"] == table["服务"]
    assert all(v * 2**20 == int(v * 2**20) for v in table.values())
    assert word_lift([{"试点"}], [0]) == {}   # no true pair: no table
    model = load()
    assert FEATURES[-7:-4] == ("lift_max", "lift_sum", "lift_min") and len(model.word_lift) > 1000
    assert FEATURES[-4:] == ("gram_lift_max", "gram_lift_sum", "gram_lift_min", "named") and len(model.gram_lift) > 5000
    assert all(len(g) == 4 for g in model.gram_lift)


def test_features_equal_the_slow_reference(corpus_docs, segmented):
    """Every feature of 3,000 candidate pairs of the bundled corpus and of 200 pairs of a measure and a measure of
    a sub-document it names, block-wise against pair by pair."""
    from compare.align import named_of, prepare, rivals_of, score_pairs, stage
    from compare.candidates import candidate_pairs
    from compare.roles import select

    cfg = AlignConfig()
    ms = select([m for s in segmented["coarse"].values() for m in s.measures])
    prep = prepare(list(corpus_docs.values()), ms, cfg)
    pairs = sorted(candidate_pairs(prep.keys, prep.groups, config=cfg.blocking))[::7][:3000]
    pairs += sorted(set(_reference_named_pairs(prep)) - set(pairs))[::3][:200]
    scores = score_pairs(prep.keys, prep.units, set(pairs), local_min_chars=cfg.local_min_chars)
    same = [prep.ms[i].doc_id == prep.ms[j].doc_id for i, j in pairs]
    st = [stage(prep.ms[i].text, prep.by_doc[prep.ms[i].doc_id].meta.kind)
          != stage(prep.ms[j].text, prep.by_doc[prep.ms[j].doc_id].meta.kind) for i, j in pairs]
    kw = dict(same_doc=same, roles=[m.role for m in prep.ms], kinds=[m.kind for m in prep.ms], stages=st)
    pi, pj = (np.asarray(v, dtype=np.int64) for v in zip(*pairs))
    fast = prep.context.features(pairs, scores, rivals=rivals_of(prep, pi, pj), named=named_of(prep, pi, pj), **kw)
    slow = _reference_features(prep.context, pairs, scores, keys=prep.keys, groups=prep.groups, **kw)
    named = set(_reference_named_pairs(prep))
    slow[:, FEATURES.index("named")] = [float((i, j) in named) for i, j in pairs]
    n_named = len(pairs) - 3000
    assert 200 >= n_named >= 150 and fast.shape == slow.shape == (len(pairs), len(FEATURES))
    assert slow[:, FEATURES.index("named")].sum() >= n_named   # a candidate among the 3,000 may be named too
    assert (slow[:, FEATURES.index("run")] > 0).sum() > 500 and (slow[:, FEATURES.index("stage")] > 0).any()
    assert all((slow[:, FEATURES.index(f)] > 0).sum() > 100 for f in ("instrument", "word_cosine", "sentence",
                                                                    "rank_max", "top_min", "rivals_min",
                                                                    "lift_max", "lift_sum", "gram_lift_max",
                                                                    "gram_lift_sum"))
    assert (slow[:, FEATURES.index("lift_min")] < 0).sum() > 100   # shared words that weigh down
    assert (slow[:, FEATURES.index("gram_lift_min")] < 0).sum() > 100   # and shared 4-grams
    assert (slow[:, FEATURES.index("rank_min")] == 0).sum() > 100 and (slow[:, FEATURES.index("top_max")] == 1).any()
    t = FEATURES.index("template")   # a share computed in float32, as the 0/1 n-gram matrix is
    # the fast rows are rounded to multiples of 2**-24 (pairmodel.snap), the slow ones are not
    np.testing.assert_allclose(np.delete(fast, t, axis=1), np.delete(slow, t, axis=1), rtol=1e-9, atol=2**-24)
    np.testing.assert_allclose(fast[:, t], slow[:, t], rtol=1e-6, atol=2**-24)
    assert (np.round(fast * 2**24) == fast * 2**24).all()


def test_rank_columns_do_not_depend_on_how_the_lists_are_coded_or_split(corpus_docs, segmented):
    """``rival_columns`` with (measure, group) coded directly and by rank (``dense``, the path for corpora
    whose codes would not fit in 62 bits) gives the same columns; asking for a subset of the pairs gives
    those rows; pairs that share no specific wording, or lie in one group, get their lists' lengths."""
    from compare import kernels
    from compare.align import prepare, specific_codes
    from compare.pairmodel import rival_columns
    from compare.roles import select

    cfg = AlignConfig()
    ms = select([m for s in segmented["coarse"].values() for m in s.measures])
    prep = prepare(list(corpus_docs.values()), ms, cfg)
    n = len(prep.keys)
    codes = specific_codes(prep.context, prep.groups, n=n)
    extra = np.asarray([0 * n + 1, 2 * n + 3, 5 * n + 400], dtype=np.int64)   # likely unshared, and one group
    codes = np.union1d(codes, extra)
    pi, pj = codes // n, codes % n
    sp = kernels.shared_wording(prep.context, pi, pj)[1]
    full = rival_columns(prep.groups, pi, pj, sp)
    assert np.array_equal(full, rival_columns(prep.groups, pi, pj, sp, dense=True))
    some = np.arange(0, len(pi), 7)
    assert np.array_equal(full[some], rival_columns(prep.groups, pi, pj, sp, rows=some))
    assert len(pi) > 5000 and (full[:, 0] == 0).sum() > 1000 and (full[:, 5] > np.log1p(5)).any()
    g = np.asarray(prep.groups)
    same = np.flatnonzero(g[pi] == g[pj])
    assert np.all(full[same][:, [0, 4]] == 0)   # one group: no list on that side


def test_compiled_words_equal_jieba(corpus_docs):
    """``word_sets`` (jieba's dictionary and route, compiled) gives the sets ``jieba.lcut(text, HMM=False)``
    gives: the keys and texts of every bundled segment, lawref articles when ../shared is there, and edge
    cases: ASCII runs joined or not, characters outside jieba's blocks (〇, Ⅻ, ext. A), empty texts."""
    from compare.keys import make_key
    from compare.pairmodel import _words, word_sets

    from .conftest import LAWREF

    texts = []
    for s in pipeline.segment_all(list(corpus_docs.values())):
        for m in s.measures:
            texts += [m.text, make_key(m.text).text]
    if LAWREF.is_dir():
        texts += [p.read_text(encoding="utf-8")[:30_000] for p in sorted(LAWREF.rglob("*.md"))[::150]]
    texts += ["", "a", "ab", "AB12c", "abc试点x1y2", "〇一二三", "二〇二一年Ⅻ号", "㐀㐁中华人民共和国成立了abc123def",
              "x-1.5%试点", "c++与c#开发", "\r\n", "中华人民共和国" * 400]
    got = word_sets(texts)
    assert len(got) == len(texts) and sum(map(len, got)) > 50_000
    assert got == [_words(t) for t in texts]
    assert got == word_sets(texts[::-1])[::-1]   # each text on its own: the same sets in any company


def _slow_runs_and_sentences(ctx, pi, pj):
    """``kernels.runs_and_sentences`` the obvious way, one pair at a time: the other key's n-grams as a set,
    a walk over this key's n-grams in text order adding up each run of shared ones (template n-grams weigh 0
    and do not break a run), and per clause the weight found over the weight held."""
    g, m = ctx.grams, ctx.grams.matrix
    run, sentence = np.zeros(len(pi)), np.zeros(len(pi))
    for n, (i, j) in enumerate(zip(pi.tolist(), pj.tolist())):
        other = set(m.indices[m.indptr[j]:m.indptr[j + 1]].tolist())
        total = [0.0] * int(ctx.clause_count[i])
        found = [0.0] * int(ctx.clause_count[i])
        cur, best = 0.0, 0.0
        for s in range(int(g.seq_start[i]), int(g.seq_start[i + 1])):
            col = int(g.seq[s])
            w = float(ctx.specific_weight[col])
            cur = cur + w if col in other else 0.0
            best = max(best, cur)
            cl = int(ctx.pos_clause[s])
            if cl >= 0:
                total[cl] += w
                found[cl] += w if col in other else 0.0
        run[n] = best
        sentence[n] = max([f / max(t, 1.0) if t >= 1.0 else 0.0 for t, f in zip(total, found)] or [0.0])
    return run, sentence


def test_run_and_sentence_kernel_equals_slow_reference(corpus_docs, segmented):
    """The compiled run and sentence features against the obvious pair-by-pair computation, bit for bit:
    6,000 candidate pairs of the bundled corpus, as one block, as three, and with the sides swapped (each
    run is summed on its own, so a pair's figures do not depend on the block it is computed in)."""
    from compare import kernels
    from compare.align import prepare
    from compare.candidates import candidate_pairs
    from compare.roles import select

    cfg = AlignConfig()
    ms = select([m for s in segmented["coarse"].values() for m in s.measures])
    prep = prepare(list(corpus_docs.values()), ms, cfg)
    pairs = sorted(candidate_pairs(prep.keys, prep.groups, config=cfg.blocking))[::3][:6000]
    pi, pj = (np.asarray(v, dtype=np.int64) for v in zip(*pairs))
    ctx = prep.context
    for lo, hi in ((0, 6000), (0, 2000), (2000, 4500), (4500, 6000)):
        for a, b in ((pi[lo:hi], pj[lo:hi]), (pj[lo:hi], pi[lo:hi])):
            run, sentence = kernels.runs_and_sentences(ctx, a, b)
            ref_run, ref_sentence = _slow_runs_and_sentences(ctx, a, b)
            assert np.array_equal(run, ref_run) and np.array_equal(sentence, ref_sentence)
    run, sentence = kernels.runs_and_sentences(ctx, pi, pj)
    assert len(pairs) == 6000 and (run > 0).sum() > 1000 and (sentence > 0).sum() > 100


def test_shared_wording_kernel_equals_sparse_products(corpus_docs, segmented):
    """``kernels.shared_wording`` against the sparse computation it replaced (the rows both keys share, their
    weighted sums, the template share in float32), bit for bit, on 6,000 candidate pairs of the bundled
    corpus, in their order (grouped by the first measure) and shuffled."""
    from compare import kernels
    from compare.align import prepare
    from compare.candidates import candidate_pairs
    from compare.roles import select

    cfg = AlignConfig()
    ms = select([m for s in segmented["coarse"].values() for m in s.measures])
    prep = prepare(list(corpus_docs.values()), ms, cfg)
    pairs = sorted(candidate_pairs(prep.keys, prep.groups, config=cfg.blocking))[1::3][:6000]
    pi, pj = (np.asarray(v, dtype=np.int64) for v in zip(*pairs))
    ctx, m = prep.context, prep.context.grams.matrix
    both = m[pi].multiply(m[pj]).tocsr()
    both.sort_indices()
    evidence = np.asarray(both.multiply(ctx.grams.weight).sum(axis=1)).ravel()
    specific = np.asarray(both.multiply(ctx.specific_weight).sum(axis=1)).ravel()
    rare = np.asarray(both.multiply(ctx.rare).sum(axis=1)).ravel()
    shared = np.asarray(both.sum(axis=1)).ravel()
    tmpl = np.asarray(both.multiply(ctx.template.astype(np.float32)).sum(axis=1)).ravel()
    template = np.where(shared > 0, tmpl / np.maximum(shared, 1), 0.0)
    got = kernels.shared_wording(ctx, pi, pj)
    for fast, slow in zip(got, (evidence, specific, rare, template)):
        assert fast.dtype == slow.dtype and np.array_equal(fast, slow)
    mixed = np.random.default_rng(5).permutation(len(pi))   # pairs not grouped by pi: each pi marked again
    assert (pi[mixed][1:] != pi[mixed][:-1]).mean() > 0.9
    for fast, slow in zip(kernels.shared_wording(ctx, pi[mixed], pj[mixed]), (evidence, specific, rare, template)):
        assert np.array_equal(fast, slow[mixed])
    assert (evidence > 0).sum() > 3000 and ((template > 0) & (template < 1)).sum() > 300 and (rare > 0).sum() > 50


def test_named_links_join_the_journal_summary_to_the_reports_it_names(corpus_docs, segmented):
    """The journal's summary report names the topics each committee studied (“…”), and each topic is a report
    of the journal: the paragraphs link to those reports and to no other (read from the seed by hand)."""
    from compare.align import prepare
    from compare.roles import select

    ms = select([m for s in segmented["coarse"].values() for m in s.measures])
    prep = prepare(list(corpus_docs.values()), ms, AlignConfig())
    width = len(prep.group_names)
    linked: dict[str, set[str]] = {}
    for code in prep.links.tolist():
        m = prep.ms[code // width]
        doc, sub = prep.group_names[code % width]
        assert doc == m.doc_id and sub != m.subdoc   # inside one document, another sub-document
        linked.setdefault(m.text, set()).add(sub)
    of = lambda start: next(v for k, v in linked.items() if k.startswith(start))   # noqa: E731
    report = "关于北京市“十四五”时期{}的调研报告".format
    assert of("财政经济办公室、预算工作委员会对") == {report(t) for t in (
        "规划经济社会发展重要指标", "推进高精尖产业发展", "金融业高质量发展", "北京经济技术开发区发展", "促进京津冀产业协同发展",
        "公共财政发展")}
    assert of("城市建设环境保护办公室对") == {report(t) for t in (
        "垃圾分类和物业管理", "静态交通建设", "历史文化名城保护", "生态保护红线管理", "土壤污染防治", "住房租赁管理")}
    assert of("民族宗教侨务外事办公室对") == {report("推进北京“国际交往中心”功能建设"), report("推进服务业扩大开放工作")}
    # a quoted word shorter than six characters is no name: “文化中心”, “高质量发展”
    from compare.align import names_title, quoted_names

    assert quoted_names("加强“文化中心”建设，推动“高质量发展”，落实《北京市促进私营个体经济条例》") == ["北京市促进私营个体经济条例"]
    assert not names_title("推进高精尖产业发展", "关于北京市十四五时期公共财政发展的调研报告")
    # a cited document must be named whole (the title may add a word), not three quarters of it: the three false
    # links the review of the fourteenth model found in the compilation, and a true one that adds 发展
    titles = {m.subdoc for m in segmented["coarse"]["compilation_2021q1"].measures}
    port = next(t for t in titles if t.startswith("关于印发《关于进一步优化京津口岸营商环境"))
    customs = next(t for t in titles if t.startswith("北京海关关于进一步优化口岸营商环境"))
    plan = next(t for t in titles if t.startswith("加快科技创新推动国家服务业扩大开放综合示范区"))
    private = next(t for t in titles if t == "北京市促进私营个体经济发展条例")
    assert not names_title("优化营商环境条例", port) and not names_title("优化营商环境条例", customs)
    assert not names_title("中国(北京)自由贸易试验区总体方案", plan.translate(str.maketrans("", "", "《》“”")))
    assert not names_title("关于进一步优化京津口岸营商环境促进跨境贸易便利化若干措施的公告", customs)
    assert names_title("关于进一步优化京津口岸营商环境促进跨境贸易便利化若干措施的公告", port)
    assert names_title("北京市促进私营个体经济条例", private)


def test_named_pairs_take_the_calibrated_probability(corpus_docs, segmented):
    """A named pair's probability is the logistic function of the model's ``named`` (intercept, slope) applied to
    the trees' log-odds; any other pair's is the trees' own; a slope that is not positive is refused."""
    from compare.align import named_of, pair_features, prepare, score_pairs
    from compare.pairmodel import PairModel
    from compare.roles import select

    ms = select([m for s in segmented["coarse"].values() for m in s.measures])
    prep = prepare(list(corpus_docs.values()), ms, AlignConfig())
    width = len(prep.group_names)
    groups = np.asarray(prep.groups)
    pairs = sorted({tuple(sorted((c // width, int(j)))) for c in prep.links.tolist()[:3]
                    for j in np.flatnonzero(groups == c % width)[:10]})
    x = pair_features(prep, pairs, score_pairs(prep.keys, prep.units, set(pairs), local_min_chars=14))
    k = FEATURES.index("named")
    pi, pj = (np.asarray(v, dtype=np.int64) for v in zip(*pairs))
    assert x[:, k].sum() == len(pairs) == 30 and (named_of(prep, pi, pj) == 1).all()
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    data["named"] = {"intercept": 0.5, "slope": 0.25, "rows": 100, "true": 50}
    model = PairModel.from_json(json.dumps(data).encode("utf-8"))
    raw = model.scorer.raw(x)
    expected = 1 / (1 + np.exp(-(0.5 + 0.25 * raw)))
    np.testing.assert_allclose(model.probability(x), expected, rtol=1e-12)
    plain = x.copy()
    plain[:, k] = 0.0   # the trees split on ``named`` too: the same rows unnamed have raw scores of their own
    np.testing.assert_allclose(model.probability(plain), 1 / (1 + np.exp(-model.scorer.raw(plain))), rtol=1e-12)
    assert (model.scorer.raw(plain) != raw).any()
    data["named"]["slope"] = 0.0
    with pytest.raises(ValueError, match="positive slope"):
        PairModel.from_json(json.dumps(data).encode("utf-8"))
    data["named"]["slope"], data["features"] = 0.25, data["features"][:-1]   # the thirteenth's features
    with pytest.raises(ValueError, match="no named feature"):
        PairModel.from_json(json.dumps(data).encode("utf-8"))


_FEATURES_SCRIPT = """
import sys
import numpy as np
from compare import pipeline
from compare.align import AlignConfig, pair_features, prepare, score_pairs
from compare.candidates import candidate_pairs
from compare.roles import select
docs = pipeline.load(None).documents
ms = select([m for s in pipeline.segment_all(docs) for m in s.measures])
cfg = AlignConfig()
prep = prepare(docs, ms, cfg)
pairs = sorted(candidate_pairs(prep.keys, prep.groups, config=cfg.blocking))[::5][:3000]
x = pair_features(prep, pairs, score_pairs(prep.keys, prep.units, set(pairs), local_min_chars=cfg.local_min_chars))
np.save(sys.argv[1], x)
np.save(sys.argv[2], np.log1p(np.linspace(0.0, 50.0, 100_001)))
"""


def test_features_are_the_same_with_and_without_avx512(tmp_path):
    """NumPy computes ``log1p`` with the widest SIMD instructions the processor has, and AVX-512 and AVX2 differ
    in the last bit: the same labelled pairs once fitted different trees on CI's processor (the rebuild test
    failed there). The features are rounded to multiples of 2**-24 (``pairmodel.snap``): 3,000 candidate pairs
    of the bundled corpus give the same bytes with NumPy's AVX-512 code and with it switched off
    (``NPY_DISABLE_CPU_FEATURES``), while ``log1p`` itself does differ between the two."""
    try:
        from numpy._core._multiarray_umath import __cpu_features__
    except ImportError:   # NumPy 1
        from numpy.core._multiarray_umath import __cpu_features__
    if not __cpu_features__.get("AVX512F"):
        pytest.skip("this processor has no AVX-512: there is no second instruction set to compare with")
    off = " ".join(k for k, v in __cpu_features__.items() if v and (k.startswith("AVX512") or k == "X86_V4"))
    runs = {}
    for name, env in (("native", {}), ("avx2", {"NPY_DISABLE_CPU_FEATURES": off})):
        x, raw = tmp_path / f"{name}.npy", tmp_path / f"{name}_log1p.npy"
        r = subprocess.run([sys.executable, "-c", _FEATURES_SCRIPT, str(x), str(raw)], capture_output=True,
                           text=True, env={**os.environ, **env})
        assert r.returncode == 0, r.stderr
        runs[name] = np.load(x), np.load(raw)
    (x_native, log_native), (x_avx2, log_avx2) = runs["native"], runs["avx2"]
    assert (log_native != log_avx2).sum() > 1000   # the two instruction sets do round differently
    assert x_native.shape == (3000, len(FEATURES)) and x_native.tobytes() == x_avx2.tobytes()
