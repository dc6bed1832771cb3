"""Bad inputs, generated here (no committed binaries): each gives an exit code, no traceback, the file and the
reason on stderr, and the good documents' results still written; nothing hangs (every run has a timeout)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from compare import pipeline

GOOD = pipeline.BUNDLED_CORPUS / "chongqing_ftz_rectification_report_2024.txt"
COMMANDS = (("segment",), ("align",), ("evolve", "--in-order"), ("report",))


def cli(*args: str, cwd: Path | None = None, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "compare", *args], capture_output=True, timeout=timeout, cwd=cwd)


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "cq.txt").write_bytes(GOOD.read_bytes())
    (folder / "hd.txt").write_bytes((pipeline.BUNDLED_CORPUS / "haidian_liangqu_implementation_plan.txt").read_bytes())
    return folder


def _check(r: subprocess.CompletedProcess, *named: str, code: int = 1) -> str:
    err = r.stderr.decode("utf-8", "replace")
    assert r.returncode == code, (r.returncode, err[-600:])
    assert "Traceback" not in err, err[-2000:]
    for n in named:
        assert n in err, (n, err[-600:])
    return err


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_files_that_are_not_documents_are_named_and_never_read(tmp_path, command):
    """A FIFO named .txt (never opened, so nothing waits), a link to /dev/zero, a dangling and a looping link."""
    folder = _folder(tmp_path)
    os.mkfifo(folder / "pipe.txt")
    os.symlink("/dev/zero", folder / "zero.txt")
    os.symlink(folder / "nowhere.txt", folder / "dangling.txt")
    os.symlink(folder / "loop_b.txt", folder / "loop_a.txt")
    os.symlink(folder / "loop_a.txt", folder / "loop_b.txt")
    out = tmp_path / ("out" if command[0] == "report" else "out.jsonl")
    r = cli(*command, str(folder), "--out", str(out), "--quiet", timeout=300)
    err = _check(r, "pipe.txt", "zero.txt", "dangling.txt", "loop_a.txt", code=0)
    assert "FIFO" in err and "dangling" in err and "loops" in err
    assert out.exists()


def test_direct_fifo_device_and_huge_file(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    _check(cli("segment", str(tmp_path / "pipe.txt"), str(GOOD), "--format", "jsonl", timeout=60),
           "pipe.txt: is a FIFO")
    os.symlink("/dev/zero", tmp_path / "zero.txt")
    r = cli("segment", str(tmp_path / "zero.txt"), str(GOOD), "--format", "jsonl", timeout=60)
    _check(r, "zero.txt: is a device")
    assert {json.loads(x)["doc_id"] for x in r.stdout.decode().splitlines()} == {GOOD.stem}
    from compare.config import Config
    from compare.errors import InputError
    from compare.ingest import read_bounded

    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(3 * 1024 * 1024)
    with pytest.raises(InputError, match="more than the 2 MB limit"):
        read_bounded(big, max_bytes=Config(max_file_mb=2).max_file_mb * 1024 * 1024)


def test_file_names_that_are_not_utf8_and_paths_too_long(tmp_path):
    folder = _folder(tmp_path)
    name = os.fsencode(folder) + b"/\xb1\xb1\xbe\xa9.txt"          # 北京 in GBK bytes: not UTF-8
    with open(name, "wb") as fh:
        fh.write("一、总则\n（一）推动高水平开放，建设国际科技创新中心。\n".encode("utf-8"))
    out = tmp_path / "seg.jsonl"
    r = cli("segment", str(folder), "--out", str(out))
    _check(r, code=0)
    ids = {json.loads(x)["doc_id"] for x in out.read_text(encoding="utf-8").splitlines()}
    assert {"cq", "hd"} < ids and any("\ufffd" in i for i in ids)
    long_path = tmp_path / ("长" * 300 + ".txt")
    r = cli("segment", str(long_path), str(GOOD), "--format", "jsonl")
    assert r.returncode in (1, 2) and "Traceback" not in r.stderr.decode()


@pytest.mark.parametrize("command", ("segment", "align", "evolve"))
def test_out_that_cannot_be_used_is_refused_before_the_run(tmp_path, command):
    doc = tmp_path / "v.txt"
    doc.write_bytes(GOOD.read_bytes())
    before = doc.read_bytes()
    extra = ("--in-order",) if command == "evolve" else ()
    _check(cli(command, str(doc), str(GOOD), *extra, "--out", str(doc)), "--out is an input document", code=2)
    assert doc.read_bytes() == before
    _check(cli(command, str(doc), str(GOOD), *extra, "--out", str(tmp_path)), "--out is a folder", code=2)
    # a place that cannot be written: under a file (for every user), and in a read-only folder (unless the
    # tests run as root, who may write there)
    _check(cli(command, str(doc), str(GOOD), *extra, "--out", str(doc / "x.jsonl")), "cannot be written", code=2)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if not os.access(locked, os.W_OK):
            _check(cli(command, str(doc), str(GOOD), *extra, "--out", str(locked / "x.jsonl")), "cannot be written",
                   code=2)
    finally:
        locked.chmod(0o700)


def test_report_out_that_cannot_be_used(tmp_path):
    folder = _folder(tmp_path)
    (tmp_path / "file").write_text("x", encoding="utf-8")
    _check(cli("report", str(folder), "--out", str(tmp_path / "file")), "the report needs a folder", code=2)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.docx").write_bytes(b"keep me")
    _check(cli("report", str(folder), "--out", str(mine)), "holds files that are not a report's", code=2)
    assert (mine / "thesis.docx").read_bytes() == b"keep me"
    _check(cli("report", str(folder), "--out", str(folder)), code=2)


def test_corpus_metadata_cannot_reach_outside_its_folder(tmp_path):
    folder = _folder(tmp_path)
    (folder / "corpus.toml").write_text('[[document]]\nid = "x"\nfile = "/etc/hostname"\ntitle = "x"\n',
                                        encoding="utf-8")
    r = cli("segment", str(folder), "--format", "jsonl")
    _check(r, "corpus.toml", "lies outside the corpus folder", code=2)
    assert b"hostname" not in r.stdout


def test_files_outside_the_corpus_folder_only_when_the_researcher_allows_it(tmp_path):
    folder = _folder(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "hd.txt").write_bytes((folder / "hd.txt").read_bytes())
    (folder / "corpus.toml").write_text('[[document]]\nid = "cq"\nfile = "cq.txt"\ntitle = "重庆"\n'
                                        '[[document]]\nid = "hd"\nfile = "../elsewhere/hd.txt"\ntitle = "海淀"\n',
                                        encoding="utf-8")
    for command in ("segment", "align", "report"):
        out = tmp_path / (command if command == "report" else f"{command}.jsonl")
        r = cli(command, str(folder), "--out", str(out), "--quiet")
        _check(r, "corpus.toml", "../elsewhere/hd.txt", "--allow-outside", code=2)
        assert not out.exists()
        _check(cli(command, str(folder), "--out", str(out), "--quiet", "--allow-outside"), code=0)
        assert out.exists()
    docs = {json.loads(x)["doc_id"] for x in (tmp_path / "segment.jsonl").read_text(encoding="utf-8").splitlines()}
    assert docs == {"cq", "hd"}


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_document_without_measures_is_named(tmp_path, command):
    """One line of statistics without numbering, and a title only: kept, but said on stderr, once each."""
    folder = _folder(tmp_path)
    (folder / "one_line.txt").write_text("2021年一季度，全市地区生产总值同比增长17.1%，两年平均增长5.0%。\n",
                                         encoding="utf-8")
    (folder / "title_only.txt").write_text("关于进一步优化营商环境的通知", encoding="utf-8")
    out = tmp_path / ("out" if command[0] == "report" else "out.jsonl")
    err = _check(cli(*command, str(folder), "--out", str(out), "--quiet"), code=0)
    for name in ("one_line.txt", "title_only.txt"):
        lines = [ln for ln in err.splitlines() if name in ln]
        assert len(lines) == 1 and lines[0].startswith("policy-compare: warning:") and "no measures" in lines[0]
    assert "cq.txt" not in err and "hd.txt" not in err
    assert out.exists()


def test_many_documents_without_measures_are_counted_past_ten(tmp_path):
    folder = _folder(tmp_path)
    for i in range(14):
        (folder / f"t{i:02}.txt").write_text(f"附件{i}：{2010 + i}年全市地区生产总值统计表", encoding="utf-8")
    err = _check(cli("segment", str(folder), "--format", "jsonl", "--quiet"), code=0)
    assert err.count("no measures found") == 10 and "4 more warning(s)" in err


def test_review_decisions_on_measures_that_are_not_there_are_named(tmp_path):
    from compare import review

    folder = _folder(tmp_path)
    ids = [json.loads(x)["measure_id"] for x in cli("segment", str(folder), "--format", "jsonl").stdout.decode()
           .splitlines()]
    decisions = {d.key: d for d in [review.Decision(ids[0], ids[-1], "reject", "", ""),
                                    review.Decision("cq:0000000000", ids[1], "accept", "", "text changed since")]}
    (folder / review.FILE).write_text(review.dump(decisions), encoding="utf-8")
    err = _check(cli("align", str(folder), "--format", "jsonl", "--quiet"), code=0)
    assert "review.tsv: 1 of 2 decision(s) name measures that are not among" in err and "cq:0000000000" in err
    assert ids[0] not in err.split("cq:0000000000")[0].split("warning:")[-1]


def test_diff_names_the_documents_it_could_not_read(tmp_path):
    folder = _folder(tmp_path)
    (folder / "empty.txt").write_bytes(b"")
    ids = [json.loads(x)["measure_id"] for x in cli("segment", str(folder / "hd.txt"), "--format", "jsonl")
           .stdout.decode().splitlines()]
    r = cli("diff", ids[3], ids[4], "--corpus", str(folder))
    _check(r, "empty.txt: is empty", code=1)
    assert b"changes:" in r.stdout
    r = cli("diff", "hd:0000000000", ids[4], "--corpus", str(folder))
    _check(r, "not found: hd:0000000000", "could not be read and may hold them: ", "empty.txt", code=2)


def _report_is_whole(folder: Path) -> dict:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    measures = pd.read_parquet(folder / "measures.parquet")
    assert len(measures) == manifest["counts"]["measures"]
    assert len(pd.read_parquet(folder / "pairs.parquet")) == manifest["counts"]["pairs"]
    assert (folder / "index.html").read_text(encoding="utf-8").endswith("</html>\n")
    return manifest


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_an_interrupted_report_leaves_the_previous_one_whole(tmp_path, sig):
    folder = _folder(tmp_path)
    out = tmp_path / "report"
    assert cli("report", str(GOOD), "--out", str(out), "--quiet").returncode == 0
    first = _report_is_whole(out)
    for delay in (4.0, 8.0):   # somewhere in the run, once early and once late
        proc = subprocess.Popen([sys.executable, "-m", "compare", "report", str(folder), "--out", str(out),
                                 "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(delay)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=120)
        assert b"Traceback" not in err
        now = _report_is_whole(out)
        assert now["counts"] == first["counts"] or now["counts"]["documents"] == 2   # the old one or the new one
    if sig == signal.SIGINT:
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".report.")]   # cleaned up


def test_two_reports_into_one_folder_do_not_mix(tmp_path):
    folder = _folder(tmp_path)
    out = tmp_path / "report"
    runs = [subprocess.Popen([sys.executable, "-m", "compare", "report", str(src), "--out", str(out), "--quiet"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE) for src in (folder, GOOD)]
    codes = [p.wait(timeout=300) for p in runs]
    assert codes == [0, 0], [p.stderr.read()[-500:] for p in runs]
    manifest = _report_is_whole(out)
    assert manifest["counts"]["documents"] in (1, 2)
    assert {i["doc_id"] for i in manifest["inputs"]} == set(pd.read_parquet(out / "measures.parquet")["doc_id"])


def test_report_never_deletes_what_it_did_not_write(tmp_path):
    """Only an empty folder or a report this tool wrote is replaced; a folder of the researcher's own CSV
    files, a folder holding only an index.html, a sub-folder named like a report file, the current folder
    and a folder inside the inputs are refused before any work."""
    folder = _folder(tmp_path)
    results = tmp_path / "results"
    results.mkdir()
    assert cli("segment", str(GOOD), "--format", "csv", "--out", str(results / "segments.csv")).returncode == 0
    (results / "my_notes.csv").write_text("mine", encoding="utf-8")
    _check(cli("report", str(GOOD), "--out", str(results)), "holds files that are not a report's", code=2)
    assert (results / "my_notes.csv").read_text(encoding="utf-8") == "mine" and (results / "segments.csv").exists()
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html>my site</html>", encoding="utf-8")
    _check(cli("report", str(GOOD), "--out", str(site)), code=2)
    deep = tmp_path / "deep"
    (deep / "data.csv" / "inner").mkdir(parents=True)
    (deep / "data.csv" / "inner" / "thesis.docx").write_bytes(b"keep")
    _check(cli("report", str(GOOD), "--out", str(deep)), code=2)
    assert (deep / "data.csv" / "inner" / "thesis.docx").read_bytes() == b"keep"
    _check(cli("report", str(GOOD), "--out", ".", cwd=tmp_path), "current folder", code=2)
    _check(cli("report", str(folder), "--out", str(folder / "report")), "inside an input folder", code=2)
    out = tmp_path / "report"
    assert cli("report", str(GOOD), "--out", str(out), "--quiet").returncode == 0
    out.chmod(0o750)
    assert cli("report", str(folder), "--out", str(out), "--quiet").returncode == 0     # a previous report
    assert _report_is_whole(out)["counts"]["documents"] == 2 and (out.stat().st_mode & 0o777) == 0o750
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".report.")]


def test_a_charset_that_is_no_text_encoding(tmp_path):
    page = ("<html><head><meta charset=\"punycode\"><title>关于推进自贸区建设的通知</title></head><body>"
            "<div class=\"article\"><h1>关于推进自贸区建设的通知</h1>"
            + "".join(f"<p>（{n}）推进跨境贸易便利化，建设国际物流枢纽第{n}项措施，完善口岸功能，提升通关效率。</p>"
                      for n in "一二三四五六")
            + "</div></body></html>")
    (tmp_path / "a.html").write_bytes(page.encode("utf-8"))
    (tmp_path / "b.txt").write_bytes(page.encode("utf-8"))
    r = cli("segment", str(tmp_path / "a.html"), str(tmp_path / "b.txt"), str(GOOD), "--format", "jsonl")
    _check(r, code=0)
    assert {json.loads(x)["doc_id"] for x in r.stdout.decode().splitlines()} == {"a", "b", GOOD.stem}


def test_the_default_report_folder_inside_the_inputs_is_refused(tmp_path):
    """`report ..` from a sub-folder: the default ./reports/<name> would lie inside the input folder and be
    read back as documents next time."""
    folder = _folder(tmp_path)
    sub = folder / "sub"
    sub.mkdir()
    _check(cli("report", "..", cwd=sub), "inside an input folder", code=2)
    assert not (sub / "reports").exists()


def test_ctrl_c_inside_a_compiled_kernel_is_an_interruption_not_a_traceback(monkeypatch, capsys):
    """Ctrl-C while a numba kernel runs reaches Python as ``SystemError: CPUDispatcher(…) returned a result with
    an exception set``, the KeyboardInterrupt in its context (a user saw a 75-line traceback and exit code 1 ten
    seconds into a report). It is an interruption: the same message and exit code 130 as any other. A
    SystemError of another cause is not hidden."""
    from compare import cli as cli_module

    def interrupted_in_kernel(args):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise SystemError("CPUDispatcher(<function _best_units>) returned a result with an exception set")

    monkeypatch.setattr(cli_module, "_command_of", interrupted_in_kernel)
    assert cli_module.main(["align", "--quiet"]) == 130
    assert "policy-compare: interrupted" in capsys.readouterr().err

    def broken(args):
        raise SystemError("something else")

    monkeypatch.setattr(cli_module, "_command_of", broken)
    with pytest.raises(SystemError, match="something else"):
        cli_module.main(["align", "--quiet"])


def test_an_output_that_cannot_be_written_is_named_not_its_temporary_file():
    """Outputs go to a temporary file next to them first; when that cannot be made (/proc takes no new file),
    the error names the output the user gave."""
    r = cli("align", "--quiet", "--out", "/proc/pairs.csv")
    assert r.returncode == 2 and b"Traceback" not in r.stderr
    err = r.stderr.decode()
    assert "policy-compare: error: /proc/pairs.csv: " in err and ".pairs.csv." not in err, err


@pytest.mark.parametrize("where", ["mkstemp", "replace", "mkdtemp"])
def test_a_failed_write_names_the_output_and_keeps_the_error(tmp_path, monkeypatch, where):
    """Whatever fails (making the temporary file or folder, renaming it over the output), the error is the
    system's own (type, errno) and names the output; nothing temporary is left behind."""
    import tempfile

    from compare import pipeline

    def fail(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path / ".out.tmp123"))

    monkeypatch.setattr({"mkstemp": tempfile, "mkdtemp": tempfile, "replace": pipeline.os}[where], where, fail)
    out = tmp_path / "out.csv"
    with pytest.raises(PermissionError) as caught:
        if where == "mkdtemp":
            with pipeline._new_folder(out, pipeline.REPORT_FOLDER):
                pass
        else:
            pipeline.write_atomic(out, "a,b\n")
    assert caught.value.errno == 13 and caught.value.filename == str(out) and caught.value.filename2 is None
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ("segment", "align"))
def test_out_onto_a_word_or_web_document_of_an_input_folder_is_refused(tmp_path, command):
    """A researcher's folder of Word files and web pages: --out naming one of them (or a new .pdf/.docx/.html in
    the folder, which the next run would read as a document) is refused before the run; the file is untouched.
    (A newcomer's trial overwrote a .docx, a .pdf and an .html with JSONL: only .txt/.md were checked.)"""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import renderings

    folder = tmp_path / "docs"
    folder.mkdir()
    lines = renderings.paragraphs(GOOD.read_text(encoding="utf-8"))
    word = renderings.render_docx(lines, folder / "cq.docx")
    page = renderings.render_html(lines, "重庆自贸试验区整改报告", folder / "cq.html")
    before = {p: p.read_bytes() for p in (word, page)}
    for out in (word, page, folder / "new.pdf", folder / "new.DOCX", folder / "new.htm"):
        _check(cli(command, str(folder), "--format", "jsonl", "--out", str(out)), "--out is an input document",
               str(out), code=2)
    assert {p: p.read_bytes() for p in before} == before and sorted(f.name for f in folder.iterdir()) == [
        "cq.docx", "cq.html"]
    ok = cli(command, str(folder), "--format", "jsonl", "--out", str(tmp_path / "rows.jsonl"))
    _check(ok, code=0)


def test_out_onto_the_corpus_toml_of_an_input_folder_is_refused(tmp_path):
    """The folder's corpus.toml is read too (a review found it overwritten with JSONL, exit 0)."""
    import shutil

    folder = tmp_path / "corpus"
    shutil.copytree(pipeline.BUNDLED_CORPUS, folder)
    toml = folder / "corpus.toml"
    before = toml.read_bytes()
    _check(cli("segment", str(folder), "--format", "jsonl", "--out", str(toml)), "corpus.toml", code=2)
    _check(cli("segment", str(toml), "--format", "jsonl", "--out", str(folder / "new.txt")),
           "--out is an input document", code=2)
    assert toml.read_bytes() == before
