"""Find a concept by id, name or alias (normalised), or a document by id, suggesting close matches for unknown ones."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from posixpath import basename

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


# Numbering and bullets in front of a question ('Q3:', '7.', '●') and the marks after it are no part of what it asks.
_QUESTION_NUMBER = re.compile(r"^[\W_]*(?:Q\s*\d+\s*[:：.、]|\d+\s*[.、)）:：])?\s*")
_QUESTION_END = re.compile(r"[\s?？。.!！]+$")


def question_key(text: str) -> str:
    """What a question asks, without its numbering, end marks, case, width or script.

    >>> question_key("Q3: 什么是 RoPE？") == question_key("7. 什麼是 rope?")
    True
    """
    return concept_key(_QUESTION_END.sub("", _QUESTION_NUMBER.sub("", text, count=1)))


def questions_about(graph: KnowledgeGraph, concept_id: str) -> list[Question]:
    """Questions in the notes that name the concept, each asked once: a question the notes ask in several places
    (a list of questions, then a section) is shown where it is answered, if it is anywhere."""
    found: dict[str, Question] = {}
    for question in (q for d in graph.documents for q in d.questions if concept_id in q.concepts):
        key = question_key(question.text)
        if key not in found or (question.answered and not found[key].answered):
            found[key] = question
    return list(found.values())  # in the order first asked


def similar_documents(known: Iterable[str], wanted: str, limit: int = 3) -> list[str]:
    """Ingested document ids a mistyped one probably means: ids ending in it ('ok.md' -> 'notes/ok.md') or with
    its file name, else close spellings.

    >>> similar_documents(["bad/ok.md", "notes/a.md"], "ok.md"), similar_documents(["notes/rope.md"], "notes/rop.md")
    (['bad/ok.md'], ['notes/rope.md'])
    """
    ids = sorted(known)
    suffix = [d for d in ids if d.endswith("/" + wanted.lstrip("/"))]
    same_name = [d for d in ids if basename(d) == basename(wanted)]
    # A sure match (the folder left off or wrong) hides mere look-alikes.
    sure = list(dict.fromkeys([*suffix, *same_name]))
    return (sure or difflib.get_close_matches(wanted, ids, n=limit, cutoff=0.6))[:limit]
