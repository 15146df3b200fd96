"""Refuse request bodies over a limit before they are read into memory or spooled to disk."""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


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
