"""Health and export."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import ServiceDep, SnapshotDep
from api.errors import ERROR_RESPONSES
from api.schemas import Health
from graph.errors import StoreError
from graph.export import export_graph

router = APIRouter(tags=["service"])


@router.get("/health", response_model=Health, responses={503: {"model": Health, "description": "store unreachable"}})
def health(service: ServiceDep) -> Any:
    """Store kind, counts and readiness; 503 while the store cannot be read."""
    try:
        snapshot = service.snapshot()
    except StoreError as exc:
        body = Health(status="unavailable", store=service.kind, ready=False, message=str(exc))
        return JSONResponse(body.model_dump(mode="json"), status_code=503, headers={"Retry-After": "5"})
    graph = snapshot.graph
    if service.problem:  # the last good graph, while the store's newer state cannot be read
        return Health(status="degraded", store=service.kind, ready=True, revision=snapshot.revision,
                      message=service.problem, documents=len(graph.documents), concepts=len(graph.concepts),
                      relations=len(graph.relations), typed_relations=snapshot.typed_count)
    return Health(status="ok", store=service.kind, ready=True, revision=snapshot.revision,
                  documents=len(graph.documents), concepts=len(graph.concepts), relations=len(graph.relations),
                  typed_relations=snapshot.typed_count)


@router.get("/export", responses=ERROR_RESPONSES)
def export(snapshot: SnapshotDep) -> dict[str, Any]:
    """The whole graph in the `studygraph export` contract: concepts, relations with evidence, documents."""
    return export_graph(snapshot.graph)
