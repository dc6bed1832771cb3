"""Ingest: encodings, metadata validation, file-name inference, the bundled corpus."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from compare.errors import InputError, LookupFailure, MetadataError
from compare.ingest import collect, decode, infer_meta, infer_region, load_metadata, read_document, region_key, region_parts
from compare.pipeline import BUNDLED_CORPUS

from .conftest import SEEDS


def _seed_text(name: str) -> str:
    return (BUNDLED_CORPUS / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name, encoding", [
    ("chongqing_ftz_rectification_report_2024.txt", "gb18030"),
    ("haidian_liangqu_implementation_plan.txt", "big5"),
    ("chongqing_ftz_rectification_report_2024.txt", "utf-16"),
    ("chongqing_ftz_rectification_report_2024.txt", "utf-16-le"),
    ("chongqing_ftz_rectification_report_2024.txt", "utf-8-sig"),
])
def test_decodes_real_documents_in_legacy_encodings(name, encoding):
    text = _seed_text(name)
    if encoding == "big5":  # Big5 cannot hold every character of the page; keep what it can
        text = text.encode("big5", errors="ignore").decode("big5")
    data = text.encode(encoding)
    decoded, used = decode(data, path=name)
    assert decoded == text
    assert used == {"utf-16": "utf-16", "utf-8-sig": "utf-8-sig"}.get(encoding, encoding)


def test_undecodable_file_names_the_file(tmp_path):
    bad = tmp_path / "broken.txt"
    bad.write_bytes(bytes(range(128, 256)) * 50)
    with pytest.raises(InputError) as exc:
        read_document(infer_meta(bad))
    assert "broken.txt" in str(exc.value) and "decoded" in str(exc.value)


def test_file_name_inference_reads_version_dates():
    m = infer_meta(Path("北京市优化营商环境条例(2024-11-29).md"))
    assert (m.title, m.date, m.series, m.id, m.kind) == (
        "北京市优化营商环境条例", "2024-11-29", "北京市优化营商环境条例", "北京市优化营商环境条例@2024-11-29", "law")
    plain = infer_meta(Path("notes.txt"))
    assert (plain.title, plain.date, plain.series) == ("notes", "", "")


def test_file_name_inference_names_the_region_of_the_title_or_the_folder(tmp_path):
    """A folder without corpus.toml: the region is the place a (lawref) title starts with, a district after
    its city, an FTZ's city in brackets, else the province a folder is named for; a national law and a title
    that names no place have none. ``region:山东省`` then selects a province's documents, its cities' too."""
    import pandas as pd

    from compare.gaps import select

    law = tmp_path / "DLC" / "山东地方法规" / "地方性法规" / "山东"
    law.mkdir(parents=True)
    names = {"青岛市城市绿化条例(2010-10-29).md": "山东省 (青岛市)",
             "山东省实施《中华人民共和国农民专业合作社法》办法(2018-01-23).md": "山东省",
             "齐鲁文化保护条例(2020-01-01).md": "山东省",   # no place in the title: the folder's province
             "中华人民共和国民法典(2020-05-28).md": ""}   # national, though filed under 山东
    for name in names:
        (law / name).write_text("第一条 为了规范管理，制定本条例。", encoding="utf-8")
    metas = collect([tmp_path])
    assert {Path(m.file).name: m.region for m in metas} == names
    elsewhere = {"北京市海淀区促进科技成果转化条例.md": "北京市 (海淀区)", "中国(上海)自由贸易试验区条例.md": "上海市",
                 "中华人民共和国民法典(2020-05-28).md": "", "海淀区“两区”建设实施方案.txt": "北京市 (海淀区)",
                 "重庆市渝中区实施方案.txt": "重庆市 (渝中区)", "广西壮族自治区实施办法.md": "广西壮族自治区",
                 "notes.txt": ""}
    assert {n: infer_meta(tmp_path / n).region for n in elsewhere} == elsewhere
    # a title that only starts like a city or district (大兴安岭, 普陀山, 和平利用, 中山大学) names no place: the
    # folder decides; a folder above the one given never does (~/上海/ holding a researcher's other documents)
    other = tmp_path / "上海" / "given" / "黑龙江"
    other.mkdir(parents=True)
    for name in ("大兴安岭林区管理条例.md", "普陀山风景名胜区条例.md", "和平利用核能办法.md", "中山大学章程.md"):
        (other / name).write_text("第一条 为了规范管理。", encoding="utf-8")
    assert {m.region for m in collect([tmp_path / "上海" / "given"])} == {"黑龙江省"}
    (tmp_path / "上海" / "given" / "滨海湿地保护条例.md").write_text("第一条 为了规范管理。", encoding="utf-8")
    got = {Path(m.file).name: m.region for m in collect([tmp_path / "上海" / "given"])}
    assert got["滨海湿地保护条例.md"] == "" and got["大兴安岭林区管理条例.md"] == "黑龙江省"
    # a folder counts when it is named for a place alone, not for an institution or project of one
    for folder, region in (("北京大学", ""), ("北京项目", ""), ("青岛市", "山东省 (青岛市)"), ("浙江", "浙江省")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "齐鲁文化保护条例.md").write_text("第一条 为了规范管理。", encoding="utf-8")
        assert infer_meta(tmp_path / folder / "齐鲁文化保护条例.md").region == region, folder
    docs = pd.DataFrame([{"doc_id": m.id, "region": m.region, "series": m.series, "kind": m.kind} for m in metas])
    assert len(select(docs, "region:山东省")) == 3 and len(select(docs, "region:山东省 (青岛市)")) == 1


def test_a_title_that_starts_with_an_institution_names_no_place(tmp_path):
    """A province's short name that begins an institution's name (北京大学, 四川大学, 上海证券交易所, 北京日报) is
    not the document's place, while a place's own compounds (北京经济技术开发区, 上海浦东新区, 北京地铁) and a
    full name (北京市…) still are; the folder decides for the institution's document."""
    titles = {"北京大学章程": "", "北京师范大学学术委员会章程": "", "四川大学学位授予工作细则": "",
              "北京协和医院管理规定": "", "上海证券交易所股票上市规则": "", "北京日报社章程": "", "北京银行章程": "",
              "上海学校食品安全条例": "上海市", "北京大学生创业扶持办法": "北京市",
              "北京经济技术开发区条例": "北京市", "上海浦东新区促进条例": "上海市 (浦东新区)",
              "北京地铁运营管理办法": "北京市", "江苏银行业监督管理办法": "江苏省", "北京市海淀区科技条例": "北京市 (海淀区)",
              "广东自由贸易试验区条例": "广东省",
              # a special economic zone is its city's (lawref files them under the province's folder, 广东/)
              "深圳经济特区数据条例": "广东省 (深圳市)", "汕头经济特区科技创新条例": "广东省 (汕头市)",
              "珠海经济特区横琴新区条例": "广东省 (珠海市)", "厦门经济特区促进社会文明若干规定": "福建省 (厦门市)",
              "海南经济特区禁毒条例": "海南省"}
    assert {t: infer_region(t) for t in titles} == titles
    (tmp_path / "四川").mkdir()
    (tmp_path / "四川" / "四川大学章程.md").write_text("第一条 为了规范管理。", encoding="utf-8")
    assert infer_meta(tmp_path / "四川" / "四川大学章程.md").region == "四川省"


def test_one_region_in_two_spellings_is_one_region():
    """corpus.toml's English (Beijing, Beijing (Haidian)) and an inferred Chinese region (北京市, 北京市 (海淀区)) of
    the same city: ``region:`` selects both, the gaps between regions treat them as one region, named as the first
    document spells it; a district is chosen in any of its spellings (English pinyin, its Chinese name with or
    without 区), and a district another province has by the same name is not."""
    import pandas as pd

    from compare.gaps import between_regions, region_units, regions_of, select

    docs = pd.DataFrame({"doc_id": ["a", "b", "c", "d", "e"],
                         "region": ["Beijing", "北京市 (海淀区)", "Chongqing", "重庆市", "Beijing (Haidian)"],
                         "series": "", "kind": ""})
    assert regions_of(docs["region"]) == ["Beijing", "Chongqing"]
    assert select(docs, "region:Beijing") == select(docs, "region:北京市") == select(docs, "region:北京") == ["a", "b", "e"]
    assert select(docs, "region:Chongqing") == ["c", "d"]
    assert select(docs, "region:Beijing (Haidian)") == select(docs, "region:北京 (海淀)") == ["b", "e"]
    assert select(docs, "region:Beijing (Haidian District)") == ["b", "e"]
    with pytest.raises(LookupFailure, match="Dongcheng"):
        select(docs, "region:Beijing (Dongcheng)")
    measures = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "measure_id": ["a1", "b1", "c1", "d1"], "theme": "",
                             "role": "measure", "label": "", "path": "", "text": ["x", "y", "z", "w"]})
    pairs = pd.DataFrame({"doc_a": ["b"], "doc_b": ["d"], "measure_a": ["b1"], "measure_b": ["d1"],
                          "relation": ["related"]})
    gaps = between_regions(docs, measures, pairs)
    assert sorted(zip(gaps["from"], gaps["measure_id"])) == [("Beijing", "a1"), ("Chongqing", "c1")]
    assert region_key("Inner Mongolia") == "内蒙古自治区" and region_key("Atlantis") == "Atlantis"
    # full-width brackets are a district too; a city named alone chooses the documents of its province's city
    more = pd.DataFrame({"doc_id": ["f", "g", "h"], "region": ["北京市（朝阳区）", "广东省 (深圳市)", "广东省 (广州市)"],
                         "series": "", "kind": ""})
    assert select(more, "region:北京市（朝阳区）") == ["f"] and select(more, "region:Beijing") == ["f"]
    assert select(more, "region:Beijing (Chaoyang)") == ["f"] and select(more, "region:Guangdong (Shenzhen City)") == ["g"]
    assert region_parts("Shanghai (Changning)") == ("上海市", "长宁区")     # 长 read chang, not zhang
    assert region_parts("Liaoning (Chaoyang)") == ("辽宁省", "朝阳市")      # Liaoning's 朝阳, not Beijing's 朝阳区
    assert region_parts("Beijing (Atlantis)") == ("北京市", "Atlantis")
    assert select(more, "region:深圳市") == ["g"] and select(more, "region:广东省") == ["g", "h"]
    assert regions_of(more["region"]) == ["北京市", "广东省"]           # what region: chooses whole
    assert list(region_units(more["region"]).values()) == ["北京市", "广东省 (深圳市)", "广东省 (广州市)"]   # the report's
    # a name written with its kind folds only to a name of that kind where the table holds only cities
    assert region_parts("Liaoning (Jinzhou District)") == ("辽宁省", "Jinzhou District")   # Dalian's 金州区, not 锦州市
    assert region_parts("湖南省 (长沙县)") == ("湖南省", "长沙县") and region_parts("Liaoning (Jinzhou)") == ("辽宁省", "锦州市")
    assert region_parts("Beijing (Miyun County)") == ("北京市", "密云区")   # a municipality's county become district
    assert region_parts("Jilin (Yanbian)") == region_parts("吉林省 (延边州)") == ("吉林省", "延边朝鲜族自治州")
    assert region_parts("Guizhou (Qianxinan)") == ("贵州省", "黔西南布依族苗族自治州")
    assert region_units(["Foo", "Foo (Bar)", "Guangdong (Nanshan)", "广东省"]) == {("Foo", ""): "Foo",
                                                                                   ("广东省", ""): "Guangdong"}


def test_a_city_or_district_named_alone_in_any_spelling_chooses_its_documents():
    """``region:Shenzhen`` (English, alone), ``region:深圳`` and ``region:深圳市`` choose the documents of
    广东省 (深圳市) and of a region written 深圳市 alone; ``region:Haidian`` Beijing's district. A name that is two
    places among the documents (Taizhou: 台州市 in Zhejiang, 泰州市 in Jiangsu) is an error naming both, and a
    province's name (Jilin) stays the province, not its city 吉林市."""
    import pandas as pd

    from compare.gaps import region_units, regions_of, select

    docs = pd.DataFrame({"doc_id": list("abcdefg"),
                         "region": ["广东省 (深圳市)", "广东省 (广州市)", "深圳市", "Beijing (Haidian)", "北京市",
                                    "浙江省 (台州市)", "吉林省 (吉林市)"], "series": "", "kind": ""})
    for name in ("Shenzhen", "深圳", "深圳市", "Shenzhen City", " shen zhen "):
        assert select(docs, f"region:{name}") == ["a", "c"], name
    assert select(docs, "region:Haidian") == select(docs, "region:海淀") == ["d"]
    assert select(docs, "region:Taizhou") == ["f"]          # only Zhejiang's among these documents
    assert select(docs, "region:Jilin") == ["g"]            # the province (with its city)
    with pytest.raises(LookupFailure, match="Shenzhen District"):   # a city is not a district
        select(docs, "region:Shenzhen District")
    # a document whose region is a city named alone, in any spelling, is that city of its province (a reviewer
    # found region:深圳市 missing a document written "Shenzhen", and three Shenzhens among the report's regions)
    alone = pd.DataFrame({"doc_id": list("xyz"), "region": ["Shenzhen", "深圳", "Shēnzhèn"], "series": "", "kind": ""})
    mixed = pd.concat([docs, alone])
    assert select(mixed, "region:深圳市") == select(mixed, "region:Shenzhen") == ["a", "c", "x", "y", "z"]
    assert select(mixed, "region:Guangdong") == ["a", "b", "c", "x", "y", "z"]
    assert [k for k in region_units(mixed["region"]) if k[1] == "深圳市"] == [("广东省", "深圳市")]
    assert regions_of(alone["region"]) == ["广东省"]                    # the province, officially named
    # usual English names that are not pinyin
    assert region_parts("Harbin") == ("黑龙江省", "哈尔滨市") and region_parts("Urumqi") == ("新疆维吾尔自治区", "乌鲁木齐市")
    assert region_parts("Xinjiang (Kashgar)") == ("新疆维吾尔自治区", "喀什地区") and region_parts("Taizhou") == ("Taizhou", "")
    both = pd.concat([docs, pd.DataFrame({"doc_id": ["h"], "region": ["江苏省 (泰州市)"], "series": "", "kind": ""})])
    with pytest.raises(LookupFailure, match=r"浙江省 \(台州市\).*江苏省 \(泰州市\)|江苏省 \(泰州市\).*浙江省 \(台州市\)"):
        select(both, "region:Taizhou")
    assert select(both, "region:Zhejiang (Taizhou)") == ["f"]


def test_the_gaps_between_regions_keep_a_province_and_its_cities_apart():
    """Three lawref regulations: Guangdong's own (广东省优化营商环境条例), Guangzhou's and Shenzhen's, their regions
    inferred from the titles. The report's gaps between regions compare three regions, not one 广东省 with itself
    (it had none: every region was its province), and each region's gaps are its own measures."""
    from compare import pipeline, report
    from compare.gaps import between_regions

    from .conftest import LAWREF

    folder = LAWREF / "DLC" / "广东地方法规" / "地方性法规" / "广东"
    files = [folder / n for n in ("广东省优化营商环境条例(2022-06-01).md", "广州市青年创新创业促进条例(2023-01-19).md",
                                  "深圳市人民代表大会常务委员会任免国家机关工作人员条例(2022-12-08).md")]
    if not all(f.is_file() for f in files):
        pytest.skip(f"lawref corpus not found at {LAWREF}")
    docs = pipeline.load(files).documents
    assert [d.meta.region for d in docs] == ["广东省", "广东省 (广州市)", "广东省 (深圳市)"]
    measures = [m for s in pipeline.segment_all(docs) for m in s.measures]
    data = report.build(docs, measures, pipeline.align_documents(docs), [])
    gaps = data.gaps
    names = ("广东省 (province)", "广东省 (广州市)", "广东省 (深圳市)")   # the province's own documents, its two cities
    assert sorted(set(zip(gaps["from"], gaps["to"]))) == sorted((a, b) for a in names for b in names if a != b)
    own = {d: r if "(" in r else f"{r} (province)" for d, r in zip(data.documents["doc_id"], data.documents["region"])}
    measure_doc = dict(zip(data.measures["measure_id"], data.measures["doc_id"]))
    assert all(own[measure_doc[m]] == f for m, f in zip(gaps["measure_id"], gaps["from"]))
    assert len(between_regions(data.documents.assign(region="广东省"), data.measures, data.pairs)) == 0
    # more regions than the report compares: the provinces instead (Beijing and 广东省), not nothing
    many = data.documents.assign(region=["Beijing", "广东省 (广州市)", "广东省 (深圳市)"])
    assert sorted(set(between_regions(many, data.measures, data.pairs, max_regions=2)["from"])) == ["Beijing", "广东省"]
    # the gap browser offers the province whole (region:广东省 chooses its cities too) and each city
    from compare.widgets import Session

    assert [label for label, _ in Session(files).against_options() if label.startswith("region")] == [
        "region 广东省", "region 广东省 (广州市)", "region 广东省 (深圳市)"]


def test_bundled_corpus_is_byte_identical_to_the_seeds():
    metas = load_metadata(BUNDLED_CORPUS / "corpus.toml")
    assert len(metas) == 5
    if not SEEDS.is_dir():
        pytest.skip(f"seeds not found at {SEEDS}")
    for m in metas:
        ours = Path(m.file).read_bytes()
        theirs = (SEEDS / Path(m.file).name).read_bytes()
        assert hashlib.sha256(ours).hexdigest() == hashlib.sha256(theirs).hexdigest()


def test_read_document_keeps_raw_bytes_and_reports_encoding(corpus_docs):
    d = corpus_docs["haidian_plan"]
    data = Path(d.path).read_bytes()
    assert d.raw == data.decode("utf-8") and d.sha256 == hashlib.sha256(data).hexdigest()
    assert d.encoding == "utf-8" and d.normalized.script == "traditional"


def _write_toml(folder: Path, body: str) -> Path:
    (folder / "a.txt").write_text("一、总则\n（一）推动高水平开放。", encoding="utf-8")
    p = folder / "corpus.toml"
    p.write_text(body, encoding="utf-8")
    return p


@pytest.mark.parametrize("body, message", [
    ('[[document]]\nid="a"\nfile="a.txt"\ntitle="A"\ncolour="red"\n', "unknown field(s): colour"),
    ('[[document]]\nid="a"\nfile="missing.txt"\ntitle="A"\n', "file 'missing.txt' does not exist"),
    ('[[document]]\nid="a"\nfile="a.txt"\n', "missing field 'title'"),
    ('[[document]]\nid="a"\nfile="a.txt"\ntitle=5\n', "'title' must be a string, not int 5"),
    ('[[document]]\nid="a"\nfile="a.txt"\ntitle=""\n', "empty field 'title'"),
    ('document = [1, 2]\n', "[[document]] #1: must be a table of fields"),
    ('[[document]]\nid="a"\nfile="../outside.txt"\ntitle="A"\n', "lies outside the corpus folder"),
    ('[[document]]\nid="a"\nfile="/etc/hostname"\ntitle="A"\n', "lies outside the corpus folder"),
    ('[[document]]\nid="../x"\nfile="a.txt"\ntitle="A"\n', "may not contain '/'"),
    ('[[document]]\nid="a\\u0007"\nfile="a.txt"\ntitle="A"\n', "control characters"),
    ('[[document]]\nid="a"\nfile="a.txt"\ntitle="A"\ndate="2021-13-45"\n', "date '2021-13-45' is not a date"),
    ('[[document]]\nid="a"\nfile="a.txt"\ntitle="A"\ndate="yesterday"\n', "date 'yesterday' is not a date"),
    ('[[document]]\nid="a"\nfile="a.txt"\ntitle="A"\n[[document]]\nid="a"\nfile="a.txt"\ntitle="B"\n',
     "duplicate id 'a'"),
    ('[[document]]\nid="a"\nfile="a.txt"\ntitle="A"\nscript="klingon"\n', "script must be one of"),
    ('[[document]]\nid="a"\nfile="a.txt"\ntitle="A"\nbatch=2\n', "'batch' needs 'series'"),
    ('[[document]\n', "not valid TOML"),
])
def test_metadata_errors_name_the_file_and_the_reason(tmp_path, body, message):
    p = _write_toml(tmp_path, body)
    with pytest.raises(MetadataError) as exc:
        collect([tmp_path])
    assert message in str(exc.value) and str(p) in str(exc.value)


def test_folder_without_metadata_infers_it(tmp_path):
    for date in ("2020-03-27", "2024-11-29"):
        (tmp_path / f"北京市优化营商环境条例({date}).md").write_text("第一条 为了持续优化营商环境。", encoding="utf-8")
    metas = collect([tmp_path])
    assert [m.date for m in metas] == ["2020-03-27", "2024-11-29"]
    assert {m.series for m in metas} == {"北京市优化营商环境条例"}


def test_a_file_reached_twice_is_read_once_with_its_corpus_toml_metadata():
    """The Haidian plan given alone and then with its folder (the bundled corpus): one document, first (where it
    was first named), with the id, title and region corpus.toml gives it, not the ones guessed from its file
    name; given after its folder, the same; a folder given twice, each document once."""
    described = {m.file: m for m in collect([BUNDLED_CORPUS])}
    plan = BUNDLED_CORPUS / "haidian_liangqu_implementation_plan.txt"
    guessed = collect([plan])[0]
    assert guessed.id != described[str(plan)].id   # the file name's guess is not corpus.toml's
    first = collect([plan, BUNDLED_CORPUS])
    assert first[0] == described[str(plan)] and len(first) == len(described)
    assert sorted(first, key=lambda m: m.file) == sorted(described.values(), key=lambda m: m.file)
    assert collect([BUNDLED_CORPUS, plan]) == collect([BUNDLED_CORPUS, BUNDLED_CORPUS]) == list(described.values())


def test_inputs_are_never_modified(tmp_path, corpus_docs):
    before = {p.name: p.read_bytes() for p in BUNDLED_CORPUS.iterdir() if p.is_file()}
    collect([BUNDLED_CORPUS])
    for meta in load_metadata(BUNDLED_CORPUS / "corpus.toml"):
        read_document(meta)
    after = {p.name: p.read_bytes() for p in BUNDLED_CORPUS.iterdir() if p.is_file()}
    assert before == after
