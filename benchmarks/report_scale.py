"""The report at a real corpus size: `policy-compare report` on the first N Beijing regulations of lawref
(default 120), then the page opened in headless Chromium at 1,366 × 768.

Prints the wall time and peak memory of the report, the files written and their sizes, the page's load time
until the overlap matrix is drawn, its cells, whether the page scrolls sideways, and whether a click on a
cell lists that cell's pairs. Last line: ``SUMMARY report_s=… page_mb=… load_s=… cells=… exit=…``.

    python benchmarks/report_scale.py [--docs 120]
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEIJING = ROOT.parent / "shared" / "corpus" / "lawref" / "DLC" / "北京地方法规" / "地方性法规" / "北京"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=120)
    args = ap.parse_args()
    if not BEIJING.is_dir():
        raise SystemExit(f"lawref not found at {BEIJING}")
    files = sorted(BEIJING.glob("*.md"))[:args.docs]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report"
        t0 = time.perf_counter()
        r = subprocess.run([sys.executable, "-m", "compare", "report", *map(str, files), "--out", str(out),
                            "--quiet"], capture_output=True, text=True)
        wall = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 / 1024
        print(f"{len(files)} regulations: report exit {r.returncode} in {wall:.1f} s, peak RSS {peak:.2f} GB")
        if r.returncode:
            print(r.stderr[-2000:])
        for f in sorted(out.iterdir()):
            print(f"  {f.name:32} {f.stat().st_size / 1e6:8.2f} MB")
        page_mb = (out / "index.html").stat().st_size / 1e6
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            t0 = time.perf_counter()
            page.goto((out / "index.html").as_uri())
            page.wait_for_selector("#chart-overlap svg .mark-rect path", timeout=60_000)
            load = time.perf_counter() - t0
            cells = page.locator("#chart-overlap svg .mark-rect path").count()
            wide = page.evaluate("document.documentElement.scrollWidth")
            target = page.locator("#chart-overlap svg .mark-rect path[aria-label*='matched: ']").filter(
                has_not_text="").nth(1)
            box = target.bounding_box()
            target.scroll_into_view_if_needed()
            box = target.bounding_box()
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.wait_for_timeout(500)
            picked = page.locator(".tablewrap[data-table='t-pairs'] .picked").inner_text().strip()
            browser.close()
        print(f"page {page_mb:.1f} MB, matrix drawn {load:.2f} s after opening, {cells} cells, "
              f"scrollWidth {wide} at 1,366, a cell click: {picked or 'nothing listed'}")
        print(f"SUMMARY report_s={wall:.1f} page_mb={page_mb:.1f} load_s={load:.2f} cells={cells} exit={r.returncode}")


if __name__ == "__main__":
    main()
