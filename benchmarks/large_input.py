"""One large compilation: a single text of N MB made of whole lawref regulations, as a researcher's 汇编 of
several hundred instruments would be: a cover line, 目录 with every title, then each regulation under its title
(so the engine finds the sub-documents and aligns them against each other).

``--source repeated`` makes the hostile variant instead: the bundled compilation copied again and again up to
N MB, so that every measure has many verbatim twins (the pairs grow with the square of the copies).

Runs ``policy-compare segment``, ``align`` (and ``report`` unless --no-report) on that one file, each as a
separate process with ``--workers``, and prints its wall time, peak RSS, measures and pairs. Last line:
``SUMMARY mb=… measures=… pairs=… align_s=… align_gb=… report_s=… report_gb=…``.

    python benchmarks/large_input.py [--mb 5] [--source lawref|repeated] [--workers 1] [--no-report]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAWREF = ROOT.parent / "shared" / "corpus" / "lawref"


def build(mb: float, out: Path) -> int:
    """Write about ``mb`` MB of whole regulations (sorted by path, so the same file every time)."""
    files = sorted(LAWREF.rglob("*.md"))
    titles, bodies, size = [], [], 0
    for f in files:
        title = f.stem.split("(")[0]
        body = "\n".join(ln for ln in f.read_text(encoding="utf-8").splitlines()
                         if not ln.startswith(("#", "<!--"))).strip()   # the title is set above the body
        titles.append(title)
        bodies.append(f"{title}\n{body}\n")
        size += len(bodies[-1].encode())
        if size >= mb * 1e6:
            break
    out.write_text("法规汇编\n目录\n" + "\n".join(titles) + "\n\n" + "\n".join(bodies), encoding="utf-8")
    return len(bodies)


def build_repeated(mb: float, out: Path) -> int:
    """The bundled compilation again and again (its own 目录 first, once), up to ``mb`` MB."""
    text = (ROOT / "corpus" / "beijing_private_enterprise_policy_compilation_2021q1.txt").read_text(encoding="utf-8")
    copies = max(1, round(mb * 1e6 / len(text.encode())))
    out.write_text(text + ("\n" + text) * (copies - 1), encoding="utf-8")
    return copies


def run(cmd: list[str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall seconds and peak RSS (GB) of one child process, measured by GNU time."""
    with tempfile.NamedTemporaryFile(suffix=".time") as tf:
        t0 = time.perf_counter()
        r = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", tf.name, *cmd], capture_output=True, text=True)
        wall = time.perf_counter() - t0
        peak = int(Path(tf.name).read_text().split()[-1]) / 1024 / 1024
    return wall, peak, r


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=5.0)
    ap.add_argument("--no-report", action="store_true")
    ap.add_argument("--source", choices=["lawref", "repeated"], default="lawref")
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    if args.source == "lawref" and not LAWREF.is_dir():
        raise SystemExit(f"lawref not found at {LAWREF}")
    py = [sys.executable, "-m", "compare"]
    opts = ["--quiet", "--workers", str(args.workers)]
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "汇编.txt"
        n = (build if args.source == "lawref" else build_repeated)(args.mb, src)
        mb = src.stat().st_size / 1e6
        print(f"compilation ({args.source}): {n} {'regulations' if args.source == 'lawref' else 'copies'}, "
              f"{mb:.2f} MB, --workers {args.workers}")
        seg_s, seg_gb, r = run([*py, "segment", str(src), *opts, "--out", str(Path(tmp) / "m.jsonl")])
        measures = sum(1 for _ in open(Path(tmp) / "m.jsonl", encoding="utf-8")) if r.returncode == 0 else 0
        print(f"segment: exit {r.returncode}, {measures} measures, {seg_s:.1f} s, peak {seg_gb:.2f} GB")
        al_s, al_gb, r = run([*py, "align", str(src), *opts, "--out", str(Path(tmp) / "p.jsonl")])
        pairs = sum(1 for _ in open(Path(tmp) / "p.jsonl", encoding="utf-8")) if r.returncode == 0 else 0
        print(f"align: exit {r.returncode}, {pairs} pairs, {al_s:.1f} s, peak {al_gb:.2f} GB")
        if r.returncode:
            print(r.stderr[-1500:])
        rep_s = rep_gb = float("nan")
        if not args.no_report:
            rep_s, rep_gb, r = run([*py, "report", str(src), *opts, "--out", str(Path(tmp) / "rep")])
            size = sum(f.stat().st_size for f in (Path(tmp) / "rep").iterdir()) / 1e6 if r.returncode == 0 else 0
            print(f"report: exit {r.returncode}, {size:.1f} MB written, {rep_s:.1f} s, peak {rep_gb:.2f} GB")
            if r.returncode:
                print(r.stderr[-1500:])
        print(f"SUMMARY mb={mb:.2f} measures={measures} pairs={pairs} align_s={al_s:.1f} align_gb={al_gb:.2f} "
              f"report_s={rep_s:.1f} report_gb={rep_gb:.2f}")


if __name__ == "__main__":
    main()
