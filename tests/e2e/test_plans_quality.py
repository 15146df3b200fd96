"""Study plans judged by ../shared/eval/score_plans.py against prerequisites an ML engineer wrote for 12 targets of
the dev set: on the dev gold graph brought in with `studygraph import` (the planner alone, on a perfect graph),
and on the dev notes as ingested.

Issue 18's bar is asserted where it is reached (gold graph: relevance >= 0.75, median steps <= 10). Essential
recall is not at the bar (0.70 on the gold graph, 0.50 ingested), nor is relevance on the notes as the trained
extraction reads them (0.60): those floors guard today's figures a little below them, and the README gives both. Skips without ../shared/eval.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SCORER, trained_extraction
from tests.integration.test_cli_store import run_cli

EVAL = SCORER.parent
DEV = EVAL / "dev"
STUDYGRAPH = Path(sys.executable).parent / "studygraph"

pytestmark = pytest.mark.skipif(not (DEV / "gold-dev.json").is_file() or not (EVAL / "score_plans.py").is_file(),
                                reason=f"dev gold or score_plans.py not found under {EVAL} (../shared beside the project)")


def score_plans(store: Path, export_file: Path) -> dict:  # type: ignore[type-arg]
    env = {**os.environ, "STUDYGRAPH_DATA_DIR": str(store)}
    done = subprocess.run([sys.executable, str(EVAL / "score_plans.py"), str(export_file), "--gold",
                           str(DEV / "gold-dev.json"), "--sg", str(STUDYGRAPH), "--json"],
                          capture_output=True, text=True, env=env, check=True, timeout=600)
    return json.loads(done.stdout)


def test_plans_on_the_dev_gold_graph(tmp_path: Path) -> None:
    graph_file = tmp_path / "gold-graph.json"
    subprocess.run([sys.executable, str(EVAL / "gold_to_export.py"), str(DEV / "gold-dev.json"), "-o",
                    str(graph_file)], check=True)
    store = tmp_path / "s"
    run_cli(store, "import", str(graph_file))
    exported = tmp_path / "export.json"
    run_cli(store, "export", "-o", str(exported))
    result = score_plans(store, exported)
    assert result["relevance"] >= 0.75 and result["median_steps"] <= 10, result
    assert result["essential_recall"] >= 0.52, result  # issue 18 asks 0.70: not reached (README)


def test_plans_on_the_ingested_dev_notes(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    shutil.copytree(DEV / "docs", notes)
    store = tmp_path / "s"
    with trained_extraction():
        run_cli(store, "ingest", str(notes))
    exported = tmp_path / "export.json"
    run_cli(store, "export", "-o", str(exported))
    result = score_plans(store, exported)
    # Trained extraction (stop 33): essential recall 0.36 (the cue rules: 0.31), relevance 0.38 (rules: 0.64;
    # issue 18's 0.60 is no longer reached: more wrong typed relations pull unrelated steps in). Regression floors.
    assert result["relevance"] >= 0.34, result
    assert result["essential_recall"] >= 0.32, result  # issue 18 asks 0.50: not reached (README)
