"""Graph models -> the API's response bodies (names resolved, evidence kept)."""

from __future__ import annotations

from pathlib import PurePath, PureWindowsPath

from fastapi import Response
from pydantic import BaseModel

from api.schemas import ConceptDetail, ConceptRef, DocumentDetail, DocumentSummary, RelationView
from api.service import Snapshot
from graph.models import Document, Relation


class ModelJSON(Response):
    """A model already validated where it was built, serialised once: the route's `response_model` documents it,
    and FastAPI passes a Response through instead of validating and serialising the model a second time."""

    media_type = "application/json"

    def __init__(self, model: BaseModel) -> None:
        super().__init__(model.model_dump_json().encode())


def relation_view(snapshot: Snapshot, relation: Relation) -> RelationView:
    return RelationView(
        source=relation.source, source_name=snapshot.index.name(relation.source), target=relation.target,
        target_name=snapshot.index.name(relation.target), type=relation.type, confidence=relation.confidence,
        weight=relation.weight, first=relation.first, evidence=relation.evidence)


def concept_detail(snapshot: Snapshot, concept_id: str, related_limit: int = 20) -> ConceptDetail:
    concept = snapshot.concepts[concept_id]
    touching = snapshot.relations_by_concept.get(concept_id, [])
    return ConceptDetail(
        id=concept.id, name=concept.name, aliases=concept.aliases, kind=concept.kind, mentions=concept.mentions,
        definition=concept.definition, definition_source=concept.definition_source,
        relations=[relation_view(snapshot, r) for r in touching if r.type.typed],
        related=[relation_view(snapshot, r) for r in touching if not r.type.typed][:related_limit],
        questions=snapshot.index.questions_about(concept_id),
        documents=list(dict.fromkeys(location.document for location in concept.locations)),
    )


def shown_path(document: Document) -> str:
    """Where the notes came from, as the API may show it: a path relative to what was ingested, never one that
    tells a client how the server's disk is laid out (an absolute path becomes the document's id)."""
    return document.id if PurePath(document.path).is_absolute() or PureWindowsPath(document.path).is_absolute() \
        else document.path


def document_summary(document: Document) -> DocumentSummary:
    return DocumentSummary(id=document.id, title=document.title, path=shown_path(document), encoding=document.encoding,
                           chars=document.chars, lines=document.lines, sections=len(document.sections),
                           questions=len(document.questions))


def document_detail(snapshot: Snapshot, document: Document) -> DocumentDetail:
    concept_ids = snapshot.concepts_by_document.get(document.id, [])
    return DocumentDetail(
        id=document.id, title=document.title, path=shown_path(document), sha256=document.sha256,
        encoding=document.encoding, chars=document.chars, lines=document.lines, sections=document.sections,
        questions=document.questions,
        concepts=[ConceptRef(id=cid, name=snapshot.index.name(cid)) for cid in concept_ids],
    )
