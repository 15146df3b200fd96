"""End to end: the CLI ingests, `studygraph serve` runs as a real process on a free port, httpx drives it."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import httpx

from tests.conftest import EXAMPLES
from tests.integration.test_cli_store import export, run_cli
from tests.support.server import CLI, ROOT, running_server


def test_cli_ingest_then_serve_answers_over_http(tmp_path: Path) -> None:
    store = tmp_path / "store"
    run_cli(store, "ingest", str(EXAMPLES))
    with running_server(store, {"STUDYGRAPH_API_TOKEN": "t0ken"}) as base, httpx.Client(base_url=base) as http:
        health = http.get("/health").json()
        assert health["ready"] and health["documents"] == 3 and health["store"] == "embedded"
        assert http.get("/concepts", params={"q": "rope"}).json()["items"][0]["name"] == "RoPE"
        steps = [s["name"] for s in http.get("/paths/study", params={"target": "DPO"}).json()["steps"]]
        assert steps.index("PPO") < steps.index("DPO")
        assert http.get("/openapi.json").json()["info"]["title"] == "studygraph"
        note = ("notes.md", "# 量化\n\n**AWQ** 是一种量化方法,基于 GPTQ 改进。\n".encode(), "text/markdown")
        assert http.post("/documents", files=[("files", note)]).status_code == 401
        created = http.post("/documents", files=[("files", note)], headers={"Authorization": "Bearer t0ken"})
        assert created.status_code == 201 and created.json()["ingested"] == ["notes.md"]
        assert http.get("/export").json() == export(store)  # the server wrote the same store the CLI reads
        unknown = http.get("/concepts/GPTQQ")
        assert unknown.status_code == 404 and "GPTQ" in unknown.json()["error"]["details"]["suggestions"]


def test_serve_refuses_a_public_bind_without_a_token(tmp_path: Path) -> None:
    done = subprocess.run([*CLI, "serve", "--host", "0.0.0.0", "--port", "1"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env={"STUDYGRAPH_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 2 and "STUDYGRAPH_API_TOKEN" in done.stderr and "--insecure" in done.stderr


def test_two_worker_processes_share_jobs_and_writes(tmp_path: Path) -> None:
    """`--workers 2` (here STUDYGRAPH_WORKERS): each poll and read is a new connection, which either process may
    accept; every one finds the job, and after it every process answers from the new graph."""
    store = tmp_path / "store"
    run_cli(store, "ingest", str(EXAMPLES / "attention.md"))
    env = {"STUDYGRAPH_WORKERS": "2", "STUDYGRAPH_SYNC_INGEST_BYTES": "10"}
    with running_server(store, env) as base:
        notes = [("files", (p.name, p.read_bytes(), "text/markdown")) for p in sorted(EXAMPLES.glob("*.md"))]
        started = httpx.post(f"{base}/documents", files=notes, timeout=60)
        assert started.status_code == 202, started.text
        job = started.json()
        for _ in range(2400):
            polled = httpx.get(f"{base}/jobs/{job['id']}", timeout=10)
            assert polled.status_code == 200, polled.text
            job = polled.json()
            if job["state"] in ("done", "failed"):
                break
            time.sleep(0.05)
        assert job["state"] == "done", job
        assert {httpx.get(f"{base}/health", timeout=10).json()["documents"] for _ in range(20)} == {3}
    log = next(tmp_path.glob("server-*.log")).read_text()
    assert log.count("Started server process") == 2, log  # two worker processes served
