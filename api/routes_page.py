"""The study page at `/`: server-rendered HTML with a small plain script (no build step) that calls the JSON API."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.deps import SettingsDep, SnapshotDep

router = APIRouter(tags=["page"], include_in_schema=False)
STATIC_DIR = Path(__file__).parent / "static"
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")

# Scripts, styles and data only from this server; maps only in frames from it. The page never uses innerHTML
# for note text (see static/page.js), and this policy would stop an injected inline script anyway.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "frame-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                               "form-action 'self'; frame-ancestors 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
TOP_CONCEPTS = 24
# The whole graph opens on this many of the most connected concepts, few enough for readable labels; the page
# offers to widen it from there.
WHOLE_MAP_START = 50


@router.get("/", response_class=HTMLResponse)
def study_page(request: Request, snapshot: SnapshotDep, settings: SettingsDep) -> HTMLResponse:
    """Search, study path, gaps and adding notes, their answers in tabs beside the matching map."""
    graph = snapshot.graph
    top = sorted(graph.concepts, key=lambda c: (-c.mentions, c.id))[:TOP_CONCEPTS]
    return templates.TemplateResponse(request, "index.html", {
        "documents": len(graph.documents), "concepts": len(graph.concepts), "relations": snapshot.typed_count,
        "top": top, "map_start": WHOLE_MAP_START,
        # Only whether a token is needed, so the upload form can ask for it; never the token itself.
        "token_required": settings.api_token is not None}, headers=PAGE_HEADERS)
