"""The FastAPI application: one store opened for the server's lifetime, routers, errors, limits, CORS."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from api import routes_concepts, routes_documents, routes_maps, routes_meta, routes_page, routes_study
from api.errors import install_error_handlers
from api.guards import WriterFirst
from api.jobs import JobRegistry
from api.limits import BodySizeLimit
from api.service import StudyService
from graph.errors import StoreError
from graph.store import GraphStore, open_store
from settings import Settings, get_settings

log = logging.getLogger("studygraph.api")
_MULTIPART_OVERHEAD = 64 * 1024
JOBS_DIR = "jobs"


async def _load_before_serving(service: StudyService) -> None:
    """Load the graph and its indexes before the first request: a worker process takes connections only once
    its startup is done, so with several workers the ready ones answer while the others load. A store that
    cannot be read now is retried by every request (and /health says 503) instead of stopping the server."""
    try:
        await run_in_threadpool(service.snapshot)
    except StoreError as exc:
        log.warning("store not readable at startup: %s", exc)
    except Exception:
        log.exception("loading the graph at startup failed; requests will try again")


def create_app(settings: Settings | None = None, store_factory: Callable[[], GraphStore] | None = None) -> FastAPI:
    """The app for these settings; `store_factory` lets a test hand in a store (default: the configured one)."""
    settings = settings or get_settings()
    factory = store_factory or (lambda: open_store(settings))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.service = StudyService(factory, settings.store, settings.lexicon)
        app.state.jobs = JobRegistry(settings.data_dir / JOBS_DIR)
        await _load_before_serving(app.state.service)
        try:
            yield
        finally:
            app.state.jobs.close()
            app.state.service.close()

    app = FastAPI(title="studygraph", version="0.1.0", lifespan=lifespan,
                  description="Concepts and evidence-backed relations from ML/LLM study notes: search, study paths, "
                              "next topics, related topics, gaps, documents. Every error body is "
                              '`{"error": {"code", "message", "details"}}`.')
    install_error_handlers(app)
    for module in (routes_meta, routes_concepts, routes_study, routes_documents, routes_maps, routes_page):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=routes_page.STATIC_DIR), name="static")
    max_body = settings.max_upload_files * (settings.max_file_bytes + _MULTIPART_OVERHEAD)
    app.add_middleware(BodySizeLimit, max_bytes=max_body)
    # Added last, so it runs first: the token is checked before any body is read or any limit counted.
    app.add_middleware(WriterFirst, token=settings.api_token.get_secret_value() if settings.api_token else None,
                       read_timeout=settings.body_read_timeout_seconds)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST", "DELETE"],
                           allow_headers=["Authorization", "Content-Type"])
    return app
