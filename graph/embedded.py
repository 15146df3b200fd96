"""The default store: the graph in one JSON file, written atomically under a cross-process lock."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import filelock
from pydantic import Field, ValidationError

from graph import reads
from graph.errors import ConceptNotFound, StoreCorrupt, StoreLocked
from graph.lookup import find_concept
from graph.merge import merge_graphs
from graph.models import Concept, Document, DocumentGraph, KnowledgeGraph, Model

FORMAT_VERSION = 1


class StoreFile(Model):
    """What is on disk: every document's own graph, and the merged graph so reads need no re-merge."""

    version: int = FORMAT_VERSION
    documents: dict[str, DocumentGraph] = Field(default_factory=dict)
    graph: KnowledgeGraph = Field(default_factory=KnowledgeGraph)


class EmbeddedStore:
    """A durable file store: temp file, fsync, rename; a lock file serialises writers across processes."""

    kind = "embedded"

    def __init__(self, data_dir: Path, lock_timeout: float = 120.0) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / "graph.json"
        self.lock = filelock.FileLock(str(self.data_dir / "graph.lock"), timeout=lock_timeout)
        self._cache: tuple[float, int, StoreFile] | None = None
        # Read indexes built once per loaded graph; holding the graph keeps them from outliving it.
        self._views: tuple[KnowledgeGraph | None, dict[str, Any]] = (None, {})

    def _read(self) -> StoreFile:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return StoreFile()
        if self._cache and self._cache[:2] == (stat.st_mtime, stat.st_size):
            return self._cache[2]
        try:
            content = StoreFile.model_validate_json(self.path.read_bytes())
        except (ValidationError, ValueError) as exc:
            raise StoreCorrupt(f"{self.path} cannot be read ({exc.__class__.__name__}); "
                               "move it away and ingest the notes again") from exc
        self._cache = (stat.st_mtime, stat.st_size, content)
        return content

    def _write(self, content: StoreFile) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(prefix=".graph-", suffix=".tmp", dir=self.data_dir)
        try:
            with os.fdopen(handle, "wb") as temp:
                temp.write(content.model_dump_json().encode("utf-8"))
                temp.flush()
                os.fsync(temp.fileno())
            os.replace(temp_name, self.path)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
        directory = os.open(self.data_dir, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    def graph(self) -> KnowledgeGraph:
        return self._read().graph

    def document_graphs(self) -> dict[str, DocumentGraph]:
        return self._read().documents

    def document_hashes(self) -> dict[str, str]:
        return {doc_id: g.document.sha256 for doc_id, g in self._read().documents.items()}

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
        view = self._view(f"relations typed={typed_only}", lambda g: reads.relation_view(g, typed_only))
        return reads.neighbourhood_in(view, concepts, concept_id, depth)

    def prerequisite_subgraph(self, concept_id: str, max_depth: int | None = None) -> KnowledgeGraph:
        concepts = self._concepts(concept_id)
        fetch = self._view("prerequisites", lambda g: reads.prerequisite_edges_from(g.relations))
        ids, relations = reads.prerequisite_closure(concept_id, fetch, max_depth)
        return reads.sorted_graph((concepts[cid] for cid in ids), relations)

    def replace_documents(self, graphs: Iterable[DocumentGraph], removed: Iterable[str] = ()) -> KnowledgeGraph:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        try:
            with self.lock:
                current = self._read()
                documents = dict(current.documents)
                for doc_id in removed:
                    documents.pop(doc_id, None)
                for graph in graphs:
                    documents[graph.document.id] = graph
                content = StoreFile(documents=documents, graph=merge_graphs(documents.values()))
                self._write(content)
                return content.graph
        except filelock.Timeout as exc:
            raise StoreLocked(f"another ingest holds {self.lock.lock_file}; wait for it or raise "
                              "STUDYGRAPH_LOCK_TIMEOUT_SECONDS") from exc

    def close(self) -> None:
        self._cache = None
        self._views = (None, {})
