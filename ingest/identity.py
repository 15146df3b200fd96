"""Which incoming notes are new documents, which are documents the store already holds under another name,
and which repeat content the store (or the same batch) already has.

Ids come from how a file was named on the command line ("notes/a.md" for the folder, "a.md" for the file
alone), so the same file given another way would be a second document with every mention counted twice. A
file read from disk is recognised by its resolved path's digest and keeps its stored id; identical content
under another id is reported as a duplicate and not ingested.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from graph.models import DocumentGraph
from ingest.reader import Skipped, SourceFile


@dataclass
class Reconciled:
    """The sources to ingest (under their lasting ids), those already stored as they are, and duplicates."""

    sources: list[SourceFile] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicates: list[Skipped] = field(default_factory=list)


def reconcile(sources: list[SourceFile], stored: dict[str, DocumentGraph]) -> Reconciled:
    """Give each source the id its file already has in the store, and set aside repeated content."""
    by_origin = {graph.origin: doc_id for doc_id, graph in stored.items() if graph.origin}
    content_of = {doc_id: graph.document.sha256 for doc_id, graph in stored.items()}
    holders: dict[str, list[str]] = {}  # sha256 -> the stored ids with that content
    for doc_id, sha in content_of.items():
        holders.setdefault(sha, []).append(doc_id)
    result = Reconciled()
    taken: dict[str, str] = {}  # sha256 -> id, for content already kept in this batch
    for source in sorted(sources, key=lambda s: s.id):
        lasting = by_origin.get(source.origin or "", source.id)
        if lasting != source.id:
            source = replace(source, id=lasting)
        if content_of.get(source.id) == source.sha256:
            result.unchanged.append(source.id)
            continue
        same = taken.get(source.sha256) or next(
            (doc_id for doc_id in holders.get(source.sha256, []) if doc_id != source.id), None)
        if same is not None:
            result.duplicates.append(Skipped(source.id, f"same content as {same}; not counted twice"))
            continue
        taken[source.sha256] = source.id
        result.sources.append(source)
    return result
