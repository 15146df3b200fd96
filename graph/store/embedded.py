"""The default store: the merged graph in one JSON file, each document's extraction in another, committed
together by one atomic rename under a cross-process lock."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import filelock
from pydantic import Field, ValidationError

from graph.bulk import long_lived
from graph.errors import ConceptNotFound, StoreCorrupt, StoreLocked
from graph.lookup import find_concept
from graph.merge import merge_graphs
from graph.models import Concept, Document, DocumentGraph, KnowledgeGraph, Model, Profile
from graph.store import traversal
from graph.store.durable_files import replace_file
from graph.store.profile_file import TEMP_PREFIX as PROFILE_TEMP_PREFIX
from graph.store.profile_file import ProfileFile
from graph.store.protocol import DocumentChange, ProfileChange, stored_profile_name
from graph.store.record_lines import (
    dump_documents_file,
    dump_graph_file,
    is_record_lines,
    load_documents_file,
    load_graph_file,
)

FORMAT_VERSION = 3  # 3: a record per line (`record_lines`); 2: documents in their own file; 1: all inline


class StoreFile(Model):
    """`graph.json`: the merged graph every read needs, and the name of the file that holds the documents' own
    extractions (only writes and `sync` need those; version 1 kept them inline). Read and written as
    `record_lines` lays it out; versions 1 and 2 (one JSON line) still load."""

    version: int = FORMAT_VERSION
    documents_file: str | None = None
    documents: dict[str, DocumentGraph] | None = None
    graph: KnowledgeGraph = Field(default_factory=KnowledgeGraph)


class DocumentsFile(Model):
    """The documents file of version 2 (one JSON object); version 3 writes JSON Lines (`record_lines`)."""

    documents: dict[str, DocumentGraph] = Field(default_factory=dict)


class EmbeddedStore:
    """A durable file store: temp file, fsync, rename; a lock file serialises writers across processes.

    A write first stores the documents under a new name, then renames a new `graph.json` that names it into
    place: that rename is the commit, so a crash at any point leaves the previous pair intact.
    """

    kind = "embedded"

    def __init__(self, data_dir: Path, lock_timeout: float = 120.0) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / "graph.json"
        self.lock = filelock.FileLock(str(self.data_dir / "graph.lock"), timeout=lock_timeout)
        self._cache: tuple[float, int, StoreFile] | None = None
        self._documents: tuple[str, dict[str, DocumentGraph]] | None = None
        # Read indexes built once per loaded graph; holding the graph keeps them from outliving it.
        self._views: tuple[KnowledgeGraph | None, dict[str, Any]] = (None, {})
        self._profiles = ProfileFile(self.data_dir, lock_timeout)

    # ---- files ----
    def _read(self) -> StoreFile:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return StoreFile()
        if self._cache and self._cache[:2] == (stat.st_mtime, stat.st_size):
            return self._cache[2]
        content: StoreFile = self._parse(self.path, _load_store_file)
        self._cache = (stat.st_mtime, stat.st_size, content)
        return content

    def _parse(self, path: Path, load: Callable[[bytes], Any]) -> Any:
        try:
            with long_lived():  # ~4x faster: half a million model objects that stay until the file changes
                return load(path.read_bytes())
        except (ValidationError, ValueError, FileNotFoundError) as exc:
            raise StoreCorrupt(f"the store's {path.name} (in STUDYGRAPH_DATA_DIR) cannot be read "
                               f"({exc.__class__.__name__}); move the store directory away and ingest the notes "
                               "again") from exc

    def _read_documents(self, content: StoreFile) -> dict[str, DocumentGraph]:
        if content.documents is not None or content.documents_file is None:
            return content.documents or {}  # version 1 (inline), or an empty store
        if self._documents is None or self._documents[0] != content.documents_file:
            parsed = self._parse(self.data_dir / content.documents_file, _load_documents_file)
            self._documents = (content.documents_file, parsed)
        return self._documents[1]

    def _write(self, documents: dict[str, DocumentGraph], graph: KnowledgeGraph) -> None:
        name = f"documents-{secrets.token_hex(8)}.jsonl"
        replace_file(self.data_dir / name, dump_documents_file(documents))
        replace_file(self.path, dump_graph_file({"version": FORMAT_VERSION, "documents_file": name}, graph))
        stat = self.path.stat()
        # What was just written is what the next read and write need: kept, not parsed back.
        self._cache = (stat.st_mtime, stat.st_size, StoreFile(documents_file=name, graph=graph))
        self._documents = (name, documents)
        for stale in self.data_dir.glob("documents-*.json*"):
            if stale.name != name:  # left by earlier writes, or by one that crashed before its commit
                stale.unlink(missing_ok=True)
        for torn in self.data_dir.glob(".*.tmp"):  # a write killed before its rename; we hold the lock now
            if not torn.name.startswith(PROFILE_TEMP_PREFIX):  # profiles have a lock of their own: maybe in flight
                torn.unlink(missing_ok=True)

    # ---- reads ----
    def graph(self) -> KnowledgeGraph:
        return self._read().graph

    def document_graphs(self) -> dict[str, DocumentGraph]:
        return self._read_documents(self._read())

    def document_hashes(self) -> dict[str, str]:
        return {document.id: document.sha256 for document in self.graph().documents}

    def documents(self) -> list[Document]:
        return self.graph().documents

    def find_concept(self, name: str) -> Concept:
        return find_concept(self.graph(), name)

    def _view(self, name: str, build: Callable[[KnowledgeGraph], Any]) -> Any:
        graph = self.graph()
        if self._views[0] is not graph:
            self._views = (graph, {})
        built = self._views[1]
        if name not in built:
            built[name] = build(graph)
        return built[name]

    def _concepts(self, concept_id: str) -> dict[str, Concept]:
        concepts: dict[str, Concept] = self._view("concepts", lambda g: {c.id: c for c in g.concepts})
        if concept_id not in concepts:
            raise ConceptNotFound(concept_id, [])
        return concepts

    def neighbourhood(self, concept_id: str, depth: int = 1, typed_only: bool = True) -> KnowledgeGraph:
        concepts = self._concepts(concept_id)
        view = self._view(f"relations typed={typed_only}", lambda g: traversal.relation_view(g, typed_only))
        return traversal.neighbourhood_in(view, concepts, concept_id, depth)

    def prerequisite_subgraph(self, concept_id: str, max_depth: int | None = None) -> KnowledgeGraph:
        concepts = self._concepts(concept_id)
        fetch = self._view("prerequisites", lambda g: traversal.prerequisite_edges_from(g.relations))
        ids, relations = traversal.prerequisite_closure(concept_id, fetch, max_depth)
        return traversal.sorted_graph((concepts[cid] for cid in ids), relations)

    def revision(self) -> str:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return "empty"
        return f"{stat.st_ino}:{stat.st_mtime_ns}:{stat.st_size}"  # each commit renames a new file into place

    # ---- writes ----
    def replace_documents(self, graphs: Iterable[DocumentGraph], removed: Iterable[str] = ()) -> KnowledgeGraph:
        graphs, removed = list(graphs), list(removed)
        return self.update_documents(lambda documents: (graphs, removed))

    def update_documents(self, change: DocumentChange) -> KnowledgeGraph:
        """The change is worked out under the lock, from the documents as they are: two writers in a row give
        what one would give with both changes."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        try:
            with self.lock:
                documents = dict(self._read_documents(self._read()))
                graphs, removed = change(documents)
                for doc_id in removed:
                    documents.pop(doc_id, None)
                for graph in graphs:
                    documents[graph.document.id] = graph
                merged = merge_graphs(documents.values())
                self._write(documents, merged)
                return merged
        except filelock.Timeout as exc:
            raise StoreLocked("another ingest holds the store's lock (graph.lock in STUDYGRAPH_DATA_DIR); wait "
                              "for it or raise STUDYGRAPH_LOCK_TIMEOUT_SECONDS") from exc

    # ---- learner profiles (their own file and lock: graph.json and the revision stay as they are) ----
    def profile(self, name: str) -> Profile:
        return self._profiles.profile(stored_profile_name(name))

    def profile_names(self) -> list[str]:
        return self._profiles.names()

    def update_profile(self, name: str, change: ProfileChange) -> Profile:
        return self._profiles.update(stored_profile_name(name), change)

    def close(self) -> None:
        self._cache = None
        self._documents = None
        self._views = (None, {})


def _load_store_file(payload: bytes) -> StoreFile:
    if not is_record_lines(payload):
        return StoreFile.model_validate_json(payload)
    header, graph = load_graph_file(payload)
    return StoreFile.model_construct(version=header.get("version", FORMAT_VERSION), documents=None,
                                     documents_file=header.get("documents_file"), graph=graph)


def _load_documents_file(payload: bytes) -> dict[str, DocumentGraph]:
    if payload.startswith(b'{"documents":'):  # version 2: one JSON object
        return DocumentsFile.model_validate_json(payload).documents
    return load_documents_file(payload)
