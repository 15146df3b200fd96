"""Where the training notes are and what each one is (repository, commit, path, licence), from SOURCES.tsv."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRAIN_DIR = Path(os.environ.get("STUDYGRAPH_TRAIN_DIR", ROOT.parent / "shared" / "train"))
ANNOTATIONS = ROOT / "training" / "annotations"
SECOND_ANNOTATIONS = ROOT / "training" / "annotations_second"


@dataclass(frozen=True)
class TrainingNote:
    """One note of the training corpus and where it came from."""

    name: str
    repo: str
    commit: str
    path: str
    license: str

    @property
    def file(self) -> Path:
        return TRAIN_DIR / "docs" / self.name

    def metadata(self) -> dict[str, object]:
        """The `docs` entry of an annotation file: source, licence, and the bytes it was annotated on."""
        data = self.file.read_bytes()
        return {"repo": self.repo, "commit": self.commit, "path": self.path, "bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(), "license": self.license}


def training_notes(train_dir: Path = TRAIN_DIR) -> list[TrainingNote]:
    """Every note listed in SOURCES.tsv, sorted by name (training reads them in this order)."""
    notes = []
    for line in (train_dir / "SOURCES.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        name, repo, commit, path, license_id, *_ = line.split("\t")
        notes.append(TrainingNote(name, repo, commit, path, license_id))
    return sorted(notes, key=lambda note: note.name)
