"""/docs (Swagger UI) and /redoc (ReDoc) draw every operation in a real headless Chromium with nothing fetched
from outside this machine: their bundles come from an installed package, not a CDN (issue 20).

Screenshots of both pages are saved under tests/artifacts/browser/ for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.support.browser import CHROMIUM, chromium
from tests.support.server import ROOT, running_server

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not CHROMIUM.exists(), reason=(
    "needs Debian's chromium at /usr/bin/chromium (.ci/run installs it: apt-get install chromium)"))]

ARTIFACTS = ROOT / "tests" / "artifacts" / "browser"
LOCAL_SCHEMES = {"data", "blob", "about"}
RENDER_TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # The docs need only the schema, which an empty store serves as well as a full one.
    with running_server(tmp_path_factory.mktemp("docs") / "store") as url:
        yield url


@pytest.fixture(scope="module")
def operations(base: str) -> list[tuple[str, str, str]]:
    """(tag, operationId, path) of every operation the schema states."""
    schema = httpx.get(f"{base}/openapi.json").json()
    return [(op["tags"][0], op["operationId"], path)
            for path, item in schema["paths"].items() for op in item.values()]


@pytest.fixture
def page(base: str) -> Iterator[Any]:
    """A page that records every request it makes and every error it logs (as `page.seen`)."""
    with chromium() as browser:
        page: Any = browser.new_page(viewport={"width": 1400, "height": 900})
        page.seen = {"requests": [], "errors": []}
        page.on("request", lambda r: page.seen["requests"].append(r.url))
        page.on("console", lambda m: page.seen["errors"].append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: page.seen["errors"].append(str(e)))
        yield page


def leaving(urls: list[str]) -> list[str]:
    """Requests to anywhere but this machine's loopback."""
    return [url for url in urls if urlsplit(url).scheme not in LOCAL_SCHEMES and urlsplit(url).hostname != "127.0.0.1"]


def test_swagger_ui_draws_every_operation_offline(base: str, operations: list[tuple[str, str, str]], page: Any) -> None:
    page.goto(f"{base}/docs")
    concept = next(opid for _, opid, path in operations if path == "/concepts/{concept}")
    page.locator(f"#operations-concepts-{concept}").wait_for(timeout=RENDER_TIMEOUT_MS)
    assert page.locator(".opblock").count() == len(operations)
    # "Try it out" sends the request from the page: the page's policy lets it reach this server.
    health = page.locator("#operations-service-health_health_get")
    health.locator(".opblock-summary").click()
    health.locator("button.try-out__btn").click()
    health.locator("button.execute").click()
    status = health.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for(timeout=RENDER_TIMEOUT_MS)
    assert status.inner_text().strip() in ("200", "503")  # 503: an empty store may still be loading
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "docs-swagger-ui.png"))
    assert leaving(page.seen["requests"]) == []
    assert page.seen["errors"] == []
    assert any(url.endswith("/swagger-ui-bundle.js") for url in page.seen["requests"])


def test_redoc_draws_every_operation_offline(base: str, operations: list[tuple[str, str, str]], page: Any) -> None:
    page.goto(f"{base}/redoc")
    for tag, opid, _ in operations:  # .first: an operation listed twice under one tag is drawn twice
        section = page.locator(f'[id="tag/{tag}/operation/{opid}"]').first
        section.wait_for(state="attached", timeout=RENDER_TIMEOUT_MS)
    concept = next(opid for _, opid, path in operations if path == "/concepts/{concept}")
    assert page.locator(f'[data-item-id="tag/concepts/operation/{concept}"]').count() == 1  # in the side menu
    assert "/concepts/{concept}" in page.locator(f'[id="tag/concepts/operation/{concept}"]').inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "docs-redoc.png"))
    assert leaving(page.seen["requests"]) == []
    assert page.seen["errors"] == []
    assert any(url.endswith("/redoc.standalone.js") for url in page.seen["requests"])
