"""The export contract: {"concepts": [...], "relations": [...]} as read by ../shared/eval/score_graph.py."""

from __future__ import annotations

from typing import Any

from graph.models import KnowledgeGraph


def export_graph(graph: KnowledgeGraph) -> dict[str, Any]:
    """Concepts with names and aliases; relations with type, confidence and evidence."""
    return {
        "concepts": [
            {"id": c.id, "name": c.name, "aliases": c.aliases, "kind": c.kind, "definition": c.definition,
             "mentions": c.mentions}
            for c in graph.concepts
        ],
        "relations": [
            {"source": r.source, "target": r.target, "type": r.type.value, "confidence": r.confidence,
             "weight": r.weight, "first": r.first,
             "evidence": [{"document": e.document, "line": e.line, "section": e.section, "text": e.text,
                           "rule": e.rule} for e in r.evidence]}
            for r in graph.relations
        ],
        "documents": [{"id": d.id, "title": d.title, "sha256": d.sha256} for d in graph.documents],
    }
