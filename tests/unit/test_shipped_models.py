"""The shipped models are the ones training wrote from the recorded data and settings: their files match the
training report's hashes, the data hash matches the training notes and annotations as they are now (when
../shared/train is here), and they load from package data with nothing but numpy and python-crfsuite."""

from __future__ import annotations

import hashlib
import json

import pytest

from ingest.concept_tagger import TAGGER_FILE
from ingest.relation_model import META_FILE, WEIGHTS_FILE, load_model
from ingest.trained import shipped_models
from training.corpus import TRAIN_DIR
from training.train import REPORT, data_hash

needs_train = pytest.mark.skipif(not (TRAIN_DIR / "SOURCES.tsv").is_file(),
                                 reason=f"training notes not found at {TRAIN_DIR} (../shared beside the project)")


def report() -> dict:  # type: ignore[type-arg]
    return json.loads(REPORT.read_text(encoding="utf-8"))


def test_the_shipped_files_are_the_ones_the_training_report_describes() -> None:
    meta = json.loads(META_FILE.read_text(encoding="utf-8"))
    trained = report()
    assert meta["version"] == trained["version"] and meta["data_sha256"] == trained["data_sha256"]
    assert meta["settings"] == trained["settings"] and meta["libraries"] == trained["libraries"]
    assert hashlib.sha256(TAGGER_FILE.read_bytes()).hexdigest() == trained["tagger_sha256"]
    assert trained["pipeline_cv"]["all"]["notes"] == trained["notes"]  # every note judged held out once


def test_the_shipped_models_load_and_agree_with_their_metadata() -> None:
    load_model.cache_clear()
    model = load_model()
    meta = json.loads(META_FILE.read_text(encoding="utf-8"))
    assert model.weights.shape == (len(meta["features"]), len(meta["classes"]))
    assert "NONE" in model.classes and 0 < model.threshold < 1 and WEIGHTS_FILE.is_file()
    assert shipped_models().version.endswith(meta["version"])


@needs_train
def test_the_recorded_training_data_is_the_data_here() -> None:
    from training.data import load_annotated

    assert data_hash(load_annotated()) == report()["data_sha256"]
