"""Map pages: the concept map, a study path and the gaps of a topic, as self-contained HTML (see `viz`)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import KnownDep, SnapshotDep
from api.errors import ERROR_RESPONSES
from graph.study.gaps import gaps
from graph.study.plans import study_path
from viz.views import concept_map, gaps_map, study_path_map

# Errors stay JSON (the API's one error body) while the pages are HTML: say so per media type, or FastAPI would
# document the error bodies as text/html after the route's response class.
MAP_ERRORS: dict[int | str, dict[str, object]] = {
    code: {"description": spec["description"],
           "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}}
    for code, spec in ERROR_RESPONSES.items()
}
router = APIRouter(tags=["maps"], responses=MAP_ERRORS, default_response_class=HTMLResponse)

Name = Annotated[str, Query(min_length=1, max_length=200, description="concept id, name or alias")]
MAP_HEADERS = {
    # The page carries its own policy (no network, scripts by nonce); this adds what only a header can say.
    "Content-Security-Policy": "frame-ancestors 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
HTML_ONLY = {200: {"content": {"text/html": {}}, "description": "a self-contained map page"}}


def map_page(html: str) -> HTMLResponse:
    return HTMLResponse(html, headers=MAP_HEADERS)


@router.get("/map", responses=HTML_ONLY)
def get_concept_map(request: Request, snapshot: SnapshotDep,
                    concept: Annotated[str | None, Query(min_length=1, max_length=200,
                                                         description="focus concept (default: the whole graph)")]
                    = None,
                    radius: Annotated[int, Query(ge=1, le=4, description="relations out from the focus")] = 1,
                    colour: Annotated[Literal["community", "kind"], Query(description="what node colour means")]
                    = "community",
                    cap: Annotated[int | None, Query(ge=1, le=20_000, description="most concepts drawn")] = None,
                    ) -> HTMLResponse:
    """The concept map: nodes sized by mentions and coloured by community or kind, edges by relation type."""
    focus = snapshot.index.resolve(concept) if concept else None
    node_cap = cap or request.app.state.settings.map_node_cap
    return map_page(concept_map(snapshot.network, focus, radius, node_cap=node_cap, colour_by=colour))


@router.get("/map/path", responses=HTML_ONLY)
def get_path_map(snapshot: SnapshotDep, target: Name, known: KnownDep,
                 limit: Annotated[int | None, Query(ge=0, le=1000, description="at most this many prerequisites")]
                 = None) -> HTMLResponse:
    """The study path to `target` drawn in order: numbered steps, known prerequisites dimmed, target emphasised."""
    plan = study_path(snapshot.index, target, known, limit=limit)
    return map_page(study_path_map(snapshot.network, plan, snapshot.index.resolve_all(plan.skipped_known)))


@router.get("/map/gaps", responses=HTML_ONLY)
def get_gaps_map(snapshot: SnapshotDep, a: Name, known: KnownDep,
                 b: Annotated[str | None, Query(min_length=1, max_length=200, description="second topic")] = None,
                 ) -> HTMLResponse:
    """The area of `a` (and `b`) with its gaps marked and missing links drawn dashed."""
    return map_page(gaps_map(snapshot.network, gaps(snapshot.index, a, b, known)))
