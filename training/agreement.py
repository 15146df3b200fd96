"""Agreement between the two independent annotations of the double-annotated notes, with the evaluation's own
scorer (`../shared/eval/score_graph.py`): the first annotation is made an export (`gold_to_export.py`) and judged
against the second as gold, per note and summed over notes.

Usage: python -m training.agreement  (writes training/reports/agreement.json and prints a table)
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from training.corpus import ANNOTATIONS, ROOT, SECOND_ANNOTATIONS

EVAL = ROOT.parent / "shared" / "eval"
REPORT = ROOT / "training" / "reports" / "agreement.json"


def judged(first: Path, second: Path) -> dict[str, float]:
    """The scorer's figures for `first` judged against `second`."""
    with tempfile.TemporaryDirectory() as scratch:
        export = Path(scratch) / "export.json"
        subprocess.run([sys.executable, str(EVAL / "gold_to_export.py"), str(first), "-o", str(export)], check=True)
        done = subprocess.run([sys.executable, str(EVAL / "score_graph.py"), str(export), "--gold", str(second),
                               "--json"], check=True, capture_output=True, text=True)
    figures = json.loads(done.stdout)
    return {key: figures[key] for key in ("gold_relations", "judged_relations", "concept_recall", "typed_recall",
                                          "precision", "f1")}


def main() -> None:
    rows = {}
    for second in sorted(SECOND_ANNOTATIONS.glob("*.json")):
        rows[second.stem] = judged(ANNOTATIONS / second.name, second)
    gold = sum(r["gold_relations"] for r in rows.values())
    judged_count = sum(r["judged_relations"] for r in rows.values())
    right = sum(round(r["precision"] * r["judged_relations"]) for r in rows.values())
    found = sum(round(r["typed_recall"] * r["gold_relations"]) for r in rows.values())
    precision, recall = right / judged_count, found / gold
    total = {"notes": len(rows), "gold_relations": gold, "judged_relations": judged_count,
             "precision": round(precision, 3), "typed_recall": round(recall, 3),
             "f1": round(2 * precision * recall / (precision + recall), 3)}
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps({"notes": rows, "micro": total}, indent=1) + "\n", encoding="utf-8")
    print(f"{'note':<20} {'gold':>5} {'judged':>6} {'P':>6} {'R':>6} {'F1':>6}")
    for name, r in rows.items():
        print(f"{name:<20} {r['gold_relations']:>5} {r['judged_relations']:>6} {r['precision']:>6.3f} "
              f"{r['typed_recall']:>6.3f} {r['f1']:>6.3f}")
    print(f"{'all (micro)':<20} {gold:>5} {judged_count:>6} {total['precision']:>6.3f} {total['typed_recall']:>6.3f} "
          f"{total['f1']:>6.3f}")


if __name__ == "__main__":
    main()
