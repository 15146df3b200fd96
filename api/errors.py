"""The one place that turns errors into responses: `{"error": {"code", "message", "details"}}`, no stack traces."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import Route

from api.schemas import ErrorBody, ErrorInfo
from graph.errors import (
    ConceptNotFound,
    DocumentNotFound,
    InputError,
    InputLimit,
    StoreCorrupt,
    StoreError,
    StoreLocked,
    StoreUnavailable,
    StudygraphError,
)

log = logging.getLogger("studygraph.api")

# Most specific first: the first entry the error is an instance of decides status and code.
DOMAIN_ERRORS: list[tuple[type[StudygraphError], int, str]] = [
    (ConceptNotFound, 404, "concept_not_found"),
    (DocumentNotFound, 404, "document_not_found"),
    (InputLimit, 400, "input_limit"),
    (InputError, 422, "input_refused"),
    (StoreLocked, 503, "store_locked"),
    (StoreUnavailable, 503, "store_unavailable"),
    (StoreCorrupt, 500, "store_corrupt"),
    (StoreError, 503, "store_error"),
    (StudygraphError, 400, "bad_request"),
]

_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 413: "payload_too_large", 415: "unsupported_media_type",
               422: "invalid_request", 503: "unavailable"}


def error_responses(*described: tuple[int, str]) -> dict[int | str, dict[str, Any]]:
    """What the OpenAPI schema says an endpoint may answer besides its success body, and when."""
    return {status: {"model": ErrorBody, "description": text} for status, text in described}


UNAUTHORIZED = (401, "missing or wrong bearer token (when STUDYGRAPH_API_TOKEN is set)")
UNAVAILABLE = (503, "store unavailable or locked")
ERROR_RESPONSES = error_responses((404, "unknown concept or document (concepts: with suggestions)"),
                                  (422, "invalid parameters"), UNAVAILABLE)
WRITE_ERROR_RESPONSES = {**ERROR_RESPONSES, **error_responses(
    UNAUTHORIZED, (413, "request body over the upload limit (payload_too_large)"))}


class ApiError(Exception):
    """An error the API raises itself (auth, upload limits), already carrying its status and code."""

    def __init__(self, status: int, code: str, message: str, details: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.details = details or {}
        self.headers = headers


def error_response(status: int, code: str, message: str, details: dict[str, Any] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(error=ErrorInfo(code=code, message=message, details=details or {}))
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


def domain_error_info(exc: StudygraphError) -> tuple[int, ErrorInfo]:
    """Status and body for a domain error (also used for failed background jobs)."""
    status, code = next((s, c) for kind, s, c in DOMAIN_ERRORS if isinstance(exc, kind))
    details: dict[str, Any] = {}
    if isinstance(exc, ConceptNotFound):
        details = {"name": exc.name, "suggestions": exc.suggestions}
    elif isinstance(exc, DocumentNotFound):
        details = {"document": exc.document_id}
    elif isinstance(exc, InputError):
        details = {"file": exc.path, "reason": exc.reason}
    return status, ErrorInfo(code=code, message=str(exc), details=details)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StudygraphError)
    async def on_domain_error(request: Request, exc: StudygraphError) -> JSONResponse:
        status, info = domain_error_info(exc)
        headers = {"Retry-After": "5"} if status == 503 else None
        return error_response(status, info.code, info.message, info.details, headers)

    @app.exception_handler(ApiError)
    async def on_api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.details, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def on_invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [{"where": ".".join(str(part) for part in error.get("loc", ())), "problem": error.get("msg", "")}
                    for error in exc.errors()]
        message = "; ".join(f"{p['where']}: {p['problem']}" for p in problems) or "invalid request"
        return error_response(422, "invalid_request", message, {"problems": problems})

    @app.exception_handler(HTTPException)
    async def on_http_error(request: Request, exc: HTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}")
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(_allowed_methods(request))
        return error_response(exc.status_code, code, str(exc.detail), headers=headers or None)

    @app.exception_handler(Exception)
    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(500, "internal_error", "internal error; the server log has the details")


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path: Starlette names only the first route's in `Allow`."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        if isinstance(route, Route) and route.methods and route.path_regex.match(request.url.path):
            methods |= route.methods
    return sorted(methods)
