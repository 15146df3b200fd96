"""Swagger UI at /docs and ReDoc at /redoc from files installed with the server, so both work with no network.

FastAPI's own pages load their scripts from a public CDN and stay blank offline. fastapi-standalone-docs ships
the same bundles with their licences; only its files are used here (its `StandaloneDocs` patches functions that
every FastAPI app in the process shares), through FastAPI's documented `get_swagger_ui_html` / `get_redoc_html`.
"""

from __future__ import annotations

from pathlib import Path

import fastapi_standalone_docs
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

BUNDLES = Path(fastapi_standalone_docs.__file__).parent / "static"  # swagger/, redoc/, fastapi/ (the favicon)
ASSETS_URL = "/docs-assets"
DOCS_URL = "/docs"
REDOC_URL = "/redoc"

# Both pages start their bundle with an inline script and style themselves inline (ReDoc through styled-components,
# in a blob worker for search); everything they load must still come from this server.
DOCS_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'; "
                               "style-src 'self' 'unsafe-inline'; img-src 'self' data:; worker-src 'self' blob:; "
                               "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _root(request: Request) -> str:
    """The prefix a proxy serves the app under (`--root-path`), as FastAPI's own docs pages honour it."""
    return str(request.scope.get("root_path", "")).rstrip("/")


def install_docs(app: FastAPI) -> None:
    """Serve the docs pages and their bundles; `app` must be built with `docs_url=None, redoc_url=None`."""
    app.mount(ASSETS_URL, StaticFiles(directory=BUNDLES), name="docs-assets")
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get(DOCS_URL, include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = _root(request)
        page = get_swagger_ui_html(
            openapi_url=root + openapi_url, title=f"{app.title} - Swagger UI",
            swagger_js_url=f"{root}{ASSETS_URL}/swagger/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS_URL}/swagger/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS_URL}/fastapi/favicon.png",
            swagger_ui_parameters=app.swagger_ui_parameters)
        page.headers.update(DOCS_HEADERS)
        return page

    @app.get(REDOC_URL, include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        root = _root(request)
        page = get_redoc_html(
            openapi_url=root + openapi_url, title=f"{app.title} - ReDoc",
            redoc_js_url=f"{root}{ASSETS_URL}/redoc/redoc.standalone.js",
            redoc_favicon_url=f"{root}{ASSETS_URL}/fastapi/favicon.png", with_google_fonts=False)
        page.headers.update(DOCS_HEADERS)
        return page

    # The packaged ReDoc asks for its sidebar logo at the page's own path + "/logo-mini.svg" (not its CDN's).
    @app.get(f"{REDOC_URL}/logo-mini.svg", include_in_schema=False)
    async def redoc_logo() -> FileResponse:
        return FileResponse(BUNDLES / "redoc" / "logo-mini.svg", media_type="image/svg+xml")
