"""Find a concept by id, name or alias (normalised), suggesting close matches for unknown names."""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process

from graph.errors import ConceptNotFound
from graph.models import Concept, KnowledgeGraph, Question, Relation
from graph.normalize import concept_key


def find_concept(graph: KnowledgeGraph, name: str) -> Concept:
    """The concept whose id, name or alias matches `name` ignoring case, width, script and joiners.

    >>> g = KnowledgeGraph(concepts=[Concept(id="rope", name="RoPE", aliases=["旋转位置编码"])])
    >>> find_concept(g, "旋轉位置編碼").name
    'RoPE'
    >>> find_concept(g, "ropee")
    Traceback (most recent call last):
    graph.errors.ConceptNotFound: unknown concept 'ropee' — did you mean 'RoPE'?
    """
    key = concept_key(name)
    # Id, then display name, then alias: every store resolves a name in this order, so they agree.
    for matches in (lambda c: c.id == name, lambda c: concept_key(c.name) == key,
                    lambda c: any(concept_key(alias) == key for alias in c.aliases)):
        found = next((concept for concept in graph.concepts if matches(concept)), None)
        if found is not None:
            return found
    raise ConceptNotFound(name, suggest(((c.name, c.aliases) for c in graph.concepts), name))


def suggest(named: Iterable[tuple[str, list[str]]], name: str, limit: int = 3) -> list[str]:
    """Display names of the concepts (given as name and aliases) whose labels are closest to `name`."""
    labels: dict[str, str] = {}
    for display, aliases in named:
        for label in (display, *aliases):
            labels.setdefault(concept_key(label), display)
    matches = process.extract(concept_key(name), list(labels), scorer=fuzz.WRatio, limit=limit * 3, score_cutoff=60)
    return list(dict.fromkeys(labels[match[0]] for match in matches))[:limit]


def relations_of(graph: KnowledgeGraph, concept_id: str, typed_only: bool = True) -> list[Relation]:
    """Relations touching a concept, strongest first."""
    found = [r for r in graph.relations if concept_id in (r.source, r.target) and (r.type.typed or not typed_only)]
    return sorted(found, key=lambda r: (-r.confidence, -len(r.evidence)))


def questions_about(graph: KnowledgeGraph, concept_id: str) -> list[Question]:
    """Questions in the notes that name the concept."""
    return [q for d in graph.documents for q in d.questions if concept_id in q.concepts]
