"""The inverse of `export`: a graph file read back, checked, and cut into the per-document graphs a store keeps.

An export holds the merged graph, not what each document contributed, so each relation is given to the document
of its first evidence (with all its evidence: it lives in one document graph, so merging does not pool it with
itself and its confidence stays) and each concept to the first document that needs it; other documents that
need it carry a copy with no mentions. Concepts no relation uses go to the first document. Sections and
questions are not part of an export, so an imported graph has none.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from graph.errors import InputError, InputLimit
from graph.models import Concept, Document, DocumentGraph, Evidence, Relation, RelationType

IMPORTED_ENCODING = "import"  # a Document's encoding when it came from a graph file, not from notes
DERIVED_RULE = "name:"  # relations `graph.merge.name_relations` adds while merging


def _whole_number(value: object) -> object:
    """`1.0` is the integer JSON Schema allows; anything else (`"3"`, `1.5`, `true`) is left to strict checking."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


WholeNumber = Annotated[int, BeforeValidator(_whole_number)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _EvidenceRow(_Strict):
    document: str = Field(min_length=1)
    line: WholeNumber = Field(ge=0)
    section: str | None = None
    text: str = ""
    rule: str = ""


class _ConceptRow(_Strict):
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    kind: str | None = None
    definition: str | None = None
    mentions: WholeNumber = Field(default=0, ge=0)


class _RelationRow(_Strict):
    source: str = Field(min_length=1)
    target: str = Field(min_length=1)
    type: RelationType
    confidence: float = Field(ge=0.0, le=1.0)
    weight: WholeNumber = Field(default=1, ge=1)
    first: str | None = None
    evidence: list[_EvidenceRow] = Field(min_length=1)


class _DocumentRow(_Strict):
    id: str = Field(min_length=1)
    title: str = ""
    sha256: str = ""


class GraphFile(_Strict):
    """What a graph file must hold (the API's schema for POST /import is made from it)."""

    concepts: list[_ConceptRow]
    relations: list[_RelationRow] = Field(default_factory=list)
    documents: list[_DocumentRow] = Field(default_factory=list)


def read_graph_file(raw: bytes | str, source: str = "graph file") -> list[DocumentGraph]:
    """Parse and check an export; every problem is named with where it is, and nothing is half-read."""
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(source, f"not JSON: {exc}") from exc
    except ValueError as exc:  # an integer of thousands of digits (the interpreter's conversion limit)
        raise InputLimit(source, f"a number in it is too long to read ({exc})") from exc
    except RecursionError as exc:  # the C parser stops cleanly at the interpreter's depth limit
        raise InputLimit(source, "JSON nested far deeper than a graph file (five levels) can be") from exc
    if not isinstance(data, dict):
        raise InputError(source, "must be a JSON object with 'concepts' and 'relations' (as `export` writes)")
    try:
        parsed = GraphFile.model_validate_json(raw, strict=True)  # `"mentions": "3"` is no count
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
                             for error in exc.errors()[:5])
        more = f" (and {exc.error_count() - 5} more)" if exc.error_count() > 5 else ""
        raise InputError(source, f"not a studygraph export: {problems}{more}") from exc
    _check_references(parsed, source)
    return _document_graphs(parsed)


def _check_references(parsed: GraphFile, source: str) -> None:
    seen: set[str] = set()
    for concept_id in (c.id for c in parsed.concepts):
        if concept_id in seen:
            raise InputError(source, f"concept id {concept_id!r} appears twice")
        seen.add(concept_id)
    for number, relation in enumerate(parsed.relations):
        for side in (relation.source, relation.target):
            if side not in seen:
                raise InputError(source, f"relation {number} ({relation.source} {relation.type.value} "
                                 f"{relation.target}) names {side!r}, which is not among the concepts")
        if relation.first is not None and relation.first not in (relation.source, relation.target):
            raise InputError(source, f"relation {number} says {relation.first!r} comes first, which is "
                             f"neither of its sides")


def _document_graphs(parsed: GraphFile) -> list[DocumentGraph]:
    titles = {d.id: d for d in parsed.documents}
    order = list(titles)
    for relation in parsed.relations:
        for evidence in relation.evidence:
            if evidence.document not in titles:
                titles[evidence.document] = _DocumentRow(id=evidence.document)
                order.append(evidence.document)
    if not order:
        order = ["imported"]
        titles["imported"] = _DocumentRow(id="imported", title="imported graph")
    relations_of: dict[str, list[Relation]] = defaultdict(list)
    needs: dict[str, dict[str, None]] = defaultdict(dict)  # document -> concept ids, first-seen order (a set)
    for row in parsed.relations:
        if all(e.rule.startswith(DERIVED_RULE) for e in row.evidence):
            continue  # merging derives these again from the comparisons they rest on
        home = row.evidence[0].document
        relations_of[home].append(Relation(
            source=row.source, target=row.target, type=row.type, confidence=row.confidence, weight=row.weight,
            first=row.first, evidence=[Evidence(document=e.document, line=e.line, section=e.section or "",
                                                text=e.text, rule=e.rule) for e in row.evidence]))
        needs[home].update(dict.fromkeys((row.source, row.target)))
    home_of: dict[str, str] = {}
    for document_id in order:
        for concept_id in needs[document_id]:
            home_of.setdefault(concept_id, document_id)
    concepts = {c.id: c for c in parsed.concepts}
    for concept_id in concepts:
        if home_of.setdefault(concept_id, order[0]) == order[0]:
            needs[order[0]].setdefault(concept_id)
    graphs = []
    for document_id in order:
        row = titles[document_id]
        members = list(needs[document_id])
        graphs.append(DocumentGraph(
            document=Document(id=document_id, path=document_id, title=row.title or document_id, sha256=row.sha256,
                              encoding=IMPORTED_ENCODING, chars=0, lines=0),
            concepts=[_concept(concepts[cid], home_of[cid] == document_id) for cid in members],
            relations=relations_of[document_id]))
    return graphs


def _concept(row: _ConceptRow, home: bool) -> Concept:
    """The concept as the export has it; a copy outside its home document carries no mentions."""
    fields: dict[str, Any] = {"id": row.id, "name": row.name, "aliases": list(row.aliases), "kind": row.kind,
                              "definition": row.definition if home else None, "mentions": row.mentions if home else 0,
                              "signals": ["imported"]}
    return Concept(**fields)
