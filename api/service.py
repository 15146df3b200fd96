"""The server's view of the graph: one store, an immutable snapshot for readers, and serialised writers.

Readers take the current `Snapshot` (graph, study index, search index) and use it for the whole request. A writer
commits to the store and then swaps in a new snapshot by assigning one attribute, so a reader sees the graph
before or after a write, never half of one. Writes from other processes (the CLI) are noticed through the
store's revision and loaded on the next read.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx

from graph.bulk import long_lived
from graph.errors import DocumentNotFound, StoreError
from graph.models import Concept, Document, DocumentGraph, KnowledgeGraph, Relation
from graph.network import concept_network
from graph.search import ConceptSearch
from graph.store import GraphStore
from graph.store.protocol import DocumentChange
from graph.study.index import StudyIndex
from ingest.answers import answers_of
from ingest.identity import Reconciled, reconcile
from ingest.pipeline import Extraction, Progress
from ingest.reader import SourceFile
from ingest.rebuild import change_for

_CONSISTENT_READ_ATTEMPTS = 3
# How long the reader that notices another process's write waits for the new graph before it is served the last
# one: a small store loads well within it; a large one (seconds) must not hold that request.
FRESH_WAIT_SECONDS = 0.5


@dataclass
class Snapshot:
    """One committed graph and the indexes built on it; never changed after it is built."""

    graph: KnowledgeGraph
    revision: str
    index: StudyIndex = field(init=False)

    def __post_init__(self) -> None:
        self.index = StudyIndex(self.graph)

    @cached_property
    def search(self) -> ConceptSearch:
        return ConceptSearch(self.graph)

    @cached_property
    def concepts(self) -> dict[str, Concept]:
        return {c.id: c for c in self.graph.concepts}

    @cached_property
    def documents(self) -> dict[str, Document]:
        return {d.id: d for d in self.graph.documents}

    @cached_property
    def relations_by_concept(self) -> dict[str, list[Relation]]:
        """Relations touching each concept, strongest first."""
        touching: dict[str, list[Relation]] = {}
        for relation in self.graph.relations:
            touching.setdefault(relation.source, []).append(relation)
            if relation.target != relation.source:
                touching.setdefault(relation.target, []).append(relation)
        for relations in touching.values():
            relations.sort(key=lambda r: (-r.confidence, -len(r.evidence), r.source, r.target))
        return touching

    @cached_property
    def network(self) -> nx.MultiDiGraph:
        """What the maps draw; made on the first map request, not before, as many servers never draw one."""
        with long_lived():
            return concept_network(self.graph)

    @cached_property
    def typed_count(self) -> int:
        return sum(1 for r in self.graph.relations if r.type.typed)

    @cached_property
    def ranked_relations(self) -> list[Relation]:
        return sorted(self.graph.relations, key=lambda r: (-r.confidence, -len(r.evidence), r.source, r.target))

    @cached_property
    def concepts_by_document(self) -> dict[str, list[str]]:
        found: dict[str, dict[str, None]] = {}
        for concept in self.graph.concepts:
            for location in concept.locations:
                found.setdefault(location.document, {})[concept.id] = None
        return {doc_id: list(ids) for doc_id, ids in found.items()}


def ready_snapshot(graph: KnowledgeGraph, revision: str) -> Snapshot:
    """A snapshot with every index built before any reader sees it, then frozen out of the collector's way:
    built lazily, the first request paid for it, and each full collection walked it again."""
    with long_lived():
        snapshot = Snapshot(graph, revision)
        for view in ("search", "concepts", "documents", "relations_by_concept", "concepts_by_document",
                      "typed_count", "ranked_relations"):
            getattr(snapshot, view)
        index = snapshot.index
        _ = index.centrality, index.typed_view, index.all_relations, index.name_keys, index.alias_keys
    return snapshot


class StudyService:
    """Owns the store for the server's lifetime; hands out snapshots and runs writes one at a time."""

    def __init__(self, open_store: Callable[[], GraphStore], kind: str, use_lexicon: bool = True,
                 extraction: Extraction = "trained") -> None:
        self._open_store = open_store
        self.use_lexicon = use_lexicon
        self.extraction = extraction
        self._store: GraphStore | None = None
        self.kind = kind
        self._snapshot: Snapshot | None = None
        self._failed_revision: str | None = None  # a revision whose graph could not be read: not tried again
        self.problem: str | None = None  # why the graph served is not the store's latest, if it is not
        self._open_lock = threading.Lock()
        self._refresh_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._reloader: threading.Thread | None = None
        self._answers: tuple[str, dict[str, str]] | None = None  # (revision, question id -> answer)

    @property
    def store(self) -> GraphStore:
        """Opened on first use and again after a failure, so the server starts (and says 503) while Neo4j is down."""
        if self._store is None:
            with self._open_lock:
                if self._store is None:
                    self._store = self._open_store()
        return self._store

    def answers(self, snapshot: Snapshot) -> dict[str, str]:
        """Question id -> the notes' answer, cut from the stored note texts once per graph revision (practice
        reads it on every card)."""
        cached = self._answers
        if cached is not None and cached[0] == snapshot.revision:
            return cached[1]
        answers = answers_of(self.store.document_graphs().values())
        self._answers = (snapshot.revision, answers)
        return answers

    def snapshot(self) -> Snapshot:
        """The latest committed graph; reloads only when the store's revision moved. When a reload fails (the
        file turned unreadable, the database went away), the last good graph is served and `problem` says why.

        Readers never queue behind a write or a long reload. While this server writes, it installs the new graph
        itself when it commits. A graph another process wrote is loaded in the background: the reader that
        noticed it waits up to `FRESH_WAIT_SECONDS` for it, and everyone else is served the last snapshot."""
        current = self.snapshot_at_hand()
        if current is not None:
            return current
        current = self._snapshot
        if current is None:
            with self._refresh_lock:
                return self._refresh()
        started = self._start_reload()
        if started is not None:
            started.join(timeout=FRESH_WAIT_SECONDS)
        return self._snapshot or current

    def snapshot_at_hand(self) -> Snapshot | None:
        """The snapshot to serve when no one needs to wait for a newer one (the store has not moved, this server
        is writing, or a reload is already running), else None: the caller then calls `snapshot` off the event
        loop, where waiting holds one thread rather than every request."""
        current = self._snapshot
        if current is None:
            return None
        if self.store.revision() in (current.revision, self._failed_revision) or self._write_lock.locked():
            return current
        reloading = self._reloader is not None and self._reloader.is_alive()
        return current if reloading else None

    def _start_reload(self) -> threading.Thread | None:
        """A new background reload, or None when one is already running."""
        with self._open_lock:
            if self._reloader is not None and self._reloader.is_alive():
                return None
            self._reloader = threading.Thread(target=self._reload, name="studygraph-reload", daemon=True)
            self._reloader.start()
            return self._reloader

    def _reload(self) -> None:
        with self._refresh_lock:
            self._refresh()

    def _refresh(self) -> Snapshot:
        """Load the store's graph if its revision moved; called with `_refresh_lock` held. Raises only when
        there is no earlier graph to fall back on."""
        current = self._snapshot
        revision = self.store.revision()
        if current is not None and revision in (current.revision, self._failed_revision):
            return current
        try:
            self._snapshot = self._load()
        except StoreError as exc:
            if current is None:
                raise
            self._failed_revision, self.problem = revision, str(exc)
            return current
        self._failed_revision, self.problem = None, None
        return self._snapshot

    def _load(self) -> Snapshot:
        """Read the graph between two equal revisions, so a write from elsewhere cannot split the read."""
        for _ in range(_CONSISTENT_READ_ATTEMPTS):
            before = self.store.revision()
            graph = self.store.graph()
            if self.store.revision() == before:
                return ready_snapshot(graph, before)
        raise StoreError("the store kept changing while it was read; try again")

    def ingest(self, sources: list[SourceFile], progress: Progress | None = None) -> Reconciled:
        """Extract and commit these notes: the ones written, those already stored as they are, and the ones
        whose content another document already holds (not ingested). Writers queue one at a time."""
        with self._write_lock:
            result = reconcile(sources, self.store.document_graphs())
            if result.sources:
                self._commit(change_for(result.sources, progress=progress or _quiet, use_lexicon=self.use_lexicon,
                                    extraction=self.extraction))
            return result

    def import_graphs(self, graphs: list[DocumentGraph], replace: bool) -> tuple[KnowledgeGraph, list[str]]:
        """Commit an imported graph's documents; with `replace`, every other document goes."""
        with self._write_lock:
            incoming = {g.document.id for g in graphs}
            removed = [d for d in self.store.document_hashes() if replace and d not in incoming]
            return self._commit(change_for(removed=removed, imported=graphs, use_lexicon=self.use_lexicon,
                                    extraction=self.extraction)), removed

    def remove(self, document_id: str) -> KnowledgeGraph:
        with self._write_lock:
            known = list(self.store.document_hashes())
            if document_id not in known:
                raise DocumentNotFound(document_id, sorted(known))
            return self._commit(change_for(removed=[document_id], use_lexicon=self.use_lexicon,
                                    extraction=self.extraction))

    def _commit(self, change: DocumentChange) -> KnowledgeGraph:
        """Apply the change to the store (which reads every note it affects again), then serve the result."""
        graph = self.store.update_documents(change)
        self._snapshot = ready_snapshot(graph, self.store.revision())  # one assignment: readers switch whole
        return graph

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def _quiet(stage: str, done: int, total: int) -> None:
    return None
