"""Issue 19's reliability suite: hostile input and auth edges, bounded and on loopback only. Each test names the
defect it holds."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.store.embedded import EmbeddedStore
from settings import Settings
from tests.conftest import ROOT
from tests.support.server import CLI


def cli(data_dir: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "STUDYGRAPH_DATA_DIR": str(data_dir), "COLUMNS": "200", **(env or {})}
    return subprocess.run([*CLI, *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)


# ---- 2. an empty token is no token ----
@pytest.mark.parametrize("blank", ["", "   "])
def test_a_blank_token_sets_no_token(blank: str) -> None:
    assert Settings(api_token=blank).api_token is None


def test_a_blank_token_does_not_open_a_public_bind(tmp_path: Path) -> None:
    done = cli(tmp_path / "s", "serve", "--host", "0.0.0.0", "--port", "8799", env={"STUDYGRAPH_API_TOKEN": ""})
    assert done.returncode == 2 and "without a write token" in done.stderr


def test_a_bare_bearer_is_refused_when_a_token_is_set(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "s", api_token="s3cret")
    with TestClient(create_app(settings, store_factory=lambda: EmbeddedStore(tmp_path / "s")),
                    raise_server_exceptions=False) as client:
        for header in ("Bearer", "Bearer ", "Bearer  "):
            response = client.delete("/documents/x.md", headers={"Authorization": header})
            assert response.status_code == 401, header


# ---- 4. deep nesting is refused per file, the other files go in ----
def test_ten_thousand_levels_of_nesting_are_refused_and_the_good_file_goes_in(tmp_path: Path) -> None:
    deep = tmp_path / "deep.md"
    deep.write_text("> " * 10_000 + "deep\n", encoding="utf-8")
    listed = tmp_path / "listed.md"
    listed.write_text("".join(" " * (2 * level) + "- item\n" for level in range(500)), encoding="utf-8")
    good = tmp_path / "good.md"
    good.write_text("# 笔记\n\nLLaMA 采用 RoPE。\n", encoding="utf-8")
    done = cli(tmp_path / "s", "ingest", str(deep), str(listed), str(good))
    assert done.returncode == 0, done.stderr  # partial success: the summary names what was refused
    assert "deep.md: Markdown nested 10000 levels deep" in " ".join(done.stderr.split())
    assert "listed.md: Markdown nested 500 levels deep" in " ".join(done.stderr.split())
    assert "Traceback" not in done.stderr and "documents ingested  │ 1" in done.stdout


# ---- 1. one long line: linear, and no evidence record copies the line ----
def test_a_single_long_line_keeps_evidence_short(tmp_path: Path) -> None:
    line = "LoRA 采用低秩分解，QLoRA 采用 NF4 量化，" * 4000  # ~100 KB, one line
    notes = tmp_path / "long.md"
    notes.write_text(line + "\n", encoding="utf-8")
    assert cli(tmp_path / "s", "ingest", str(notes)).returncode == 0
    exported = cli(tmp_path / "s", "export").stdout
    import json
    graph = json.loads(exported)
    longest = max(len(e["text"]) for r in graph["relations"] for e in r["evidence"])
    assert longest <= 310 and len(exported) < 20 * len(line.encode())


# ---- 6. no error names the data directory; the last good graph is served when the file turns unreadable ----
def test_a_truncated_store_keeps_the_last_good_graph_and_names_no_path(tmp_path: Path) -> None:
    from ingest.pipeline import ingest_paths
    from tests.conftest import EXAMPLES

    data_dir = tmp_path / "hidden-data-dir"
    store = EmbeddedStore(data_dir)
    store.replace_documents(ingest_paths([str(EXAMPLES)], 5_000_000, {}, [], extraction="rules").graphs)
    settings = Settings(data_dir=data_dir)
    with TestClient(create_app(settings, store_factory=lambda: EmbeddedStore(data_dir)),
                    raise_server_exceptions=False) as client:
        before = client.get("/health").json()
        assert before["status"] == "ok"
        graph_file = data_dir / "graph.json"
        graph_file.write_bytes(graph_file.read_bytes()[:100])  # torn from outside: not one of our writes
        after = client.get("/health")
        body = after.json()
        assert after.status_code == 200 and body["status"] == "degraded" and body["concepts"] == before["concepts"]
        assert str(data_dir) not in after.text and "hidden-data-dir" not in after.text
        assert client.get("/concepts/RoPE").status_code == 200  # reads go on from the last good graph
    done = cli(data_dir, "concepts")
    assert done.returncode == 5 and str(data_dir) not in done.stderr and "graph.json" in done.stderr


def test_a_held_lock_names_the_setting_not_the_path(tmp_path: Path) -> None:
    import filelock

    data_dir = tmp_path / "hidden-data-dir"
    EmbeddedStore(data_dir)
    note = tmp_path / "n.md"
    note.write_text("# n\n\nLLaMA 采用 RoPE。\n", encoding="utf-8")
    with filelock.FileLock(str(data_dir / "graph.lock")):
        done = cli(data_dir, "ingest", str(note), env={"STUDYGRAPH_LOCK_TIMEOUT_SECONDS": "0.5"})
    assert done.returncode == 5 and "STUDYGRAPH_LOCK_TIMEOUT_SECONDS" in done.stderr
    assert str(data_dir) not in done.stderr.replace("\n", "")


# ---- 5. a restarted server with the same pid (1 in a container) sees the old job as interrupted ----
def test_a_job_left_by_an_earlier_process_with_our_pid_reads_as_interrupted(tmp_path: Path) -> None:
    from api.jobs import JobRecord, JobRegistry
    from api.schemas import Job

    registry = JobRegistry(tmp_path / "jobs")
    (tmp_path / "jobs").mkdir()
    job = Job(id="abc123", state="running", files=["x.md"], stage="extract")
    stale = JobRecord(pid=os.getpid(), token="an-earlier-process", job=job)  # same pid, another process
    (tmp_path / "jobs" / "abc123.json").write_bytes(stale.model_dump_json().encode())
    found = registry.get("abc123")
    assert found is not None and found.state == "failed" and found.error and found.error.code == "job_interrupted"
    registry.close()


# ---- 10. the smaller ones: UTF-16, a late NUL, entities and escapes, invisible characters, torn temp files ----
def test_utf16_late_nul_entities_and_invisible_characters(tmp_path: Path) -> None:
    import json

    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "utf16.md").write_bytes("# 笔记\n\nLLaMA 采用 RoPE。\n".encode("utf-16"))
    (folder / "late-nul.md").write_bytes(("# x\n\n" + "文字。" * 4000).encode() + b"\x00tail")
    (folder / "marks.md").write_text("# 公司\n\nAT&amp;T 与 Q\\&A 笔记：QLoRA 采用 **Lo\u200bRA\u202e**。\n", encoding="utf-8")
    (folder / "na\u200bme.md").write_text("# y\n\nDPO 取代 PPO。\n", encoding="utf-8")
    done = cli(tmp_path / "s", "ingest", str(folder))
    assert "late-nul.md: holds NUL bytes" in " ".join(done.stderr.split())
    graph = json.loads(cli(tmp_path / "s", "export").stdout)
    ids = {d["id"] for d in graph["documents"]}
    assert {"notes/utf16.md", "notes/name.md"} <= ids  # UTF-16 read; the zero-width character left the id
    names = {c["name"] for c in graph["concepts"]}
    assert "LoRA" in names and not any("\u200b" in n or "\u202e" in n for n in names)
    texts = " ".join(e["text"] for r in graph["relations"] for e in r["evidence"])
    assert "AT&T 与 Q&A" in texts


def test_the_next_write_removes_temp_files_a_killed_write_left(tmp_path: Path) -> None:
    data_dir = tmp_path / "s"
    EmbeddedStore(data_dir).replace_documents([])
    torn = [data_dir / ".graph.json-abc.tmp", data_dir / ".documents-123.json-def.tmp"]
    for path in torn:
        path.write_bytes(b"x" * 1024)
    note = tmp_path / "n.md"
    note.write_text("# n\n\nLLaMA 采用 RoPE。\n", encoding="utf-8")
    assert cli(data_dir, "ingest", str(note)).returncode == 0
    assert not any(path.exists() for path in torn)


# ---- header-size cap: the app holds a head that arrived whole to the same cap the server's parser keeps ----
def test_a_request_head_over_the_cap_is_431_naming_the_setting(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "s", max_header_bytes=2048)
    with TestClient(create_app(settings, store_factory=lambda: EmbeddedStore(tmp_path / "s"))) as client:
        assert client.get("/health", headers={"X-Fits": "a" * 1_000}).status_code == 200
        refused = client.post("/documents", headers={"X-Big": "a" * 3_000}, files=[("files", ("n.md", b"# n\n"))])
        assert refused.status_code == 431 and refused.headers["connection"] == "close"
        error = refused.json()["error"]
        assert error["code"] == "headers_too_large" and "STUDYGRAPH_MAX_HEADER_BYTES" in error["message"]
        assert client.get("/health?" + "q=1&" * 600).status_code == 431  # the request target counts too
