"""Boundary precision/recall of the segmenter against the hand-made gold (tests/data/gold)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from compare import pipeline  # noqa: E402
from compare.config import Config  # noqa: E402
from compare.gold import load_gold, score, subdocument_span  # noqa: E402

GOLD = Path(__file__).resolve().parent.parent / "tests" / "data" / "gold"
CASES = [("haidian_plan", "haidian_plan", None), ("chongqing_rectification", "chongqing_rectification", None),
         ("compilation_aviation", "compilation_2021q1", "航空服务领域“两区”建设工作方案"),
         ("compilation_customs_ip", "compilation_2021q1",
          ("北京海关关于“两区”建设推进工作措施", "北京市知识产权局关于“两区”建设推进工作措施"))]


def main() -> None:
    docs = {d.id: d for d in pipeline.load(None).documents}
    print(f"{'gold':26} {'level':6} {'gold':>5} {'pred':>5} {'match':>5} {'P':>6} {'R':>6}")
    for gold_name, doc_id, subdoc in CASES:
        for level in ("coarse", "fine"):
            seg = pipeline.segment_all([docs[doc_id]], config=Config(level=level))[0]
            span = None
            if subdoc:
                span = subdocument_span(seg.subdocuments, (subdoc,) if isinstance(subdoc, str) else subdoc)
            r = score(seg.document.raw, load_gold(GOLD / f"{gold_name}.tsv"), list(seg.measures), level=level,
                      span=span)
            print(f"{gold_name:26} {level:6} {r.gold:5} {r.predicted:5} {r.matched:5} {r.precision:6.3f} {r.recall:6.3f}")


if __name__ == "__main__":
    main()
