"""Write an annotation file's skeleton for one training note: the guide's format with `docs` filled in.

Usage: python -m training.skeleton NOTE.md OUT.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from training.corpus import training_notes


def skeleton(name: str) -> dict[str, object]:
    """`name` is the note's file name (a path to it works too)."""
    name = Path(name).name
    note = next((note for note in training_notes() if note.name == name), None)
    if note is None:
        raise SystemExit(f"{name} is not a note of SOURCES.tsv")
    return {"about": f"Training annotation of {name} ({note.repo}, {note.license}), per the annotation guide.",
            "exhaustive": True, "docs": {name: note.metadata()}, "concepts": {}, "relations": []}


if __name__ == "__main__":
    Path(sys.argv[2]).write_text(json.dumps(skeleton(sys.argv[1]), ensure_ascii=False, indent=1) + "\n",
                                 encoding="utf-8")
