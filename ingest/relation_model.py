"""The trained relation model, as it ships: a multinomial logistic regression's weights (`relation_model.npz`)
and its classes, feature names, threshold and provenance (`relation_model.json`), read with numpy alone (no
pickle, no scikit-learn at run time). `training.relation_model` fits it; `scripts/train.py` writes it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy

MODELS = Path(__file__).resolve().parent / "models"
WEIGHTS_FILE = MODELS / "relation_model.npz"
META_FILE = MODELS / "relation_model.json"
NONE = "NONE"


@dataclass(frozen=True)
class RelationModel:
    """Class probabilities for candidates' feature lists, and the threshold a relation must reach."""

    classes: tuple[str, ...]
    columns: dict[str, int]
    weights: numpy.ndarray  # features × classes: a candidate's scores are the sum of its features' rows
    intercepts: numpy.ndarray
    threshold: float
    use_rules: bool
    version: str

    def probabilities(self, rows: Sequence[Sequence[str]]) -> numpy.ndarray:
        """One row of class probabilities per candidate (features the model does not know are ignored)."""
        scores = numpy.tile(self.intercepts, (len(rows), 1))
        for i, row in enumerate(rows):
            active = list({self.columns[f] for f in row if f in self.columns})
            if active:
                scores[i] += self.weights[active].sum(axis=0)
        scores -= scores.max(axis=1, keepdims=True)
        exp = numpy.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)


def save_model(directory: Path, classes: Sequence[str], features: Sequence[str], coefficients: numpy.ndarray,
               intercepts: numpy.ndarray, threshold: float, use_rules: bool, metadata: dict[str, object]) -> None:
    """Write the two files: weights as float32 arrays, the rest as JSON."""
    directory.mkdir(parents=True, exist_ok=True)
    numpy.savez_compressed(directory / WEIGHTS_FILE.name, coefficients=coefficients.astype(numpy.float32),
                           intercepts=intercepts.astype(numpy.float64))
    meta = {"classes": list(classes), "features": list(features), "threshold": threshold, "use_rules": use_rules,
            **metadata}
    (directory / META_FILE.name).write_text(json.dumps(meta, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


@cache
def load_model(directory: Path = MODELS) -> RelationModel:
    """The shipped model (read once per process)."""
    meta = json.loads((directory / META_FILE.name).read_text(encoding="utf-8"))
    with numpy.load(directory / WEIGHTS_FILE.name, allow_pickle=False) as arrays:
        weights = numpy.ascontiguousarray(arrays["coefficients"].T, dtype=numpy.float32)
        intercepts = arrays["intercepts"]
    return RelationModel(tuple(meta["classes"]), {f: i for i, f in enumerate(meta["features"])}, weights,
                         intercepts, float(meta["threshold"]), bool(meta["use_rules"]),
                         str(meta.get("version", "unversioned")))
