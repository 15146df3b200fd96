"""The study page and its maps in a real headless Chromium (Debian's), against the real server on a free port.

Screenshots of the three views are saved under tests/artifacts/browser/ for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from graph.store.embedded import EmbeddedStore
from tests.integration.test_store_contract import extract
from tests.support.browser import CHROMIUM, chromium
from tests.support.hostile import XSS_NAME, xss_document
from tests.support.server import ROOT, running_server

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not CHROMIUM.exists(), reason=(
    "needs Debian's chromium at /usr/bin/chromium (.ci/run installs it: apt-get install chromium)"))]

ARTIFACTS = ROOT / "tests" / "artifacts" / "browser"
LOCAL_SCHEMES = {"data", "blob", "about"}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("browser") / "store"
    EmbeddedStore(data_dir).replace_documents([*extract(ROOT / "examples" / "notes"), xss_document()])
    with running_server(data_dir) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


class Watched:
    """A page with everything the tests check on the side: console errors, page errors, dialogs, requests."""

    def __init__(self, browser: Any) -> None:
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def leaving(self) -> list[str]:
        """Requests to anywhere but this machine's loopback."""
        return [url for url in self.requests
                if urlsplit(url).scheme not in LOCAL_SCHEMES and urlsplit(url).hostname != "127.0.0.1"]


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    page = Watched(browser)
    yield page
    page.page.close()


def map_frame(watched: Watched, path_start: str) -> Any:
    """The map iframe once it shows `path_start` and its layout is done (physics off)."""
    page = watched.page
    page.locator(f'#map[src*="{path_start}"]').wait_for(state="attached")
    frame = page.frame_locator("#map")
    frame.locator("body[data-state=stable]").wait_for(state="attached", timeout=30_000)
    return next(f for f in page.frames if path_start in f.url)


def test_page_loads_without_errors_or_outside_requests(base: str, watched: Watched) -> None:
    watched.page.goto(f"{base}/")
    frame = map_frame(watched, "/map")
    assert frame.evaluate("window.studygraphMap.nodes.length") > 20
    assert watched.errors == []
    assert watched.leaving() == []
    assert any(url.endswith("/static/page.js") for url in watched.requests)


def test_typing_rope_suggests_rope_and_its_chinese_name(base: str, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{base}/")
    page.fill("#search", "rope")
    first = page.locator("#suggestions li[data-concept]").first
    first.wait_for()
    assert first.get_attribute("data-concept") == "rope"
    assert "RoPE" in first.inner_text() and "旋转位置编码" in first.inner_text()
    first.dispatch_event("mousedown")
    page.locator("#concept h3").wait_for()
    assert page.locator("#concept h3").inner_text() == "RoPE"
    frame = map_frame(watched, "/map?concept=rope")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "concept-map-rope.png"))
    assert "rope" in frame.evaluate("window.studygraphMap.nodes.getIds()")
    assert watched.errors == [] and watched.leaving() == []


def test_study_path_for_dpo_orders_ppo_first_and_draws_every_step(base: str, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{base}/")
    page.fill("#path-target", "DPO")
    page.click("#path-form button")
    page.locator("#path-steps li").first.wait_for()
    order = page.eval_on_selector_all("#path-steps li", "items => items.map(i => i.dataset.concept)")
    plan = httpx.get(f"{base}/paths/study", params={"target": "DPO"}).json()
    assert order == [step["concept"] for step in plan["steps"]]
    assert "ppo" in order and order.index("ppo") < order.index("dpo") == len(order) - 1
    # Each core step says why (the chain as the notes state it), where to read and what tests it, as the CLI does.
    first = plan["steps"][0]
    shown = page.locator("#path-steps li").first.inner_text()
    assert first["because"] in shown and "read:" in shown
    assert (not first["questions"]) or first["questions"][0]["text"][:10] in shown
    background = page.locator("#path-background")
    assert background.is_hidden() == (not plan["background"])
    if plan["background"]:
        assert background.get_attribute("open") is None  # collapsed until asked for
        assert page.locator("#path-background-steps li").count() == len(plan["background"])
    frame = map_frame(watched, "/map/path")
    assert frame.evaluate("window.studygraphMap.nodes.length") == len(plan["steps"])
    assert frame.locator("#map canvas").count() == 1
    labels = frame.evaluate("window.studygraphMap.nodes.get().map(n => n.label)")
    assert f"{len(order)}. DPO" in labels
    page.screenshot(path=str(ARTIFACTS / "study-path-dpo.png"))
    assert watched.errors == [] and watched.leaving() == []


def test_hovering_an_edge_shows_its_evidence(base: str, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{base}/map/path?target=DPO")
    page.locator("body[data-state=stable]").wait_for(state="attached")
    edge_id = "dpo|REPLACES|ppo"
    # The middle of the edge as drawn (straight or curved), checked to hit that edge and no node.
    point = page.evaluate("""id => {
        const net = window.studygraphMap.network;
        const at = net.canvasToDOM(net.body.edges[id].edgeType.getPoint(0.5));
        return net.getEdgeAt(at) === id && net.getNodeAt(at) === undefined ? at : null;
    }""", edge_id)
    assert point, "the middle of the DPO → PPO edge does not hit that edge alone"
    box = page.locator("#map").bounding_box()
    page.mouse.move(box["x"] + point["x"] - 3, box["y"] + point["y"] - 3)
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible")
    text = tooltip.inner_text()
    assert "DPO" in text and "replaces" in text and "PPO" in text
    assert "取代了 PPO 的强化学习步骤" in text and "notes/对齐与微调.md:" in text
    assert watched.errors == []


def test_gaps_view_marks_missing_links(base: str, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{base}/")
    page.fill("#gaps-a", "LoRA")
    page.fill("#gaps-b", "QLoRA")
    page.click("#gaps-form button")
    page.locator("#gaps-items li").first.wait_for()
    report = httpx.get(f"{base}/gaps", params={"a": "LoRA", "b": "QLoRA"}).json()
    assert page.locator("#gaps-items li").count() == len(report["items"])
    frame = map_frame(watched, "/map/gaps")
    dashed = frame.evaluate("window.studygraphMap.edges.get().filter(e => e.id.startsWith('gap-')).length")
    assert dashed == sum(1 for item in report["items"] if item["kind"] == "missing_link")
    page.screenshot(path=str(ARTIFACTS / "gaps-lora-qlora.png"))
    assert watched.errors == [] and watched.leaving() == []


def test_xss_concept_renders_as_text(base: str, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{base}/")
    page.fill("#search", "onerror")
    hit = page.locator("#suggestions li[data-concept=xss-img]")
    hit.wait_for()
    assert XSS_NAME in hit.inner_text()
    hit.dispatch_event("mousedown")
    page.locator("#concept h3").wait_for()
    assert page.locator("#concept h3").inner_text() == XSS_NAME
    frame = map_frame(watched, "/map?concept=xss-img")
    assert XSS_NAME in frame.evaluate("window.studygraphMap.nodes.get().map(n => n.label)")
    # Hover the node: its tooltip shows the name as characters and holds no element made from it.
    point = frame.evaluate("""() => {
        const net = window.studygraphMap.network;
        return net.canvasToDOM(net.getPositions(['xss-img'])['xss-img']);
    }""")
    box = frame.locator("#map").bounding_box()  # in the page's coordinates, iframe offset included
    page.mouse.move(box["x"] + point["x"] + 2, box["y"] + point["y"] + 2)
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    tooltip = frame.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible")
    assert XSS_NAME in tooltip.inner_text()
    assert tooltip.locator("img, script").count() == 0
    assert page.locator("#side img, #side script").count() == 0
    assert frame.locator("body img").count() == 0
    page.wait_for_timeout(300)
    assert watched.dialogs == []
    assert watched.errors == []


def test_map_pages_carry_no_external_url(base: str) -> None:
    """Self-contained: vis-network inlined, pyvis's Bootstrap CDN links gone, nothing fetched from outside."""
    for path in ("/map", "/map/path?target=DPO", "/map/gaps?a=LoRA&b=QLoRA"):
        page = httpx.get(f"{base}{path}").text
        assert "bootstrap" not in page.lower() and "cdn.jsdelivr" not in page and "cdnjs" not in page
        assert not any(marker in page for marker in ('src="http', "src='http", 'href="http', "url(http"))


def test_artifacts_directory_is_ignored_by_git() -> None:
    assert "tests/artifacts/" in (ROOT / ".gitignore").read_text().splitlines()
