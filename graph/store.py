"""The GraphStore protocol every store implements, and `open_store(settings)` to pick one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

from graph.models import DocumentGraph, KnowledgeGraph

if TYPE_CHECKING:
    from settings import Settings


class GraphStore(Protocol):
    """Keeps per-document graphs and the merged graph built from them."""

    kind: str

    def graph(self) -> KnowledgeGraph:
        """The merged graph (empty when nothing is ingested)."""
        ...

    def document_hashes(self) -> dict[str, str]:
        """Document id -> sha256 of the ingested bytes, to skip unchanged files."""
        ...

    def replace_documents(self, graphs: Iterable[DocumentGraph], removed: Iterable[str] = ()) -> KnowledgeGraph:
        """Replace (or add) these documents and drop the removed ones, all or nothing."""
        ...

    def close(self) -> None:
        ...


def open_store(settings: Settings) -> GraphStore:
    """The store the settings name; the embedded file store is the default."""
    from graph.embedded import EmbeddedStore

    return EmbeddedStore(settings.data_dir, lock_timeout=settings.lock_timeout_seconds)
