"""Issue 19, point 9: the graph of the same documents is the same whatever the order, batching or removals
that brought them there; the reference is one ingest of all of them at once. `change_for` and `extract_graphs`
read with their default, the trained extraction users get (each note named by the tagger on its own, so the
vocabulary of a change is the union of per-note vocabularies)."""

from __future__ import annotations

import itertools
import os
import subprocess
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.export import export_graph
from graph.store.embedded import EmbeddedStore
from ingest.lexicon import ConceptEntry
from ingest.pipeline import extract_graphs, read_sources
from ingest.reader import SourceFile
from ingest.rebuild import change_for
from tests.support.server import CLI, ROOT

NOTES = Path(__file__).resolve().parents[1] / "data" / "notes_order"  # names defined in one note, used in another


def _sources() -> dict[str, SourceFile]:
    return {source.id: source for source in read_sources([str(NOTES)], 1_000_000).sources}


SOURCES = _sources()


def _export(data_dir: Path) -> dict:  # type: ignore[type-arg]
    return export_graph(EmbeddedStore(data_dir).graph())


def _all_at_once(ids: list[str]) -> dict:  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory() as scratch:
        EmbeddedStore(Path(scratch)).update_documents(change_for([SOURCES[i] for i in ids]))
        return _export(Path(scratch))


REFERENCE = _all_at_once(sorted(SOURCES))


def test_the_fixture_is_order_sensitive() -> None:
    """Worth its test: reading each note only against the names stored before it (as ingest once did) gives
    another graph than the reference for some orders, since the notes use names that other notes define."""
    differing = 0
    for order in (sorted(SOURCES), sorted(SOURCES, reverse=True)):
        with tempfile.TemporaryDirectory() as scratch:
            store = EmbeddedStore(Path(scratch))
            for doc_id in order:
                known = [ConceptEntry(c.id, c.name, list(c.aliases), c.kind, list(c.signals))
                         for c in store.graph().concepts]
                store.replace_documents(extract_graphs([SOURCES[doc_id]], known))
            differing += _export(Path(scratch)) != REFERENCE
    assert differing


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(sorted(SOURCES)), cuts=st.sets(st.integers(1, 3), max_size=3))
def test_any_order_and_batching_gives_the_same_graph(order: list[str], cuts: set[int]) -> None:
    bounds = [0, *sorted(cuts), len(order)]
    with tempfile.TemporaryDirectory() as scratch:
        store = EmbeddedStore(Path(scratch))
        for start, end in itertools.pairwise(bounds):
            if start < end:
                store.update_documents(change_for([SOURCES[i] for i in order[start:end]]))
        assert _export(Path(scratch)) == REFERENCE


@settings(max_examples=6, deadline=None)
@given(gone=st.sampled_from(sorted(SOURCES)))
def test_removing_a_note_gives_the_graph_of_the_others(gone: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        store = EmbeddedStore(Path(scratch))
        store.update_documents(change_for(SOURCES.values()))
        store.update_documents(change_for(removed=[gone]))
        assert _export(Path(scratch)) == _all_at_once(sorted(set(SOURCES) - {gone}))


def test_two_concurrent_cli_ingests_give_the_graph_of_one(tmp_path: Path) -> None:
    """The change is worked out under the store's lock, so the writer that waited reads the other's notes."""
    paths = [str(NOTES / name) for name in ("a.md", "b.md", "c.md", "d.md")]
    env = {**os.environ, "STUDYGRAPH_DATA_DIR": str(tmp_path / "both")}
    halves = [subprocess.Popen([*CLI, "ingest", "-q", *half], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True) for half in (paths[:2], paths[2:])]
    for process in halves:
        _, problems = process.communicate(timeout=300)
        assert process.returncode == 0, problems
    subprocess.run([*CLI, "ingest", "-q", *paths], cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, "STUDYGRAPH_DATA_DIR": str(tmp_path / "one")}, timeout=300)
    assert _export(tmp_path / "both") == _export(tmp_path / "one")


def test_a_new_glossary_reads_every_stored_note_again(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The glossary's names are the tagger's features: stored notes read with another glossary are stale."""
    import ingest.rebuild

    ids = sorted(SOURCES)
    with tempfile.TemporaryDirectory() as scratch:
        store = EmbeddedStore(Path(scratch))
        store.update_documents(change_for([SOURCES[i] for i in ids[:-1]]))
        read: list[int] = []

        def counted(documents: dict) -> tuple:  # type: ignore[type-arg]
            graphs, removed = change_for([SOURCES[ids[-1]]])(documents)
            read.append(len(graphs))
            return graphs, removed

        monkeypatch.setattr(ingest.rebuild, "lexicon_stamp", lambda: "lexicon-another")
        store.update_documents(counted)
    assert read == [len(ids)]
