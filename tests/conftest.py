"""Shared fixtures: isolated data directories, a real Bolt server, one store of each kind, fixture paths."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import neo4j
import pytest

from graph.store import GraphStore
from graph.store.embedded import EmbeddedStore
from settings import get_settings
from tests.support.arcadedb import BoltServer, start_arcadedb

# Starlette's TestClient names the host `testserver`; the live-server tests use 127.0.0.1 as a user would, and the
# host and origin tests give their own settings.
os.environ.setdefault("STUDYGRAPH_ALLOWED_HOSTS", '["testserver"]')
# Tests of what the CLI, the API, the page and the study engine do with a graph read the example notes with the
# cue rules, which stay as they are when the models are retrained; the tests of the trained pipeline (its parts,
# the order property, the quality on the seeds and the dev set) ask for it with `trained_extraction`.
os.environ.setdefault("STUDYGRAPH_EXTRACTION", "rules")

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
EXAMPLES = ROOT / "examples" / "notes"
SEEDS = ROOT.parent / "shared" / "seeds"
SCORER = ROOT.parent / "shared" / "eval" / "score_graph.py"


@contextmanager
def extraction_of(extraction: str) -> Iterator[None]:
    """The CLI and servers started inside read notes with this extraction ("trained" or "rules")."""
    before = os.environ.get("STUDYGRAPH_EXTRACTION")
    os.environ["STUDYGRAPH_EXTRACTION"] = extraction
    get_settings.cache_clear()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("STUDYGRAPH_EXTRACTION", None)
        else:
            os.environ["STUDYGRAPH_EXTRACTION"] = before
        get_settings.cache_clear()


def trained_extraction() -> AbstractContextManager[None]:
    """The CLI and servers started inside read notes with the trained pipeline, as users get it."""
    return extraction_of("trained")


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


@pytest.fixture(scope="session")
def bolt_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BoltServer]:
    """A real Bolt server for the session: Neo4j when STUDYGRAPH_TEST_NEO4J_URI is set, else ArcadeDB on loopback."""
    uri = os.environ.get("STUDYGRAPH_TEST_NEO4J_URI")
    if uri:
        yield BoltServer(uri, os.environ.get("STUDYGRAPH_TEST_NEO4J_USER", "neo4j"),
                         os.environ.get("STUDYGRAPH_TEST_NEO4J_PASSWORD", "studygraph-local"),
                         os.environ.get("STUDYGRAPH_TEST_NEO4J_DATABASE", "neo4j"))
        return
    server = start_arcadedb(tmp_path_factory.mktemp("arcadedb"))
    try:
        yield server
    finally:
        server.stop()


def wipe(server: BoltServer) -> None:
    """Empty the test database (schema stays)."""
    with neo4j.GraphDatabase.driver(server.uri, auth=(server.user, server.password)) as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n", database_=server.database)


def neo4j_store(server: BoltServer) -> GraphStore:
    from graph.store.neo4j_store import Neo4jStore

    return Neo4jStore(server.uri, server.user, server.password, server.database)


@pytest.fixture(params=["embedded", "neo4j"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> GraphStore:
    """An empty store of each kind: the contract suite runs every test against both."""
    if request.param == "embedded":
        return EmbeddedStore(tmp_path / "store")
    server: BoltServer = request.getfixturevalue("bolt_server")
    wipe(server)
    return neo4j_store(server)
