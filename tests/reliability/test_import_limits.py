"""Issue 27's smaller defects: a graph file past the JSON parser's limits is refused (400, CLI exit 3), not a
500 and a traceback; an import body that stops arriving gets 400 like the other endpoints; integer-valued
floats are integers; GET /documents shows no server paths; a note in an encoding that only seems to decode as
GB18030 is refused."""

from __future__ import annotations

import json
import os
import socket
import subprocess
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from api.app import create_app
from graph.store.embedded import EmbeddedStore
from settings import Settings
from tests.conftest import ROOT
from tests.support.server import CLI, running_server

JSON = {"Content-Type": "application/json"}
DEEP = b'{"concepts": ' + b"[" * 5000 + b"]" * 5000 + b"}"
LONG_NUMBER = b'{"concepts": [{"id": "a", "name": "A", "mentions": ' + b"9" * 5000 + b"}]}"
SMALL = {"concepts": [{"id": "dpo", "name": "DPO", "mentions": 2.0}, {"id": "ppo", "name": "PPO"}],
         "relations": [{"source": "dpo", "target": "ppo", "type": "REPLACES", "confidence": 0.8, "weight": 1.0,
                        "evidence": [{"document": "mine.md", "line": 3.0, "text": "DPO 取代 PPO"}]}]}


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STUDYGRAPH_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    return subprocess.run([*CLI, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def client_for(tmp_path: Path) -> TestClient:
    store = EmbeddedStore(tmp_path / "s")
    return TestClient(create_app(Settings(data_dir=tmp_path / "s"), store_factory=lambda: store),
                      raise_server_exceptions=False)


def test_json_past_the_parsers_limits_is_refused_over_http_and_by_the_cli(tmp_path: Path) -> None:
    with client_for(tmp_path) as client:
        for body in (DEEP, LONG_NUMBER):
            response = client.post("/import", content=body, headers=JSON)
            assert response.status_code == 400 and response.json()["error"]["code"] == "input_limit", response.text
        assert client.get("/health").status_code == 200
    for name, body in (("deep.json", DEEP), ("long.json", LONG_NUMBER)):
        (tmp_path / name).write_bytes(body)
        done = cli(tmp_path / "c", "import", str(tmp_path / name))
        assert done.returncode == 3 and "Traceback" not in done.stderr, done.stderr


def test_integer_valued_floats_are_integers_and_other_floats_are_not(tmp_path: Path) -> None:
    with client_for(tmp_path) as client:
        response = client.post("/import", content=json.dumps(SMALL), headers=JSON)
        assert response.status_code == 200, response.text
        concepts = {c["id"]: c for c in client.get("/export").json()["concepts"]}
        assert concepts["dpo"]["mentions"] == 2
        fractional = json.dumps({"concepts": [{"id": "a", "name": "A", "mentions": 1.5}]})
        assert client.post("/import", content=fractional, headers=JSON).status_code == 422
        as_text = json.dumps({"concepts": [{"id": "a", "name": "A", "mentions": "3"}]})
        assert client.post("/import", content=as_text, headers=JSON).status_code == 422


def test_an_import_body_that_stops_arriving_gets_400(tmp_path: Path) -> None:
    with running_server(tmp_path / "s", env={"STUDYGRAPH_BODY_READ_TIMEOUT_SECONDS": "1"}) as base:
        host, port = base.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as connection:
            connection.sendall(b"POST /import HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                               b"Content-Length: 1000\r\n\r\n{\"concepts\": [")
            answer = b""
            while chunk := connection.recv(4096):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 400 "), answer[:200]
        assert b"body_incomplete" in answer
        assert httpx.get(f"{base}/health", timeout=5).status_code == 200
        assert "Traceback" not in (tmp_path / f"server-{port}.log").read_text()


def test_documents_never_show_the_servers_paths(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "rope.md").write_text("# RoPE\n\nRoPE 是一种位置编码。\n", encoding="utf-8")
    assert cli(tmp_path / "s", "ingest", str(notes.resolve())).returncode == 0
    with running_server(tmp_path / "s") as base:
        listed = httpx.get(f"{base}/documents", timeout=10).json()
        detail = httpx.get(f"{base}/documents/{listed[0]['id']}", timeout=10).json()
    for shown in (listed[0]["path"], detail["path"]):
        assert not Path(shown).is_absolute() and str(tmp_path) not in shown


def test_a_shift_jis_note_is_refused_not_read_as_mojibake(tmp_path: Path) -> None:
    japanese = tmp_path / "ノート.md"
    japanese.write_bytes("# 機械学習\n\nトランスフォーマーは注意機構を使います。深層学習の基礎です。\n".encode("shift_jis"))
    chinese = tmp_path / "笔记.md"
    chinese.write_bytes("# 注意力\n\n旋转位置编码把位置信息写进注意力的查询和键里。\n".encode("gbk"))
    done = cli(tmp_path / "s", "ingest", str(japanese), str(chinese))
    assert done.returncode == 0, done.stderr  # the Chinese note still goes in
    assert "ノート.md" in done.stderr and "re-save the file as UTF-8" in " ".join(done.stderr.split())
    assert "documents ingested  │ 1" in done.stdout
