"""The study page and its maps in a real headless Chromium (Debian's), against the real server on a free port.

Screenshots of the three views are saved under tests/artifacts/browser/ for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from graph.store.embedded import EmbeddedStore
from tests.integration.test_store_contract import extract
from tests.support.browser import CHROMIUM
from tests.support.hostile import XSS_NAME, xss_document
from tests.support.server import ROOT, running_server
from tests.support.study_page import Watched, map_frame, overlap

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not CHROMIUM.exists(), reason=(
    "needs Debian's chromium at /usr/bin/chromium (.ci/run installs it: apt-get install chromium)"))]

MAP_FONT_SIZE = 14  # viz.render's node label size, in canvas pixels at scale 1
READABLE_PX = 10  # smallest label, in screen pixels, that a person reads without zooming


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("browser") / "store"
    EmbeddedStore(data_dir).replace_documents([*extract(ROOT / "examples" / "notes"), xss_document()])
    with running_server(data_dir) as url:
        yield url


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    page = Watched(browser)
    yield page
    page.page.close()


def test_page_loads_without_errors_or_outside_requests(base: str, watched: Watched) -> None:
    watched.page.goto(f"{base}/")
    frame = map_frame(watched, "/map?cap=")
    assert frame.evaluate("window.studygraphMap.nodes.length") > 20
    assert watched.page.locator("#upload-token").count() == 0  # this server takes writes without a token
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
    watched.screenshot("concept-map-rope.png")
    assert "rope" in frame.evaluate("window.studygraphMap.nodes.getIds()")
    assert watched.errors == [] and watched.leaving() == []


def test_study_path_for_dpo_orders_ppo_first_and_draws_every_step(base: str, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{base}/")
    page.fill("#path-target", "DPO")
    page.click("#path-form button")
    page.locator("#path-steps > li").first.wait_for()
    order = page.eval_on_selector_all("#path-steps > li", "items => items.map(i => i.dataset.concept)")
    plan = httpx.get(f"{base}/paths/study", params={"target": "DPO"}).json()
    assert order == [step["concept"] for step in plan["steps"]]
    assert "ppo" in order and order.index("ppo") < order.index("dpo") == len(order) - 1
    assert page.locator("#path-title").inner_text().startswith(f"Study path to DPO: {len(order)} core steps")
    # Each core step says why (the chain as the notes state it), where to read (document:line) and the
    # questions that test it, as the CLI does.
    assert any(step["questions"] for step in plan["steps"]) and all(step["read_at"] for step in plan["steps"])
    for number, step in enumerate(plan["steps"]):
        shown = page.locator("#path-steps > li").nth(number)
        assert shown.is_visible()
        text = shown.inner_text()
        assert (not step["because"]) or step["because"] in text
        reads = shown.locator(".reads code").all_inner_texts()
        assert reads == [f"{place['document']}:{place['line']}" for place in step["read_at"][:3]]
        questions = shown.locator(".questions li").all_inner_texts()
        for question, line in zip(step["questions"][:3], questions, strict=False):
            assert question["text"] in line and f"{question['document']}:{question['line']}" in line
            assert ("unanswered" if not question["answered"] else "answered") in line
        assert len(questions) == min(len(step["questions"]), 3) + (len(step["questions"]) > 3)
    background = page.locator("#path-background")
    assert background.is_hidden() == (not plan["background"])
    if plan["background"]:
        assert background.get_attribute("open") is None  # collapsed until asked for
        assert page.locator("#path-background-steps > li").count() == len(plan["background"])
    frame = map_frame(watched, "/map/path")
    assert frame.evaluate("window.studygraphMap.nodes.length") == len(plan["steps"])
    assert frame.locator("#map canvas").count() == 1
    labels = frame.evaluate("window.studygraphMap.nodes.get().map(n => n.label)")
    assert f"{len(order)}. DPO" in labels
    watched.screenshot("study-path-dpo.png")
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
    watched.screenshot("gaps-lora-qlora.png")
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


def test_errors_show_in_a_banner_at_the_top_until_the_next_success(base: str, browser: Any) -> None:
    watched = Watched(browser, 1400, 1000)
    page = watched.page
    try:
        page.goto(f"{base}/")
        page.fill("#path-target", "nosuchconceptzz")
        page.click("#path-form button")
        banner = page.locator("#banner")
        banner.wait_for(state="visible")
        assert "unknown concept 'nosuchconceptzz'" in banner.inner_text()
        box = banner.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 1000  # in view, not below the fold
        assert box["width"] >= 1000  # across the page, not tucked in a column
        watched.screenshot("error-banner.png")
        page.fill("#path-target", "DPO")
        page.click("#path-form button")
        banner.wait_for(state="hidden")
        assert page.locator("#path-steps > li").count() > 0
        # A failure in another pane shows again, and the dismiss button clears it too.
        page.fill("#gaps-a", "nosuchconceptzz")
        page.click("#gaps-form button")
        banner.wait_for(state="visible")
        page.click("#banner-close")
        banner.wait_for(state="hidden")
        assert watched.unexpected_errors() == [] and watched.leaving() == []
    finally:
        page.close()


def test_answers_go_to_their_own_tabs_and_each_tab_brings_back_its_map(base: str, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{base}/")
    assert page.locator("#tab-overview").get_attribute("aria-selected") == "true"
    page.locator(".concept-link[data-concept=rope]").click()
    page.locator("#concept h3").wait_for()
    page.fill("#path-target", "DPO")
    page.click("#path-form button")
    page.locator("#path-steps > li").first.wait_for()
    page.fill("#gaps-a", "LoRA")
    page.fill("#gaps-b", "QLoRA")
    page.click("#gaps-form button")
    page.locator("#gaps-items li").first.wait_for()
    visible = [name for name in ("overview", "concept", "path", "gaps") if page.locator(f"#panel-{name}").is_visible()]
    assert visible == ["gaps"]  # one answer at a time, not one growing column
    assert page.locator("#tab-gaps").get_attribute("aria-selected") == "true"
    page.click("#tab-concept")
    assert page.locator("#concept h3").is_visible() and page.locator("#concept h3").inner_text() == "RoPE"
    assert page.locator("#path-steps").is_hidden() and page.locator("#gaps-items").is_hidden()
    map_frame(watched, "/map?concept=rope")
    page.click("#tab-path")
    assert page.locator("#path-steps > li").first.is_visible()
    map_frame(watched, "/map/path")
    watched.screenshot("tabs-study-path.png")
    page.click("#tab-overview")
    assert page.locator("#top-concepts").is_visible()
    map_frame(watched, "/map?cap=")
    assert watched.errors == [] and watched.leaving() == []


def test_whole_map_opens_on_the_most_connected_concepts_with_readable_labels(base: str, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{base}/")
    start = int(page.locator("body").get_attribute("data-map-start"))
    total = httpx.get(f"{base}/health").json()["concepts"]
    assert 40 <= start <= 60 < total
    frame = map_frame(watched, f"/map?cap={start}")
    shown = set(frame.evaluate("window.studygraphMap.nodes.getIds()"))
    assert len(shown) == start
    # The most connected: every concept with more relations than the first one left out is drawn.
    degree = {concept["id"]: 0 for concept in httpx.get(f"{base}/export").json()["concepts"]}
    for relation in httpx.get(f"{base}/export").json()["relations"]:
        degree[relation["source"]] += 1
        degree[relation["target"]] += 1
    cut = sorted(degree.values(), reverse=True)[start]
    assert {concept for concept, count in degree.items() if count > cut} <= shown
    watched.screenshot("whole-map-start.png")
    scale = frame.evaluate("window.studygraphMap.network.getScale()")
    assert scale * MAP_FONT_SIZE >= READABLE_PX, f"labels drawn {scale * MAP_FONT_SIZE:.1f} px high"
    watched.screenshot("whole-map-start.png")
    more = page.locator("#map-more")
    assert more.is_visible() and f"of {total}" in more.inner_text()
    more.click()
    wider = min(2 * start, total)
    frame = map_frame(watched, f"/map?cap={wider}")
    assert frame.evaluate("window.studygraphMap.nodes.length") == wider
    assert page.locator("#map-more").is_hidden() == (wider == total)
    assert watched.errors == [] and watched.leaving() == []


@pytest.mark.parametrize("path", ["/map/path?target=DPO", "/map?cap=50", "/map/gaps?a=LoRA&b=QLoRA"])
def test_legend_never_covers_the_map_toolbar_at_800px(base: str, browser: Any, path: str) -> None:
    watched = Watched(browser, 800, 900)
    page = watched.page
    try:
        page.goto(f"{base}{path}")
        page.locator("body[data-state=stable]").wait_for(state="attached", timeout=30_000)
        legend = page.locator("#legend").bounding_box()
        for control in ("header", "#filter", "#status"):
            assert not overlap(legend, page.locator(control).bounding_box()), f"the legend covers {control}"
        if path.startswith("/map?"):
            watched.screenshot("legend-800px.png")
            # The same map inside the study page, 800 px wide: the frame's legend stays off its toolbar.
            page.goto(f"{base}/")
            frame = map_frame(watched, "/map?cap=")
            frame_legend = frame.locator("#legend").bounding_box()
            for control in ("header", "#filter"):
                assert not overlap(frame_legend, frame.locator(control).bounding_box()), f"the legend covers {control}"
            watched.screenshot("study-page-800px.png")
        assert watched.errors == [] and watched.leaving() == []
    finally:
        page.close()
