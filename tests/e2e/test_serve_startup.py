"""`studygraph serve` as a real process: what stops it at start-up is said in one line naming the setting to
change, with an exit code of its own; once the port is bound it says where it serves."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import httpx

from tests.support.server import CLI, ROOT, free_port


def serve(data_dir: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "STUDYGRAPH_DATA_DIR": str(data_dir), **(env or {})}
    return subprocess.run([*CLI, "serve", *args], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=60)


def error_lines(done: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in done.stderr.splitlines() if line.strip()]


def test_a_busy_port_is_one_line_naming_the_port_setting_and_exit_6(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = serve(tmp_path / "s", "--port", str(port))
    assert done.returncode == 6, done.stderr
    assert error_lines(done) == [f"error: 127.0.0.1:{port} is already in use (another server?): stop it, or pick a "
                                 "free port with --port (STUDYGRAPH_PORT for scripts/demo.sh)"]
    assert "serving" not in done.stdout and "Application startup" not in done.stderr


def test_an_unreadable_data_dir_is_one_line_naming_it_and_exit_5(tmp_path: Path) -> None:
    not_a_directory = tmp_path / "file"
    not_a_directory.write_text("not a store", encoding="utf-8")
    done = serve(not_a_directory, "--port", "0")
    assert done.returncode == 5, done.stderr
    [line] = error_lines(done)
    assert "STUDYGRAPH_DATA_DIR" in line and str(not_a_directory) in line and "serving" not in done.stdout


def test_an_unreachable_neo4j_is_one_line_naming_its_uri_and_exit_5(tmp_path: Path) -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"
    done = serve(tmp_path, "--port", "0", env={"STUDYGRAPH_STORE": "neo4j", "STUDYGRAPH_NEO4J_URI": uri})
    assert done.returncode == 5, done.stderr
    [line] = error_lines(done)
    assert f"cannot reach Neo4j at {uri}" in line and "STUDYGRAPH_NEO4J_URI" in line


def test_port_0_serves_on_the_port_it_prints(tmp_path: Path) -> None:
    env = {**os.environ, "STUDYGRAPH_DATA_DIR": str(tmp_path / "s")}
    with subprocess.Popen([*CLI, "serve", "--port", "0"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True) as process:
        try:
            assert process.stdout is not None
            lines = [process.stdout.readline(), process.stdout.readline()]
            assert lines[0].startswith("note: the store (STUDYGRAPH_DATA_DIR=") and "holds no notes yet" in lines[0]
            assert lines[1].startswith("serving http://127.0.0.1:") and lines[1].endswith("; Ctrl-C stops\n")
            base = lines[1].split()[1]
            # Listening before the graph loads: the first request waits for the app instead of being refused.
            assert httpx.get(f"{base}/health", timeout=30).json()["documents"] == 0
        finally:
            process.terminate()
            process.wait(timeout=15)
