"""A real browser on JupyterLab: run the quickstart notebook, move the probability slider, click a heatmap cell,
see the pair table change and the diff appear. The server always stops afterwards."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "01_quickstart.ipynb"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def lab(tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian package 'chromium' is not installed (make test installs it when run as root)")
    pytest.importorskip("playwright.sync_api", reason="Python package 'playwright' is not installed")
    pytest.importorskip("jupyterlab", reason="Python package 'jupyterlab' is not installed")
    root = tmp_path / "nb"
    root.mkdir()
    shutil.copy(NOTEBOOK, root / NOTEBOOK.name)
    env = dict(os.environ)
    for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR"):
        (tmp_path / var).mkdir()
        env[var] = str(tmp_path / var)
    settings = tmp_path / "JUPYTERLAB_SETTINGS_DIR" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    port, token = _free_port(), "pc-test-token"
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         "--LabApp.extension_manager=readonly", "--LabApp.news_url=None",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        env=env, stdout=subprocess.DEVNULL, stderr=open(tmp_path / "lab.log", "w"), start_new_session=True)
    try:
        deadline = time.time() + 90
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    pytest.fail("JupyterLab did not start: " + (tmp_path / "lab.log").read_text()[-2000:])
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}/lab/tree/{NOTEBOOK.name}?token={token}&reset", tmp_path
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def _pairs_shown(page) -> str:
    return page.locator("text=/\\d+ pairs · /").first.inner_text()


def test_quickstart_in_jupyterlab(lab):
    from playwright.sync_api import sync_playwright

    url, out = lab
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"])
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1100})
            page.goto(url)
            page.wait_for_selector("#jp-main-statusbar .jp-StatusBar-TextItem:has-text('| Idle')", timeout=120_000)
            page.click("div.lm-MenuBar-itemLabel:text-is('Run')")
            page.click("li.lm-Menu-item:has-text('Run All Cells')")
            page.wait_for_selector(".widget-slider", timeout=180_000)
            page.wait_for_selector(".vega-embed .mark-rect path", timeout=120_000)
            page.wait_for_selector("text=/\\d+ pairs · all documents/", timeout=60_000)
            before = _pairs_shown(page)
            page.screenshot(path=str(out / "lab_loaded.png"))
            # the matrix is documents x documents: its row labels do not overlap
            labels = page.locator(".vega-embed g.role-axis[aria-label^='Y-axis'] .role-axis-label text")
            boxes = sorted((labels.nth(i).bounding_box() for i in range(labels.count())), key=lambda b: b["y"])
            assert len(boxes) == 5 and all(a["y"] + a["height"] <= b["y"] + 1 for a, b in zip(boxes, boxes[1:]))
            page.locator(".widget-slider .noUi-handle").first.click()
            for _ in range(15):
                page.keyboard.press("ArrowRight")
            for _ in range(120):   # the count falls when the kernel has filtered the pairs again (the status line
                after = _pairs_shown(page)   # may first show a step that holds as many pairs: none lie between two steps)
                if int(after.split()[0]) < int(before.split()[0]):
                    break
                page.wait_for_timeout(500)
            assert after != before and int(after.split()[0]) < int(before.split()[0])  # fewer pairs above it
            page.wait_for_timeout(1500)  # the heatmap is redrawn for the new probability
            review_tab = ".widget-tab .lm-TabBar-tab.lm-mod-current:has-text('review pairs')"
            for attempt in range(5):  # a redraw may replace the element under the pointer: click again
                if page.locator(review_tab).count():
                    break             # the click took: the review tab is open
                try:
                    page.locator(".vega-embed .mark-rect path[aria-label*='row: 海淀两区实施方案']"
                                 "[aria-label*='col: 民营企业政策汇编2021Q1']").first.click(timeout=10_000, force=True)
                    page.wait_for_selector(review_tab, timeout=30_000)
                    break
                except Exception:
                    if attempt == 4:
                        raise
                    page.wait_for_timeout(1000)
            page.wait_for_selector("text=/haidian_plan × compilation_2021q1/ >> visible=true", timeout=30_000)
            try:
                page.wait_for_selector(".pc-diff", timeout=60_000)
            except Exception:
                page.screenshot(path=str(out / "lab_failed.png"), full_page=True)
                keep = Path(__file__).resolve().parent.parent / ".pytest_cache" / "screenshots"
                keep.mkdir(parents=True, exist_ok=True)
                shutil.copy(out / "lab_failed.png", keep / "lab_failed.png")
                raise
            assert page.locator(".pc-diff").first.inner_text().strip()
            page.screenshot(path=str(out / "lab_cell_clicked.png"), full_page=False)
            # at 1,366 × 768 the review tab shows the pair list, the redline and the decisions together
            page.set_viewport_size({"width": 1366, "height": 768})
            page.wait_for_timeout(500)
            # the reader scrolls the Explorer's tab bar to the top of the notebook
            page.locator(".widget-tab .lm-TabBar-tab:has-text('review pairs')").first.evaluate(
                "e => e.scrollIntoView({block: 'start'})")
            page.wait_for_timeout(500)
            parts = {"accept": page.locator("button:has-text('accept')").first,
                     "next": page.locator("button:has-text('next ›')").first,
                     "pair list": page.locator(".widget-select select").last,
                     "redline": page.locator(".pc-diff .rl-cols").first}
            page.screenshot(path=str(out / "lab_review_1366.png"), full_page=False)
            for name, loc in parts.items():
                box = loc.bounding_box()
                assert box and 0 <= box["y"] and box["y"] + min(box["height"], 120) <= 768, (name, box)
            cols = page.locator(".pc-diff .rl-col")
            assert all(cols.nth(i).bounding_box()["width"] >= 0.35 * 1366 * 0.8 for i in range(2))
        finally:
            browser.close()
    assert (out / "lab_cell_clicked.png").stat().st_size > 10_000
    keep = Path(__file__).resolve().parent.parent / ".pytest_cache" / "screenshots"
    keep.mkdir(parents=True, exist_ok=True)
    for png in out.glob("*.png"):
        shutil.copy(png, keep / png.name)
