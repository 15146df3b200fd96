"""The GraphStore protocol every store implements, and `open_store(settings)` to pick one."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Protocol

from graph.errors import InputError
from graph.models import Concept, Document, DocumentGraph, KnowledgeGraph, Profile
from graph.normalize import profile_name

if TYPE_CHECKING:
    from settings import Settings


DocumentChange = Callable[[dict[str, DocumentGraph]], tuple[list[DocumentGraph], list[str]]]
ProfileChange = Callable[[Profile], Profile]


class GraphStore(Protocol):
    """Keeps per-document graphs and the merged graph built from them; every store answers reads the same way."""

    kind: str

    def graph(self) -> KnowledgeGraph:
        """The merged graph (empty when nothing is ingested): concepts by id, relations by (source, target, type)."""
        ...

    def document_graphs(self) -> dict[str, DocumentGraph]:
        """Each ingested document's own extraction, by document id (what `sync` copies)."""
        ...

    def document_hashes(self) -> dict[str, str]:
        """Document id -> sha256 of the ingested bytes, to skip unchanged files."""
        ...

    def documents(self) -> list[Document]:
        """Ingested documents by id, with their sections and questions."""
        ...

    def find_concept(self, name: str) -> Concept:
        """The concept with this id, else display name, else alias (normalised); ConceptNotFound with suggestions."""
        ...

    def neighbourhood(self, concept_id: str, depth: int = 1, typed_only: bool = True) -> KnowledgeGraph:
        """Concepts within `depth` hops (either direction) and every relation among them."""
        ...

    def prerequisite_subgraph(self, concept_id: str, max_depth: int | None = None) -> KnowledgeGraph:
        """Everything the concept transitively needs first, with the relations that say so."""
        ...

    def revision(self) -> str:
        """Changes whenever a write commits (from any process): readers holding a copy know to reload it."""
        ...

    def replace_documents(self, graphs: Iterable[DocumentGraph], removed: Iterable[str] = ()) -> KnowledgeGraph:
        """Replace (or add) these documents and drop the removed ones, all or nothing."""
        ...

    def update_documents(self, change: DocumentChange) -> KnowledgeGraph:
        """`replace_documents` with what `change` makes of the stored documents: (graphs, removed ids)."""
        ...

    def profile(self, name: str) -> Profile:
        """The learner profile of this name; an empty one when none is stored yet."""
        ...

    def profile_names(self) -> list[str]:
        """Every stored profile's name, sorted (what `sync` copies along with the documents)."""
        ...

    def update_profile(self, name: str, change: ProfileChange) -> Profile:
        """Store what `change` makes of the profile as it is now, atomically across processes: two writers in a
        row give what one would give with both changes. Leaves the graph and its `revision` alone."""
        ...

    def close(self) -> None:
        ...


def open_store(settings: Settings) -> GraphStore:
    """The store the settings name; the embedded file store is the default."""
    if settings.store == "neo4j":
        from graph.store.neo4j_store import Neo4jStore

        return Neo4jStore(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password.get_secret_value(),
                          settings.neo4j_database)
    from graph.store.embedded import EmbeddedStore

    return EmbeddedStore(settings.data_dir, lock_timeout=settings.lock_timeout_seconds)


def stored_profile_name(name: str) -> str:
    """The name a profile is kept under in every store (see `graph.normalize.profile_name`); a name that cannot be
    one is an input error."""
    try:
        return profile_name(name)
    except ValueError as exc:
        raise InputError(f"profile {name!r}", str(exc)) from exc
