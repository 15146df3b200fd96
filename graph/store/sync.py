"""Copy a whole graph from one store to another (embedded to Neo4j and back)."""

from __future__ import annotations

from graph.models import KnowledgeGraph
from graph.store import GraphStore


def copy_graph(source: GraphStore, target: GraphStore) -> KnowledgeGraph:
    """Make `target` hold exactly the documents of `source`, in one write; returns the target's merged graph.
    The learner profiles come along (a profile of the same name on the target is replaced), so moving to
    another store keeps one's progress.

    Documents travel as their own extractions and the target merges them itself, so both end up with the same
    graph without re-reading any notes.
    """
    documents = source.document_graphs()
    stale = [doc_id for doc_id in target.document_hashes() if doc_id not in documents]
    graph = target.replace_documents(documents.values(), removed=stale)
    for name in source.profile_names():
        profile = source.profile(name)
        target.update_profile(name, lambda _: profile)  # noqa: B023  (called at once, inside this iteration)
    return graph
