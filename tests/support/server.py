"""Start `studygraph serve` as a real process on a free loopback port, and stop it."""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "from cli.app import app; app()"]  # the installed `studygraph` entry point


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_server(data_dir: Path, env: dict[str, str] | None = None, timeout: float = 60.0,
                   open_files: int | None = None) -> Iterator[str]:
    """The base URL of a live server on `data_dir`, ready (`/health` answered) before the caller runs;
    `open_files` caps the server's file descriptors (soft and hard limit)."""
    port = free_port()
    full_env = {**os.environ, "STUDYGRAPH_DATA_DIR": str(data_dir), **(env or {})}
    log_path = data_dir.parent / f"server-{port}.log"  # a file, not a pipe: access logs would fill a pipe and block
    log = log_path.open("w")
    def limit() -> None:
        if open_files is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, open_files))

    process = subprocess.Popen([*CLI, "serve", "--port", str(port)], cwd=ROOT, env=full_env, stdout=log,
                               stderr=subprocess.STDOUT, text=True, preexec_fn=limit if open_files else None)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited with {process.returncode}: {log_path.read_text()}")
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code in (200, 503):
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server on {base} not ready after {timeout:.0f} s")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
