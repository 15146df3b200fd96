"""An empty store in a real headless Chromium: the page says how to add notes, takes an upload (with the write
token the server asks for) and then lists the concepts of the new note. Screenshots go to tests/artifacts/browser/.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.support.browser import CHROMIUM
from tests.support.server import running_server
from tests.support.study_page import Watched, map_frame

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not CHROMIUM.exists(), reason=(
    "needs Debian's chromium at /usr/bin/chromium (.ci/run installs it: apt-get install chromium)"))]

TOKEN = "browser-test-token"
# A small note written for this test: two headed sections, a definition, a few relations and a question.
NOTE = """# 解码策略

## Beam search

Beam search 是一种解码策略：每一步保留得分最高的若干条候选序列。
Greedy decoding 是 beam search 的特例，beam 宽度为 1。

## Top-k sampling

Top-k sampling 扩展了 greedy decoding：从概率最高的 k 个 token 中随机采样。
Nucleus sampling 是 top-k sampling 的变体，按累计概率截断。

Q1: beam search 和 greedy decoding 的区别是什么？
""".encode()


@pytest.fixture(scope="module")
def empty_base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("browser-empty") / "store"
    with running_server(data_dir, env={"STUDYGRAPH_API_TOKEN": TOKEN}) as url:
        yield url


def test_an_empty_store_explains_how_to_add_notes_and_ingests_an_upload(empty_base: str, browser: Any) -> None:
    watched = Watched(browser, 1400, 1000)
    page = watched.page
    try:
        page.goto(f"{empty_base}/")
        explanation = page.locator("#empty-store")
        assert explanation.is_visible() and "studygraph ingest" in explanation.inner_text()
        assert page.locator("#top-box").is_hidden()  # no "start from a frequent one:" followed by nothing
        assert page.locator("#upload-form").is_visible()
        token = page.locator("#upload-token")
        assert token.is_visible()  # this server takes writes only with its token
        watched.screenshot("empty-store.png")

        note = {"name": "解码策略.md", "mimeType": "text/markdown", "buffer": NOTE}
        page.set_input_files("#upload-files", note)
        token.fill("not-the-token")
        page.click("#upload-form button")
        banner = page.locator("#banner")
        banner.wait_for(state="visible")
        assert "Authorization: Bearer" in banner.inner_text()
        assert httpx.get(f"{empty_base}/health").json()["documents"] == 0

        token.fill(TOKEN)
        page.click("#upload-form button")
        page.locator("#top-concepts .concept-link").first.wait_for()
        banner.wait_for(state="hidden")
        names = page.locator("#top-concepts .concept-link").all_inner_texts()
        assert "beam search" in names, names
        assert explanation.is_hidden() and "1 documents" in page.locator("#counts").inner_text()
        assert "ingested 1" in page.locator("#upload-status").inner_text()
        frame = map_frame(watched, "/map?cap=")
        assert frame.evaluate("window.studygraphMap.nodes.length") == len(names)
        page.locator(".concept-link", has_text="beam search").click()
        page.locator("#concept h3").wait_for()
        assert page.locator("#concept h3").inner_text() == "beam search"
        watched.screenshot("after-upload.png")
        assert watched.unexpected_errors() == [] and watched.leaving() == []
    finally:
        page.close()
