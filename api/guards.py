"""Checks made before a request's body is read: a write without the token is answered 401 at once, and a body
that trickles in slower than the read timeout is cut off (slowloris).

FastAPI reads a form or JSON body before it runs a route's dependencies, so the token check in `api.deps`
alone let an anonymous client make the server read (and spool) a large upload before refusing it.
"""

from __future__ import annotations

import asyncio
import secrets

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.limits import send_error

WRITE_METHODS = frozenset({"POST", "DELETE"})  # every write route; other methods meet the router's 405
BODY_READ_TIMEOUT = 30.0  # seconds a request may take between two pieces of its body


class WriterFirst:
    """ASGI middleware: with a token configured, a write request without it gets 401 before its body is read."""

    def __init__(self, app: ASGIApp, token: str | None, read_timeout: float = BODY_READ_TIMEOUT) -> None:
        self.app = app
        self.token = token
        self.read_timeout = read_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.token is not None and scope["method"] in WRITE_METHODS and not self._authorized(scope):
            await _refuse(send)
            return

        async def timed_receive() -> Message:
            try:
                return await asyncio.wait_for(receive(), timeout=self.read_timeout)
            except TimeoutError:
                # Nothing came for too long: the server drops the request instead of holding a worker for it.
                return {"type": "http.disconnect"}

        await self.app(scope, timed_receive, send)

    def _authorized(self, scope: Scope) -> bool:
        header = dict(scope.get("headers", [])).get(b"authorization", b"").decode("latin-1")
        scheme, _, given = header.partition(" ")
        return scheme.lower() == "bearer" and bool(given.strip()) and secrets.compare_digest(
            given.strip().encode(), self.token.encode())  # type: ignore[union-attr]


async def _refuse(send: Send) -> None:
    await send_error(send, 401, "unauthorized", "this endpoint needs 'Authorization: Bearer <token>' (the server's "
                     "STUDYGRAPH_API_TOKEN)", headers=((b"www-authenticate", b"Bearer"), (b"connection", b"close")))
