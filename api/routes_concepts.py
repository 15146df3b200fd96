"""Concept search and detail, and relation listing."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import SnapshotDep
from api.errors import ERROR_RESPONSES
from api.schemas import ConceptDetail, ConceptHit, ConceptPage, RelationPage
from api.views import ModelJSON, concept_detail, relation_view
from graph.models import Relation, RelationType

router = APIRouter(tags=["concepts"], responses=ERROR_RESPONSES)

Limit = Annotated[int, Query(ge=1, le=500, description="page size")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="items to skip")]


@router.get("/concepts", response_model=ConceptPage)
def search_concepts(snapshot: SnapshotDep,
                    q: Annotated[str, Query(max_length=200, description="name or alias, any case, width or "
                                                                        "script; prefix and fuzzy matches too")] = "",
                    kind: Annotated[str | None, Query(max_length=50, description="only this kind (model, ...)")] = None,
                    limit: Limit = 20, offset: Offset = 0) -> ModelJSON:
    """Search concepts by name or alias: exact, then prefix, then substring, then close spellings."""
    hits = snapshot.search.search(q, kind)
    return ModelJSON(ConceptPage(total=len(hits), limit=limit, offset=offset, items=[
        ConceptHit(id=h.concept.id, name=h.concept.name, aliases=h.concept.aliases, kind=h.concept.kind,
                   mentions=h.concept.mentions, matched=h.matched, score=h.score)
        for h in hits[offset:offset + limit]]))


@router.get("/concepts/{concept}", response_model=ConceptDetail)
async def get_concept(concept: str, snapshot: SnapshotDep) -> ModelJSON:
    """A concept by id, name or alias: aliases, definition, relations with evidence, questions, documents.

    On the event loop: one concept's view is cheaper than a hop to the thread pool (see INLINE_PLAN_LIMIT)."""
    return ModelJSON(concept_detail(snapshot, snapshot.index.resolve(concept)))


@router.get("/relations", response_model=RelationPage)
def list_relations(snapshot: SnapshotDep,
                   type: Annotated[RelationType | None, Query(description="only this relation type")] = None,
                   source: Annotated[str | None, Query(max_length=200, description="source concept")] = None,
                   target: Annotated[str | None, Query(max_length=200, description="target concept")] = None,
                   limit: Limit = 100, offset: Offset = 0) -> RelationPage:
    """Relations filtered by type and either end (names resolved like /concepts/{concept}), strongest first."""
    source_id = snapshot.index.resolve(source) if source else None
    target_id = snapshot.index.resolve(target) if target else None
    anchor = source_id or target_id
    pool = snapshot.relations_by_concept.get(anchor, []) if anchor else snapshot.ranked_relations
    chosen = [r for r in pool if (type is None or r.type == type) and _ends_match(r, source_id, target_id)]
    return RelationPage(total=len(chosen), limit=limit, offset=offset,
                        items=[relation_view(snapshot, r) for r in chosen[offset:offset + limit]])


def _ends_match(relation: Relation, source: str | None, target: str | None) -> bool:
    """Symmetric relations (COMPARED_WITH, RELATED_TO) match with either end given as source or target."""
    if relation.type.symmetric:
        given = {end for end in (source, target) if end is not None}
        return given <= {relation.source, relation.target}
    return (source is None or relation.source == source) and (target is None or relation.target == target)
