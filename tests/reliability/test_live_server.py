"""Issue 19, point 7, against a live server on loopback: an anonymous write is refused before its body is read,
a body that stops arriving does not hold the server, and an oversized request head is refused before it is
buffered."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import httpx

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



def _address(base: str) -> tuple[str, int]:
    host, port = base.removeprefix("http://").split(":")
    return host, int(port)


def _answer_to(base: str, head: bytes) -> tuple[bytes, float]:
    """The server's first bytes in answer to a request head (b"" if it closed or reset the connection first),
    and how long that took."""
    started = time.monotonic()
    with socket.create_connection(_address(base), timeout=10) as connection:
        try:
            connection.sendall(head)
            return connection.recv(4096), time.monotonic() - started
        except (BrokenPipeError, ConnectionResetError):
            return b"", time.monotonic() - started


def _megabytes_taken_of_an_endless_header(base: str, limit: int = 100) -> int:
    """How many MB of a header line that never ends the server takes before it stops reading and closes."""
    with socket.create_connection(_address(base), timeout=10) as connection:
        connection.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Endless: ")
        for sent in range(limit):
            try:
                connection.sendall(b"a" * 1_048_576)
            except (BrokenPipeError, ConnectionResetError):
                return sent
    return limit


def test_an_oversized_request_head_is_refused_at_once_and_normal_requests_still_work(tmp_path: Path) -> None:
    with running_server(tmp_path / "s") as base:  # the default cap, 16 KB
        request_line = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        heads = {
            "one 1 MB header line": b"X-Big: " + b"a" * 1_048_576 + b"\r\n",
            "5,000 headers (about 100 KB)": b"".join(b"X-N%d: %d\r\n" % (i, i) for i in range(5_000)),
            "one 20 KB header line": b"X-Big: " + b"a" * 20_000 + b"\r\n",
        }
        for label, headers in heads.items():
            answer, took = _answer_to(base, request_line + headers + b"\r\n")
            # 431 from the app when the whole head came in one read; uvicorn's 400 and a close when its parser
            # gave up part way (it buffers no more than the cap and one read); or a reset while still sending.
            assert answer == b"" or answer.startswith((b"HTTP/1.1 431", b"HTTP/1.1 400")), (label, answer[:200])
            assert took < 3, (label, took)
        # The kernel's socket buffers take a few MB; the server itself stops reading at the cap.
        assert _megabytes_taken_of_an_endless_header(base) < 20
        many = httpx.get(f"{base}/health", headers={f"X-{i}": "1" for i in range(300)})  # 3 KB, under the byte cap
        assert many.status_code == 431 and "header fields, over the 100 limit" in many.json()["error"]["message"]
        normal = httpx.get(f"{base}/health", headers={"X-Trace": "t" * 4_000, "Cookie": "c=" + "v" * 4_000})
        assert normal.status_code == 200 and normal.json()["ready"]
