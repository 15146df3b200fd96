"""Issue 27: another site's page can neither write to the server (CSRF) nor reach it under its own host name (DNS
rebinding); imports take JSON only. Through the app in process; tests/e2e/test_browser_cross_site.py does the
same from a real browser page on another origin."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.store.embedded import EmbeddedStore
from settings import Settings

NOTE = ("notes/attention.md", "# 注意力\n\nGQA 是 MHA 的变体。\n".encode(), "text/markdown")
OWN = "http://127.0.0.1:8000"


def app_client(tmp_path: Path, **overrides: object) -> TestClient:
    settings = Settings(data_dir=tmp_path / "s", **{"allowed_hosts": [], **overrides})  # type: ignore[arg-type]
    return TestClient(create_app(settings, store_factory=lambda: EmbeddedStore(tmp_path / "s")), base_url=OWN,
                      raise_server_exceptions=False)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with app_client(tmp_path) as client:
        yield client


def refused(response: object, status: int, code: str) -> None:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    assert response.json()["error"]["code"] == code  # type: ignore[attr-defined]


@pytest.mark.parametrize("headers", [
    {"Origin": "http://evil.example"},
    {"Origin": "http://127.0.0.1:9999"},  # another local server is another origin
    {"Origin": "null"},  # a sandboxed frame or a file:// page
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},
    {"Referer": "http://evil.example/attack.html"},
])
def test_a_write_from_another_origin_is_refused_before_anything_is_read(client: TestClient, headers: dict) -> None:  # type: ignore[type-arg]
    refused(client.post("/documents", files={"files": NOTE}, headers=headers), 403, "cross_origin_write")
    refused(client.post("/import?replace=true", content=b"{}", headers={**headers, "Content-Type": "text/plain"}),
            403, "cross_origin_write")
    refused(client.post("/profiles/me/known", json={"concepts": ["GQA"]}, headers=headers), 403, "cross_origin_write")
    refused(client.delete("/documents/notes/attention.md", headers=headers), 403, "cross_origin_write")
    assert client.get("/documents").json() == []


def test_the_pages_own_writes_and_clients_that_send_no_origin_are_allowed(client: TestClient) -> None:
    own = {"Origin": OWN, "Sec-Fetch-Site": "same-origin", "Referer": f"{OWN}/"}
    assert client.post("/documents", files={"files": NOTE}, headers=own).status_code == 201
    assert client.post("/profiles/me/known", json={"concepts": ["GQA"]}, headers={"Sec-Fetch-Site": "same-origin"}
                       ).status_code == 200
    assert client.delete("/documents/notes/attention.md", headers={"Referer": f"{OWN}/?q=gqa"}).status_code == 200
    assert client.post("/documents", files={"files": NOTE}).status_code == 201  # curl, scripts, the CLI


def test_a_token_does_not_let_another_origin_write(tmp_path: Path) -> None:
    with app_client(tmp_path, api_token="s3cret") as client:
        auth = {"Authorization": "Bearer s3cret"}
        refused(client.post("/documents", files={"files": NOTE}, headers={**auth, "Origin": "http://evil.example"}),
                403, "cross_origin_write")
        refused(client.post("/documents", files={"files": NOTE}, headers={"Origin": "http://evil.example"}),
                403, "cross_origin_write")
        assert client.post("/documents", files={"files": NOTE}, headers={**auth, "Origin": OWN}).status_code == 201


def test_a_listed_origin_may_write(tmp_path: Path) -> None:
    with app_client(tmp_path, cors_origins=["https://notes.example"]) as client:
        listed = {"Origin": "https://notes.example"}
        assert client.post("/documents", files={"files": NOTE}, headers=listed).status_code == 201
        refused(client.post("/documents", files={"files": NOTE}, headers={"Origin": "http://notes.example"}),
                403, "cross_origin_write")  # the scheme is part of the origin


@pytest.mark.parametrize("host", ["evil.example:8000", "evil.example", "127.0.0.1.evil.example", "192.168.1.5:8000",
                                  ""])
def test_a_foreign_host_is_refused_on_reads_and_writes(client: TestClient, host: str) -> None:
    refused(client.get("/profiles/me", headers={"Host": host}), 421, "host_not_allowed")
    refused(client.get("/", headers={"Host": host}), 421, "host_not_allowed")
    refused(client.post("/documents", files={"files": NOTE}, headers={"Host": host}), 421, "host_not_allowed")


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "LOCALHOST", "127.8.9.10", "[::1]:8000",
                                  "app.localhost:8000"])
def test_loopback_hosts_are_answered(client: TestClient, host: str) -> None:
    assert client.get("/profiles/me", headers={"Host": host}).status_code == 200


def test_hosts_listed_in_the_settings_are_answered(tmp_path: Path) -> None:
    with app_client(tmp_path, allowed_hosts=["notes.lan", "192.168.1.5"]) as client:
        assert client.get("/health", headers={"Host": "notes.lan:8000"}).status_code == 200
        assert client.get("/health", headers={"Host": "192.168.1.5"}).status_code == 200
        refused(client.get("/health", headers={"Host": "other.lan"}), 421, "host_not_allowed")
