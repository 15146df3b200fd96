"""Refuse requests over a limit before they are read into memory or spooled to disk: heads and bodies."""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_HEADER_FIELDS = 100  # as gunicorn's default; a browser sends about 20
_MULTIPART_OVERHEAD = 64 * 1024  # per file: its part's headers and boundary


def max_upload_body(max_files: int, max_file_bytes: int) -> int:
    """The largest upload body read: every file at the size limit, with room for its multipart framing."""
    return max_files * (max_file_bytes + _MULTIPART_OVERHEAD)


class HeaderSizeLimit:
    """ASGI middleware: 431 for a request head over the byte cap or with more than MAX_HEADER_FIELDS fields.

    What bounds memory is the server's parser (`serve` runs uvicorn's h11 with the same cap), which gives up on
    a head that is still incomplete past the cap; a head that arrived whole in one read gets here, and is
    held to the same cap exactly, whichever server runs the app.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        problem = self._problem(scope) if scope["type"] == "http" else None
        if problem is None:
            await self.app(scope, receive, send)
            return
        await send_error(send, 431, "headers_too_large", f"{problem}; send fewer or shorter headers",
                         {"limit": self.max_bytes, "field_limit": MAX_HEADER_FIELDS},
                         headers=((b"connection", b"close"),))

    def _problem(self, scope: Scope) -> str | None:
        size, fields = head_size(scope), len(scope.get("headers", []))
        if size > self.max_bytes:
            return f"request head of {size:,} bytes, over the {self.max_bytes:,} limit (STUDYGRAPH_MAX_HEADER_BYTES)"
        if fields > MAX_HEADER_FIELDS:
            return f"{fields} header fields, over the {MAX_HEADER_FIELDS} limit"
        return None


def head_size(scope: Scope) -> int:
    """The request target and header fields in bytes, as they were on the wire give or take the separators."""
    target = len(scope.get("raw_path") or scope["path"].encode()) + len(scope.get("query_string", b""))
    return target + sum(len(name) + len(value) + 4 for name, value in scope.get("headers", []))  # ": " and CRLF


class BodySizeLimit:
    """ASGI middleware: 413 for a declared Content-Length over the limit, and for a body that grows past it."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # An HTTPException passes FastAPI's body parsing unchanged and gets the usual error body.
                    raise HTTPException(413, self._message())
            return message

        await self.app(scope, limited_receive, send)

    def _message(self) -> str:
        return f"request body over {self.max_bytes:,} bytes (STUDYGRAPH_MAX_FILE_BYTES × STUDYGRAPH_MAX_UPLOAD_FILES)"

    async def _refuse(self, send: Send) -> None:
        await send_error(send, 413, "payload_too_large", self._message(), {"limit": self.max_bytes})


async def send_error(send: Send, status: int, code: str, message: str, details: dict[str, object] | None = None,
                     headers: tuple[tuple[bytes, bytes], ...] = ()) -> None:
    """An error in the API's one shape, sent by a middleware before any route (or body) is reached."""
    body = json.dumps({"error": {"code": code, "message": message, "details": details or {}}}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *headers]})
    await send({"type": "http.response.body", "body": body})
