"""Quality on real study notes, scored by ../shared/eval/score_graph.py: the seeds and the dev set (exhaustive gold,
11 notes by 5 other authors), its develop part and its held-out part.

Issue 17's bar is asserted where it is reached: whole dev set precision >= 0.75 and concept_recall >= 0.75,
held-out precision >= 0.70, seeds typed_accuracy >= 0.85. Where it is not reached (typed_recall 0.40 on the whole
dev set and 0.30 held out; seeds pair_recall 0.65), the floor guards what extraction reaches now, a little below
it, and the README says so with the figures. The held-out part was scored blind once, then inspected.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graph.normalize import normalize_text
from tests.conftest import SCORER, SEEDS, extraction_of, needs_seeds, trained_extraction
from tests.integration.test_cli_store import export, run_cli

# Issue 28's bars (seeds typed_accuracy >= 0.85 and pair_recall >= 0.65; dev precision >= 0.80, typed_recall >=
# 0.50, concept_recall >= 0.85) are not reached by the trained extraction (README, "Trained extraction"): these are
# regression floors a little below the figures measured at the end of stop 33, once, after training. The cue rules
# keep issue 17's floors where they reached them and their regression floors elsewhere.
FLOORS = {
    "trained": {"concept_recall": 0.95, "pair_recall": 0.49, "typed_accuracy": 0.66},
    "rules": {"concept_recall": 0.95, "pair_recall": 0.55, "typed_accuracy": 0.85},
}
DEV = SCORER.parent / "dev"
DEVELOP = ["zh_activation.md", "zh_quant.md", "zh_peft.md", "zh_rlhf.md", "zh_infer.md", "en_llmcourse.md",
           "en_kvquant.md"]
HELD_OUT = ["zh_norm.md", "zh_models.md", "zh_dist.md", "en_decoding.md"]
DEV_FLOORS = {  # (extraction, part): floors
    ("trained", "dev"): {"concept_recall": 0.79, "precision": 0.30, "typed_recall": 0.25},
    ("trained", "develop"): {"concept_recall": 0.80, "precision": 0.28, "typed_recall": 0.23},
    ("trained", "held-out"): {"concept_recall": 0.75, "precision": 0.33, "typed_recall": 0.27},
    ("rules", "dev"): {"concept_recall": 0.75, "precision": 0.75, "typed_recall": 0.28},
    ("rules", "develop"): {"concept_recall": 0.78, "precision": 0.75, "typed_recall": 0.32},
    ("rules", "held-out"): {"concept_recall": 0.62, "precision": 0.70, "typed_recall": 0.18},
}
EXTRACTIONS = ["trained", "rules"]
PART_DOCS = {"dev": DEVELOP + HELD_OUT, "develop": DEVELOP, "held-out": HELD_OUT}


@needs_seeds()
@pytest.mark.parametrize("extraction", EXTRACTIONS)
def test_seed_graph_scores_at_least_the_floors(tmp_path: Path, extraction: str) -> None:
    store = tmp_path / "s"
    with extraction_of(extraction):
        run_cli(store, "ingest", str(SEEDS))
    export_file = tmp_path / "export.json"
    export_file.write_text(json.dumps(export(store), ensure_ascii=False), encoding="utf-8")
    scored = subprocess.run([sys.executable, str(SCORER), str(export_file), "--json"], capture_output=True, text=True,
                            check=True)
    result = json.loads(scored.stdout)
    for measure, floor in FLOORS[extraction].items():
        assert result[measure] >= floor, f"{extraction}: {measure}={result[measure]} fell below {floor}"


@needs_seeds()
def test_every_seed_relation_carries_evidence_from_an_ingested_document(tmp_path: Path) -> None:
    store = tmp_path / "s"
    with trained_extraction():
        run_cli(store, "ingest", str(SEEDS))
    graph = export(store)
    documents = {d["id"] for d in graph["documents"]}
    seed_lines = {d: (SEEDS / d.split("/", 1)[1]).read_text(encoding="utf-8").split("\n") for d in documents}
    for relation in graph["relations"]:
        assert relation["evidence"], relation
        for evidence in relation["evidence"]:
            assert evidence["document"] in documents
            line = seed_lines[evidence["document"]][evidence["line"] - 1]
            # Evidence keeps the sentence as prose (markup and inline math dropped): compare word characters only.
            said, source = _words(evidence["text"].split("\n")[0])[:4], _words(_INLINE_MATH.sub("", line))
            assert said in source or evidence["rule"].startswith("table"), (relation, line)


_INLINE_MATH = re.compile(r"\$[^$\n]{1,200}\$")


def _words(text: str) -> str:
    return re.sub(r"[\W_]", "", text)


needs_dev = pytest.mark.skipif(not DEV.is_dir(), reason=f"dev set not found at {DEV} (../shared beside the project)")
# Rules that read structure, or a side from around the sentence: their evidence need not name both concepts.
STRUCTURE_RULES = ("attribute:", "table:", "list:", "answer:", "section:", "tags", "model:list", "model:table",
                   "model:section")
CONTEXT_MARKS = ("+section topic", "+previous sentence")


@pytest.fixture(scope="module", params=EXTRACTIONS)
def dev_export(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> tuple[str, Path]:
    """The whole dev set, ingested through the CLI in one go (as a user would) and exported."""
    extraction = request.param
    tmp_path = tmp_path_factory.mktemp(f"dev-{extraction}")
    notes = tmp_path / "notes"
    notes.mkdir()
    for name in DEVELOP + HELD_OUT:
        shutil.copy(DEV / "docs" / name, notes / name)
    store = tmp_path / "s"
    with extraction_of(extraction):
        run_cli(store, "ingest", str(notes))
    export_file = tmp_path / "export.json"
    export_file.write_text(json.dumps(export(store), ensure_ascii=False), encoding="utf-8")
    return extraction, export_file


@needs_dev
@pytest.mark.parametrize("part", list(PART_DOCS))
def test_dev_set_scores_at_least_the_floors(dev_export: tuple[str, Path], part: str) -> None:
    extraction, export_file = dev_export
    scored = subprocess.run([sys.executable, str(SCORER), str(export_file), "--gold", str(DEV / "gold-dev.json"),
                             "--docs", ",".join(PART_DOCS[part]), "--json"], capture_output=True, text=True, check=True)
    result = json.loads(scored.stdout)
    for measure, floor in DEV_FLOORS[extraction, part].items():
        assert result[measure] >= floor, f"{extraction}, {part}: {measure}={result[measure]} fell below {floor}"


@needs_dev
def test_every_typed_relation_is_named_by_its_sentence_or_says_where_it_came_from(dev_export: tuple[str, Path]
                                                                                  ) -> None:
    graph = json.loads(dev_export[1].read_text(encoding="utf-8"))
    labels = {c["id"]: {_key(label) for label in [c["name"], *c["aliases"]]} for c in graph["concepts"]}
    for relation in graph["relations"]:
        if relation["type"] == "RELATED_TO":
            continue
        for evidence in relation["evidence"]:
            rule, said = evidence["rule"], _key(evidence["text"])
            if rule.startswith(STRUCTURE_RULES) or rule.endswith(CONTEXT_MARKS):
                continue
            for side in (relation["source"], relation["target"]):
                assert any(label in said for label in labels[side]), (relation["source"], relation["type"],
                                                                      relation["target"], rule, evidence["text"])


def _key(text: str) -> str:
    """Case, width, script, spaces and hyphens folded, as the matcher folds them."""
    return re.sub(r"[\s\-_·]", "", normalize_text(text))
