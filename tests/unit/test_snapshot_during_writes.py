"""Issue 19, point 8: readers are served the last snapshot while this server writes, and while a graph that
another process wrote is loading; only the reader that noticed the new graph waits, and for a bounded time."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

import api.service
from api.service import StudyService
from graph.models import Document, DocumentGraph, KnowledgeGraph
from graph.store.embedded import EmbeddedStore
from graph.store.protocol import DocumentChange

BOUND = 30.0  # seconds: a reader that is not served by then has been made to wait for the writer


def _document(doc_id: str) -> DocumentGraph:
    return DocumentGraph(document=Document(id=doc_id, path=doc_id, title=doc_id, sha256=doc_id * 4, encoding="utf-8",
                                           chars=1, lines=1, sections=[]), concepts=[], relations=[])


class HeldStore(EmbeddedStore):
    """An embedded store whose commit or load waits until the test lets it go."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__(data_dir)
        self.hold_writes = threading.Event()
        self.hold_loads = threading.Event()
        self.release = threading.Event()
        self.reached = threading.Event()

    def update_documents(self, change: DocumentChange) -> KnowledgeGraph:
        if self.hold_writes.is_set():
            self.reached.set()
            assert self.release.wait(BOUND)
        return super().update_documents(change)

    def graph(self) -> KnowledgeGraph:
        if self.hold_loads.is_set():
            self.reached.set()
            assert self.release.wait(BOUND)
        return super().graph()


def _served_within_bound(service: StudyService) -> object:
    served: list[object] = []
    reader = threading.Thread(target=lambda: served.append(service.snapshot()))
    reader.start()
    reader.join(BOUND)
    assert served, "the reader waited for the writer"
    return served[0]


def test_readers_get_the_last_snapshot_while_this_server_writes(tmp_path: Path) -> None:
    store = HeldStore(tmp_path)
    store.replace_documents([_document("a.md")])
    service = StudyService(lambda: store, "embedded")
    before = service.snapshot()
    store.hold_writes.set()
    writer = threading.Thread(target=service.import_graphs, args=([_document("b.md")], False))
    writer.start()
    assert store.reached.wait(BOUND)
    assert service.snapshot_at_hand() is before and _served_within_bound(service) is before
    store.release.set()
    writer.join(BOUND)
    assert [d.id for d in service.snapshot().graph.documents] == ["a.md", "b.md"]


def test_a_graph_written_elsewhere_loads_in_the_background(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api.service, "FRESH_WAIT_SECONDS", 0.01)
    store = HeldStore(tmp_path)
    store.replace_documents([_document("a.md")])
    service = StudyService(lambda: store, "embedded")
    before = service.snapshot()
    EmbeddedStore(tmp_path).replace_documents([_document("b.md")])  # another process's write
    store.hold_loads.set()
    assert service.snapshot_at_hand() is None  # this reader will notice the new graph, off the event loop
    assert _served_within_bound(service) is before  # it waited its bounded time, then got the last graph
    assert store.reached.wait(BOUND)
    assert service.snapshot_at_hand() is before  # everyone else while the load runs
    store.hold_loads.clear()
    store.release.set()
    for _ in range(3000):
        if service.snapshot_at_hand() is not before:
            break
        time.sleep(0.01)
    assert [d.id for d in service.snapshot().graph.documents] == ["a.md", "b.md"]
