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
