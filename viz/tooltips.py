"""Tooltip HTML for concepts, relations and questions. Every piece of text from the notes is escaped here,
so a concept named `<img src=x onerror=alert(1)>` shows as those characters.

>>> from graph.models import Concept
>>> concept_tooltip(Concept(id="x", name="<img src=x onerror=alert(1)>"))
'<b>&lt;img src=x onerror=alert(1)&gt;</b>'
"""

from __future__ import annotations

from functools import lru_cache
from html import escape

from graph.models import Concept, Location, Relation

DEFINITION_CHARS = 280
EVIDENCE_SHOWN = 3

# Names, verbs, document ids and section headings repeat on thousands of edges: escape each once.
_escaped = lru_cache(maxsize=65_536)(escape)


def concept_tooltip(concept: Concept, extra: str = "") -> str:
    """Name, every alias, kind, mentions and the definition with where it stands."""
    parts = [f"<b>{escape(concept.name)}</b>"]
    if concept.aliases:
        parts.append(f"<br><i>also</i> {escape(' · '.join(concept.aliases))}")
    facts = [f"kind: {escape(concept.kind)}" if concept.kind else "", f"{concept.mentions} mentions"
             if concept.mentions else ""]
    if any(facts):
        parts.append(f"<br><small>{escape(', '.join(f for f in facts if f), quote=False)}</small>")
    if concept.definition:
        parts.append(f"<br>{escape(_clip(concept.definition, DEFINITION_CHARS))}")
        if concept.definition_source:
            parts.append(f"<br><small>{_where(concept.definition_source)}</small>")
    if extra:
        parts.append(f"<br><i>{escape(extra)}</i>")
    return "".join(parts)


def relation_tooltip(relation: Relation, source_name: str, target_name: str, verb: str) -> str:
    """The relation in words, its confidence, and the sentences that state it with their source."""
    head = (f"<b>{_escaped(source_name)}</b> {_escaped(verb)} <b>{_escaped(target_name)}</b>"
            f" <small>({relation.type.value}, confidence {relation.confidence:.2f})</small>")
    lines = [head]
    for evidence in relation.evidence[:EVIDENCE_SHOWN]:
        lines.append(f"“{escape(_clip(evidence.text, DEFINITION_CHARS))}”<br><small>{_where(evidence)}</small>")
    if len(relation.evidence) > EVIDENCE_SHOWN:
        lines.append(f"<small>and {len(relation.evidence) - EVIDENCE_SHOWN} more</small>")
    return "<br>".join(lines)


def note_tooltip(title: str, text: str) -> str:
    """A highlight's own explanation (a gap, a missing link, an unanswered question)."""
    return f"<b>{escape(title)}</b><br>{escape(_clip(text, DEFINITION_CHARS * 2))}"


def _where(location: Location) -> str:
    section = f" § {_escaped(_clip(location.section, 80))}" if location.section else ""
    return f"{_escaped(location.document)}:{location.line}{section}"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
