"""Shared fixtures: an isolated data directory per test and paths to fixtures and seeds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from settings import get_settings

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
EXAMPLES = ROOT / "examples" / "notes"
SEEDS = ROOT.parent / "shared" / "seeds"
SCORER = ROOT.parent / "shared" / "eval" / "score_graph.py"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh store directory, wired through STUDYGRAPH_DATA_DIR."""
    store_dir = tmp_path / "store"
    monkeypatch.setenv("STUDYGRAPH_DATA_DIR", str(store_dir))
    get_settings.cache_clear()
    yield store_dir
    get_settings.cache_clear()


def needs_seeds() -> pytest.MarkDecorator:
    return pytest.mark.skipif(not SEEDS.is_dir() or not SCORER.is_file(),
                              reason=f"seed notes or scorer not found at {SEEDS.parent} (../shared beside the project)")
