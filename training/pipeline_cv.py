"""The whole trained pipeline judged on held-out notes, as the product is judged: each held-out note is ingested
with the fold's models, its graph exported, and the evaluation's own scorer (`../shared/eval/score_graph.py`)
compares it with the note's annotation; the counts are summed over notes."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from graph.export import export_graph
from graph.merge import merge_graphs
from ingest.reader import SourceFile
from ingest.trained import NoteReader, TrainedModels
from training.corpus import ANNOTATIONS, ROOT
from training.data import AnnotatedNote

SCORER = ROOT.parent / "shared" / "eval" / "score_graph.py"


@dataclass
class Tally:
    """Summed scorer counts over notes."""

    gold: int = 0
    typed_found: int = 0
    judged: int = 0
    right: int = 0
    concepts: int = 0
    concepts_found: int = 0
    per_note: dict[str, dict[str, float]] = field(default_factory=dict)

    def add(self, name: str, figures: dict[str, float], concepts: int) -> None:
        self.per_note[name] = figures
        self.gold += int(figures["gold_relations"])
        self.typed_found += round(figures["typed_recall"] * figures["gold_relations"])
        self.judged += int(figures["judged_relations"])
        self.right += round(figures["precision"] * figures["judged_relations"])
        self.concepts += concepts
        self.concepts_found += round(figures["concept_recall"] * concepts)

    def summary(self) -> dict[str, float]:
        precision = self.right / self.judged if self.judged else 0.0
        recall = self.typed_found / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"notes": len(self.per_note), "gold_relations": self.gold, "judged_relations": self.judged,
                "concept_recall": round(self.concepts_found / self.concepts, 3) if self.concepts else 0.0,
                "precision": round(precision, 3), "typed_recall": round(recall, 3), "f1": round(f1, 3)}


def score_note(note: AnnotatedNote, export: dict[str, object]) -> dict[str, float]:
    """The scorer's figures for one note's export against its annotation."""
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "export.json"
        path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
        done = subprocess.run([sys.executable, str(SCORER), str(path), "--gold", str(ANNOTATIONS / f"{Path(note.name).stem}.json"),
                               "--json"], check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def held_out_tally(notes: list[AnnotatedNote], models: TrainedModels, tally: Tally) -> Tally:
    """Ingest each note with these models and add the scorer's figures for it."""
    reader = NoteReader(models)
    try:
        for note in notes:
            source = SourceFile(id=note.name, path=Path(note.name), text=note.text, encoding="utf-8",
                                sha256="0" * 64)
            graph = reader.read(source, note.parsed)
            export = export_graph(merge_graphs([graph]))
            tally.add(note.name, score_note(note, export), len(note.concepts))
    finally:
        reader.close()
    return tally
