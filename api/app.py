"""The FastAPI application: one store opened for the server's lifetime, routers, errors, limits, CORS, schema."""

from __future__ import annotations

import logging
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from api import (
    routes_concepts,
    routes_documents,
    routes_maps,
    routes_meta,
    routes_page,
    routes_profiles,
    routes_study,
)
from api.docs import install_docs
from api.errors import install_error_handlers
from api.guards import WriterFirst
from api.jobs import JobRegistry
from api.limits import BodySizeLimit, HeaderSizeLimit, max_upload_body
from api.openapi import state_limits
from api.origins import KnownHostsOnly, SameOriginWrites
from api.service import StudyService
from graph.errors import StoreError
from graph.store import GraphStore, open_store
from settings import Settings, get_settings

log = logging.getLogger("studygraph.api")
JOBS_DIR = "jobs"
READER_SWITCH_INTERVAL = 0.0005  # seconds; see lifespan


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
        # A write merges and indexes in a worker thread for seconds; with the interpreter's 5 ms switch interval
        # every reader waits up to 5 ms at each hand-over of the interpreter lock, a dozen times per request.
        sys.setswitchinterval(READER_SWITCH_INTERVAL)
        app.state.service = StudyService(factory, settings.store, settings.lexicon, settings.extraction)
        app.state.jobs = JobRegistry(settings.data_dir / JOBS_DIR)
        await _load_before_serving(app.state.service)
        try:
            yield
        finally:
            app.state.jobs.close()
            app.state.service.close()

    # docs_url and redoc_url off: FastAPI's pages load from a CDN; api/docs.py serves them from installed files.
    app = FastAPI(title="studygraph", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Concepts and evidence-backed relations from ML/LLM study notes: search, study paths, "
                              "next topics, related topics, gaps, documents. Every error body is "
                              '`{"error": {"code", "message", "details"}}`.')
    install_error_handlers(app)
    state_limits(app, settings)
    for module in (routes_meta, routes_concepts, routes_study, routes_profiles, routes_documents, routes_maps,
                   routes_page):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=routes_page.STATIC_DIR), name="static")
    install_docs(app)
    app.add_middleware(BodySizeLimit, max_bytes=max_upload_body(settings.max_upload_files, settings.max_file_bytes))
    # Added after the body limit, so it runs before it: the token is checked before any body is read or counted.
    app.add_middleware(WriterFirst, token=settings.api_token.get_secret_value() if settings.api_token else None,
                       read_timeout=settings.body_read_timeout_seconds)
    # Before the token: a write from another site's page is refused (403) whether or not a token is configured.
    app.add_middleware(SameOriginWrites, trusted_origins=settings.cors_origins)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST", "DELETE"],
                           allow_headers=["Authorization", "Content-Type"])
    app.add_middleware(KnownHostsOnly, allowed_hosts=settings.allowed_hosts)  # no DNS rebinding: before any route
    app.add_middleware(HeaderSizeLimit, max_bytes=settings.max_header_bytes)  # outermost: the head comes first
    return app
