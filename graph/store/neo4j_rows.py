"""The model as Neo4j properties and back: flat, single-typed lists, no maps (what every Bolt server stores)."""

from __future__ import annotations

import json
import zlib
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from graph.models import Concept, DocumentGraph, Evidence, Location, Relation, RelationType
from graph.normalize import concept_key

Row = dict[str, Any]


def concept_row(concept: Concept) -> Row:
    """Every field of a concept; lists of locations become parallel lists. None values are left out."""
    row: Row = {
        "id": concept.id, "name": concept.name, "name_key": concept_key(concept.name),
        "aliases": concept.aliases, "alias_keys": [concept_key(a) for a in concept.aliases],
        "kind": concept.kind, "definition": concept.definition, "mentions": concept.mentions,
        "signals": concept.signals,
        "location_documents": [loc.document for loc in concept.locations],
        "location_lines": [loc.line for loc in concept.locations],
        "location_sections": [loc.section for loc in concept.locations],
    }
    if concept.definition_source:
        row |= _prefixed("definition_", concept.definition_source.model_dump())
    if concept.example:
        row |= _prefixed("example_", concept.example.model_dump())
    return {key: value for key, value in row.items() if value is not None}


def concept_from_row(row: Row) -> Concept:
    """Inverse of `concept_row`."""
    return Concept(
        id=row["id"], name=row["name"], aliases=list(row.get("aliases") or []), kind=row.get("kind"),
        definition=row.get("definition"),
        definition_source=Location(**_unprefixed("definition_", row, Location)) if "definition_line" in row else None,
        mentions=row.get("mentions", 0),
        locations=[Location(document=d, line=line, section=s) for d, line, s in zip(
            row.get("location_documents") or [], row.get("location_lines") or [], row.get("location_sections") or [],
            strict=True)],
        signals=list(row.get("signals") or []),
        example=Evidence(**_unprefixed("example_", row, Evidence)) if "example_line" in row else None,
    )


def relation_row(relation: Relation) -> Row:
    """Endpoints plus the relationship's properties: confidence, weight and the evidence as parallel lists."""
    documents, lines, sections, texts, rules = (list(column) for column in zip(
        *((e.document, e.line, e.section, e.text, e.rule) for e in relation.evidence), strict=True))
    return {"source": relation.source, "target": relation.target, "properties": {
        "confidence": relation.confidence, "weight": relation.weight, "evidence_documents": documents,
        "evidence_lines": lines, "evidence_sections": sections, "evidence_texts": texts, "evidence_rules": rules,
        **({"first": relation.first} if relation.first else {}),
    }}


def relation_from_row(source: str, target: str, relation_type: str, properties: Row) -> Relation:
    """Inverse of `relation_row`."""
    evidence = [Evidence(document=d, line=line, section=s, text=t, rule=r) for d, line, s, t, r in zip(
        properties["evidence_documents"], properties["evidence_lines"], properties["evidence_sections"],
        properties["evidence_texts"], properties["evidence_rules"], strict=True)]
    return Relation(source=source, target=target, type=RelationType(relation_type),
                    confidence=properties["confidence"], weight=properties["weight"], evidence=evidence,
                    first=properties.get("first"))


def document_rows(graph: DocumentGraph) -> tuple[Row, list[Row], list[Row]]:
    """The document node (with its whole extraction as `payload`, so the store can re-merge), sections, questions."""
    document = graph.document
    node = {"id": document.id, "path": document.path, "title": document.title, "sha256": document.sha256,
            "encoding": document.encoding, "chars": document.chars, "lines": document.lines,
            "tables": document.tables, "payload": pack_payload(graph)}
    sections = [{"document": document.id, **section.model_dump()} for section in document.sections]
    questions = [{"document": document.id, "id": q.id, "text": q.text, "line": q.line, "section": q.section,
                  "answered": q.answered, "difficulty": q.difficulty, "tags": q.tags, "concepts": q.concepts,
                  "metadata": json.dumps(q.metadata, ensure_ascii=False)} for q in document.questions]
    return node, sections, questions


def pack_payload(graph: DocumentGraph) -> bytearray:
    """A document's extraction, compressed: JSON is ~10x larger, and Bolt servers cap one message (16 MB)."""
    return bytearray(zlib.compress(graph.model_dump_json().encode("utf-8"), 6))


def unpack_payload(payload: bytes | bytearray) -> DocumentGraph:
    return DocumentGraph.model_validate_json(zlib.decompress(bytes(payload)))


def mention_rows(concepts: list[Concept], documents: dict[str, DocumentGraph]) -> list[Row]:
    """(concept)-[:MENTIONED_IN {count, lines}]->(section): each location goes to the section holding its line."""
    starts: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for doc_id, graph in documents.items():
        for section in graph.document.sections:
            starts[(doc_id, section.heading)].append((section.line_start, section.id))
    for found in starts.values():
        found.sort()
    rows: list[Row] = []
    for concept in concepts:
        lines: dict[str, list[int]] = defaultdict(list)
        for location in concept.locations:
            candidates = starts.get((location.document, location.section))
            if not candidates:
                continue
            at = bisect_right(candidates, (location.line, "\uffff")) - 1
            lines[candidates[max(at, 0)][1]].append(location.line)
        rows += [{"concept": concept.id, "section": section, "count": len(found), "lines": sorted(set(found))}
                 for section, found in lines.items()]
    return rows


def schema_keys(rows: Iterable[Mapping[str, Any]]) -> set[tuple[str, tuple[str, ...]]]:
    """(label or type, properties) of each row of `SHOW INDEXES` or `SHOW CONSTRAINTS`. Neo4j always lists two
    built-in LOOKUP indexes (over all labels, over all relationship types) whose labels and properties are null.

    >>> sorted(schema_keys([{"type": "LOOKUP", "entityType": "NODE", "labelsOrTypes": None, "properties": None},
    ...                     {"type": "RANGE", "labelsOrTypes": ["Concept"], "properties": ["name_key"]}]))
    [('Concept', ('name_key',))]
    """
    return {(label, tuple(row["properties"] or ())) for row in rows for label in row["labelsOrTypes"] or ()}


def _prefixed(prefix: str, values: Row) -> Row:
    return {prefix + key: value for key, value in values.items()}


def _unprefixed(prefix: str, row: Row, model: type[Location]) -> Row:
    return {name: row[prefix + name] for name in model.model_fields if prefix + name in row}
