"""Extraction quality on notes the project was not tuned on: ../shared/eval/dev (exhaustive gold) and the seeds.

Each part is ingested into a fresh embedded store through the CLI, exported, and scored by
../shared/eval/score_graph.py. Parts: `develop` (the seven documents issue 17 develops on), `held-out` (the four it
keeps untouched until the report), `dev` (all eleven) and `seeds` (../shared/seeds, gold not exhaustive).

Run: .venv/bin/python bench/quality.py [--parts develop,seeds] [--lexicon on|off|both]
         [--extraction trained|rules|both] [--misses PART] [--buckets]

`named` and `context` are the typed recall of the gold relations whose evidence names both sides, and of the
others (a side from a section's topic, a pronoun, a lead-in line or a table header): score_graph.py --only.

--buckets also scores each part's typed relations by confidence bucket (the export cut to one bucket at a time),
so precision per bucket says whether confidence means something.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
DEV = EVAL / "dev"
CLI = ROOT / ".venv" / "bin" / "studygraph"
PARTS = {
    "develop": ["zh_activation.md", "zh_quant.md", "zh_peft.md", "zh_rlhf.md", "zh_infer.md", "en_llmcourse.md",
                "en_kvquant.md"],
    "held-out": ["zh_norm.md", "zh_models.md", "zh_dist.md", "en_decoding.md"],
}
PARTS["dev"] = PARTS["develop"] + PARTS["held-out"]
BUCKETS = ((0.0, 0.2), (0.2, 0.3), (0.3, 0.5), (0.5, 0.7), (0.7, 1.01))
MEASURES = ("concept_recall", "pair_recall", "typed_accuracy", "typed_recall", "precision", "f1", "judged_relations",
            "named", "context")


def export_of(notes: list[Path], lexicon: str, workdir: Path, extraction: str) -> Path:
    """Ingest the notes (copied into one folder, as a user would point at them) and export the graph."""
    folder, store = workdir / "notes", workdir / "store"
    folder.mkdir()
    for path in notes:
        shutil.copy(path, folder / path.name)
    env = {**os.environ, "STUDYGRAPH_DATA_DIR": str(store), "STUDYGRAPH_LEXICON": lexicon,
           "STUDYGRAPH_EXTRACTION": extraction}
    subprocess.run([str(CLI), "ingest", "-q", str(folder)], env=env, check=True, stdout=subprocess.DEVNULL)
    exported = workdir / "export.json"
    subprocess.run([str(CLI), "export", "-o", str(exported)], env=env, check=True)
    return exported


def score(part: str, lexicon: str, misses: bool, buckets: bool = False,  # type: ignore[type-arg]
          extraction: str = "trained") -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(scratch)
        if part == "seeds":
            notes = sorted(p for p in (ROOT.parent / "shared" / "seeds").iterdir() if p.is_file())
            gold, docs = EVAL / "gold-seeds.json", None
        else:
            notes = [DEV / "docs" / name for name in PARTS[part]]
            gold, docs = DEV / "gold-dev.json", ",".join(PARTS[part])
        exported = export_of(notes, lexicon, workdir, extraction)
        command = [sys.executable, str(EVAL / "score_graph.py"), str(exported), "--gold", str(gold)]
        command += ["--docs", docs] if docs else []
        if misses:
            print(subprocess.run([*command, "--misses"], capture_output=True, text=True, check=True).stdout)
        result = json.loads(subprocess.run([*command, "--json"], capture_output=True, text=True, check=True).stdout)
        if docs:
            for only in ("named", "context"):
                narrowed = subprocess.run([*command, "--only", only, "--json"], capture_output=True, text=True,
                                          check=True)
                result[only] = json.loads(narrowed.stdout)["typed_recall"]
        if buckets:
            result["buckets"] = [_bucket_score(exported, low, high, command) for low, high in BUCKETS]
    return result


def _bucket_score(exported: Path, low: float, high: float, command: list[str]) -> tuple[str, int, float | None]:
    """Precision of the typed relations whose confidence lies in [low, high)."""
    graph = json.loads(exported.read_text(encoding="utf-8"))
    graph["relations"] = [r for r in graph["relations"] if r["type"] == "RELATED_TO" or low <= r["confidence"] < high]
    cut = exported.with_name(f"bucket-{low}.json")
    cut.write_text(json.dumps(graph, ensure_ascii=False), encoding="utf-8")
    scored = json.loads(subprocess.run([*command[:2], str(cut), *command[3:], "--json"], capture_output=True,
                                       text=True, check=True).stdout)
    label = f"{low:.1f}–{min(high, 1.0):.1f}"
    return label, scored.get("judged_relations", 0), scored.get("precision")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parts", default="develop,seeds", help="comma-separated: develop, held-out, dev, seeds")
    parser.add_argument("--lexicon", default="on", choices=["on", "off", "both"])
    parser.add_argument("--misses", default="", help="print score_graph's misses and false positives for this part")
    parser.add_argument("--buckets", action="store_true", help="precision per confidence bucket, per part")
    parser.add_argument("--extraction", default="trained", choices=["trained", "rules", "both"])
    args = parser.parse_args()
    if not DEV.is_dir():
        sys.exit(f"no dev set at {DEV}: put ../shared beside the project")
    lexicons = ["on", "off"] if args.lexicon == "both" else [args.lexicon]
    extractions = ["trained", "rules"] if args.extraction == "both" else [args.extraction]
    print(f"| part | extraction | lexicon | {' | '.join(MEASURES)} |")
    print("|---|---|---|" + "---|" * len(MEASURES))
    bucketed = []
    for part in args.parts.split(","):
        for extraction in extractions:
            for lexicon in lexicons:
                result = score(part, lexicon, misses=part == args.misses, buckets=args.buckets and part != "seeds",
                               extraction=extraction)
                cells = [str(result.get(m, "—")) for m in MEASURES]
                print(f"| {part} | {extraction} | {lexicon} | {' | '.join(cells)} |", flush=True)
                bucketed += [(part, extraction, *bucket) for bucket in result.get("buckets", [])]
    if bucketed:
        print("\n| part | extraction | confidence | judged | precision |\n|---|---|---|---|---|")
        for part, extraction, label, judged, precision in bucketed:
            print(f"| {part} | {extraction} | {label} | {judged} | {precision if judged else '—'} |")


if __name__ == "__main__":
    main()
