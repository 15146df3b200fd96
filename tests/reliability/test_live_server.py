"""Issue 19, point 7, against a live server on loopback: an anonymous write is refused before its body is read,
and a body that stops arriving does not hold the server."""

from __future__ import annotations

import socket
import time
from pathlib import Path

from tests.support.server import running_server


def _send_head(base: str, declared: int, path: str = "/documents", token: str | None = None) -> socket.socket:
    host, port = base.removeprefix("http://").split(":")
    connection = socket.create_connection((host, int(port)), timeout=10)
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    head = (f"POST {path} HTTP/1.1\r\nHost: {host}\r\n{auth}Content-Type: multipart/form-data; boundary=x\r\n"
            f"Content-Length: {declared}\r\n\r\n")
    connection.sendall(head.encode() + b"--x\r\n" + b"a" * 60)
    return connection


def test_an_anonymous_large_upload_gets_401_before_its_body_is_read(tmp_path: Path) -> None:
    with running_server(tmp_path / "s", env={"STUDYGRAPH_API_TOKEN": "s3cret"}) as base:
        connection = _send_head(base, declared=10 * 1024 * 1024)  # 10 MB declared, 60 bytes sent
        started = time.monotonic()
        answer = connection.recv(4096).decode("latin-1")
        connection.close()
        assert answer.startswith("HTTP/1.1 401") and time.monotonic() - started < 3, answer[:200]


def test_a_body_that_stops_arriving_is_dropped(tmp_path: Path) -> None:
    env = {"STUDYGRAPH_API_TOKEN": "s3cret", "STUDYGRAPH_BODY_READ_TIMEOUT_SECONDS": "1"}
    with running_server(tmp_path / "s", env=env) as base:
        connection = _send_head(base, declared=4096, token="s3cret")  # authorised, but the body never finishes
        connection.settimeout(10)
        started = time.monotonic()
        answer = connection.recv(4096)
        connection.close()
        assert time.monotonic() - started < 8  # answered or closed after the read timeout, not held open
        assert not answer or answer.startswith(b"HTTP/1.1 4"), answer[:200]
