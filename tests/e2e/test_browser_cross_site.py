"""Issue 27 in a real headless Chromium: a page of another origin, opened while `studygraph serve` runs, sends a
multipart upload, a text/plain import and a form post to the server (requests a browser sends without asking
anyone) and changes nothing, with or without a write token; a host name that resolves to 127.0.0.1 (DNS
rebinding) gets no answer; the server's own page still writes."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.browser import CHROMIUM, chromium
from tests.support.server import running_server

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not CHROMIUM.exists(), reason=(
    "needs Debian's chromium at /usr/bin/chromium (.ci/run installs it: apt-get install chromium)"))]

TOKEN = "cross-site-token"
NOTES = {"notes/attention.md": "# 注意力\n\nGQA 是 MHA 的变体。MQA 与 MHA 相比更省显存。\n",
         "notes/norm.md": "# 归一化\n\nRMSNorm 是 LayerNorm 的简化版本。\n"}
# The attacker's page: three requests that need no preflight, each aimed at wiping or overwriting the store.
ATTACK = """<!doctype html><html><body>
<form id="f" method="post" enctype="text/plain" target="sink" action="{base}/import?replace=true">
<input name='{{"concepts": [], "x": "' value='"}}'></form><iframe name="sink"></iframe>
<script>
const upload = new FormData();
upload.append("files", new Blob(["# 覆盖\\n\\n被改写的笔记。\\n"], {{type: "text/markdown"}}), "notes/attention.md");
Promise.allSettled([
  fetch("{base}/documents", {{method: "POST", mode: "no-cors", body: upload}}),
  fetch("{base}/import?replace=true", {{method: "POST", mode: "no-cors", body: '{{"concepts": []}}'}}),
  fetch("{base}/profiles/me/known", {{method: "POST", mode: "no-cors", body: '{{"concepts": ["GQA"]}}'}}),
]).then(() => {{ document.getElementById("f").submit(); document.title = "sent"; }});
</script></body></html>"""


class _Attacker(BaseHTTPRequestHandler):
    page = b""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(self.page)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def attacker_site() -> Iterator[tuple[str, type[_Attacker]]]:
    """Another origin on loopback, serving whatever page the test puts in its handler."""
    handler = type("Attacker", (_Attacker,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()


def _seeded(base: str, token: str | None) -> bytes:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    files = [("files", (name, text.encode(), "text/markdown")) for name, text in NOTES.items()]
    assert httpx.post(f"{base}/documents", files=files, headers=headers, timeout=60).status_code == 201
    return httpx.get(f"{base}/export", timeout=30).content


@pytest.mark.parametrize("token", [None, TOKEN])
def test_a_page_of_another_origin_changes_nothing(tmp_path: Path, attacker_site: Any, token: str | None) -> None:
    site, handler = attacker_site
    env = {"STUDYGRAPH_API_TOKEN": token} if token else {}
    with running_server(tmp_path / "store", env=env) as base, chromium() as browser:
        before = _seeded(base, token)
        handler.page = ATTACK.format(base=base).encode()
        page = browser.new_page()  # type: ignore[attr-defined]
        statuses: list[tuple[str, int]] = []
        page.on("response", lambda response: statuses.append((response.url, response.status))
                if response.url.startswith(base) else None)
        page.goto(f"{site}/attack.html")
        page.wait_for_function("document.title === 'sent'", timeout=15_000)
        page.wait_for_timeout(1500)  # the form's navigation inside its frame
        writes = [status for url, status in statuses]
        assert len(writes) == 4 and set(writes) == {403}, statuses
        assert httpx.get(f"{base}/export", timeout=30).content == before
        assert httpx.get(f"{base}/profiles/me", timeout=30).json()["known"] == []


def test_a_host_name_rebound_to_loopback_gets_no_answer(tmp_path: Path) -> None:
    with running_server(tmp_path / "store") as base:
        port = base.rsplit(":", 1)[1]
        with chromium("--host-resolver-rules=MAP evil.example 127.0.0.1") as browser:
            page = browser.new_page()  # type: ignore[attr-defined]
            for path in ("/profiles/me", "/", "/export"):
                response = page.goto(f"http://evil.example:{port}{path}")
                assert response.status == 421, path
                assert json.loads(page.inner_text("body"))["error"]["code"] == "host_not_allowed"
            assert page.goto(f"{base}/health").status == 200  # the same server, asked by its own name


def test_the_servers_own_page_still_imports_and_marks_known(tmp_path: Path) -> None:
    with running_server(tmp_path / "store") as base, chromium() as browser:
        exported = _seeded(base, None).decode()
        page = browser.new_page()  # type: ignore[attr-defined]
        page.goto(f"{base}/")
        status = page.evaluate("""async (body) => (await fetch('/import?replace=true', {method: 'POST',
            headers: {'Content-Type': 'application/json'}, body})).status""", exported)
        assert status == 200
        status = page.evaluate("""async () => (await fetch('/profiles/me/known', {method: 'POST',
            headers: {'Content-Type': 'application/json'}, body: JSON.stringify({concepts: ['GQA']})})).status""")
        assert status == 200
        assert httpx.get(f"{base}/profiles/me", timeout=30).json()["known"]
