"""The connections `studygraph serve` keeps: each request head must arrive whole within a deadline, and open
connections are capped, the one over the cap answered 503 and closed at once.

uvicorn's h11 protocol times out only an idle keep-alive connection, and any byte cancels that timer: a client
trickling a header line every few seconds held its socket for as long as it liked, and a few hundred such
clients used up the process's file descriptors so no one else got in. Its `limit_concurrency` answers 503 only
once a head has arrived, which a half-sent head never does. This protocol adds both checks to uvicorn's own.
"""

from __future__ import annotations

import asyncio
import json
import resource
from functools import cache
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from settings import get_settings

RESERVED_DESCRIPTORS = 64  # kept free of connections: the store's files, logs, the listening socket, threads


def _raw_response(status: int, reason: str, code: str, message: str, extra: str = "") -> bytes:
    """A complete HTTP response in the API's error shape, written straight to a socket no request was read from."""
    body = json.dumps({"error": {"code": code, "message": message, "details": {}}}).encode()
    head = (f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n"
            f"{extra}connection: close\r\n\r\n")
    return head.encode() + body


_TOO_SLOW = _raw_response(408, "Request Timeout", "request_head_timeout", "the request head did not arrive within "
                          "STUDYGRAPH_HEAD_TIMEOUT_SECONDS; send the whole request line and headers at once")
_TOO_MANY = _raw_response(503, "Service Unavailable", "too_many_connections", "the server holds as many "
                          "connections as STUDYGRAPH_MAX_CONNECTIONS allows; try again shortly",
                          "retry-after: 1\r\n")


def raise_descriptor_limit(wanted: int) -> int:
    """Raise this process's soft limit on open files towards `wanted` (at most the hard limit), as servers do at
    start; returns the soft limit now in force (inherited by worker processes)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    return soft


@cache
def connection_cap() -> int:
    """STUDYGRAPH_MAX_CONNECTIONS, lowered to what the open-file limit leaves room for: a cap above it would let
    half-sent heads take every descriptor, and then nobody's connection is accepted at all."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    room = soft - RESERVED_DESCRIPTORS if soft != resource.RLIM_INFINITY else get_settings().max_connections
    return max(1, min(get_settings().max_connections, room))


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline on each request head and a cap on open connections.

    A module-level class, configured from the settings, so `serve --workers N` can hand it to its processes.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.head_timeout = get_settings().head_timeout_seconds
        self.head_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > connection_cap():
            transport.write(_TOO_MANY)
            transport.close()
            return
        self._await_head()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # the whole head is in (h11 has parsed the request)
            self._head_arrived()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._await_head()  # a kept-alive connection has the same time for its next head

    def connection_lost(self, exc: Exception | None) -> None:
        self._head_arrived()
        super().connection_lost(exc)

    def _await_head(self) -> None:
        self._head_arrived()
        self.head_deadline = self.loop.call_later(self.head_timeout, self._head_too_slow)

    def _head_arrived(self) -> None:
        if self.head_deadline is not None:
            self.head_deadline.cancel()
            self.head_deadline = None

    def _head_too_slow(self) -> None:
        self.head_deadline = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.write(_TOO_SLOW)
            self.transport.close()
