"""The CLI on the Neo4j store: `ingest --store neo4j`, `sync` both ways, and a clear error when the server is down."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.conftest import EXAMPLES, ROOT, wipe
from tests.integration.test_cli_store import CLI
from tests.support.arcadedb import BoltServer, free_port


def run_cli(env: dict[str, str], *args: str, expect: int = 0) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([*CLI, *args], cwd=ROOT, env={**os.environ, "COLUMNS": "200", **env},
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == expect, done.stderr
    return done


def neo4j_env(server: BoltServer, data_dir: Path) -> dict[str, str]:
    return {"STUDYGRAPH_NEO4J_URI": server.uri, "STUDYGRAPH_NEO4J_USER": server.user,
            "STUDYGRAPH_NEO4J_PASSWORD": server.password, "STUDYGRAPH_NEO4J_DATABASE": server.database,
            "STUDYGRAPH_DATA_DIR": str(data_dir)}


def exported(env: dict[str, str], store: str) -> dict:  # type: ignore[type-arg]
    return json.loads(run_cli({**env, "STUDYGRAPH_STORE": store}, "export", "--format", "json").stdout)


def test_ingest_into_neo4j_and_sync_both_ways(bolt_server: BoltServer, tmp_path: Path) -> None:
    wipe(bolt_server)
    env = neo4j_env(bolt_server, tmp_path / "embedded")
    summary = run_cli(env, "ingest", "-q", "--store", "neo4j", str(EXAMPLES)).stdout
    assert "concepts" in summary
    in_neo4j = exported(env, "neo4j")
    assert len(in_neo4j["relations"]) > 20
    assert "documents unchanged" in run_cli(env, "ingest", "-q", "--store", "neo4j", str(EXAMPLES)).stdout
    assert exported(env, "neo4j") == in_neo4j

    assert "copied" in run_cli(env, "sync", "--from", "neo4j", "--to", "embedded").stdout
    assert exported(env, "embedded") == in_neo4j

    wipe(bolt_server)
    run_cli({**env, "STUDYGRAPH_STORE": "embedded"}, "know", "RoPE")  # a learner's progress moves with the notes
    run_cli({**env, "STUDYGRAPH_STORE": "embedded"}, "goal", "DPO", "--by", "2027-01-15")
    assert "1 profile" in run_cli(env, "sync", "--from", "embedded", "--to", "neo4j").stdout
    assert exported(env, "neo4j") == in_neo4j
    moved = json.loads(run_cli({**env, "STUDYGRAPH_STORE": "neo4j"}, "profile", "--json").stdout)
    assert moved["known"] == ["rope"] and moved["goals"] == [{"concept": "dpo", "by": "2027-01-15"}]
    shown = run_cli({**env, "STUDYGRAPH_STORE": "neo4j"}, "show", "旋转位置编码").stdout
    assert "RoPE" in shown


def test_a_down_server_gives_a_clear_error_naming_the_uri(tmp_path: Path) -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"
    env = {"STUDYGRAPH_STORE": "neo4j", "STUDYGRAPH_NEO4J_URI": uri, "STUDYGRAPH_DATA_DIR": str(tmp_path)}
    done = run_cli(env, "ingest", "-q", str(EXAMPLES), expect=5)
    assert f"cannot reach Neo4j at {uri}" in done.stderr
    assert "Traceback" not in done.stderr
    done = run_cli(env, "concepts", expect=5)
    assert uri in done.stderr
