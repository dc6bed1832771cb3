"""Latency of the notebook views' interactions on the bundled corpus (the target: well under 0.5 s).

Builds a Session (the slow part, done once), then times each interaction as a user makes it, with the
alignment from the Session's cache; the time to align from scratch is printed for comparison.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from compare.widgets import EvolutionView, Explorer, GapBrowser, Session  # noqa: E402


def timed(fn, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    t = time.perf_counter()
    s = Session()
    t_session = time.perf_counter() - t
    ex, gaps, evo = Explorer(s), GapBrowser(s), EvolutionView(s)
    cells = s.pairs()[["unit_a", "unit_b"]].drop_duplicates().values.tolist()
    values = iter([0.4, 0.5, 0.6, 0.45, 0.55, 0.38, 0.7] * 3)
    evo.lineage.value = evo.lineage.options[0][1]  # the most revised lineage: several versions to step through

    def alternate(widget, choices):
        widget.value = choices[1] if widget.value == choices[0] else choices[0]
    results = {
        "probability slider": timed(lambda: setattr(ex.probability, "value", next(values))),
        "heatmap cell click": timed(lambda: ex.select_cell(*cells[len(cells) // 2])),
        "choose a pair (diff)": timed(lambda: (ex.select_cell(None, None),
                                               alternate(ex.pair_choice, [o[1] for o in ex.pair_choice.options[:2]]))),
        "gap browser document": timed(lambda: setattr(gaps.doc, "value", "haidian_plan" if gaps.doc.value !=
                                                      "haidian_plan" else "chongqing_rectification")),
        "lineage step": timed(lambda: alternate(evo.step, [1, 2])),
    }
    print(f"session (segment + align once, cached): {t_session:.2f}s")
    for name, sec in results.items():
        print(f"{name:24} median {sec * 1000:7.1f} ms  ({t_session / sec:,.0f}x faster than building the session)")


if __name__ == "__main__":
    main()
