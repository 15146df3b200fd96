"""What the browser tests of the study page share: a watched page, the map frame once drawn, box geometry."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from tests.support.server import ROOT

ARTIFACTS = ROOT / "tests" / "artifacts" / "browser"
LOCAL_SCHEMES = {"data", "blob", "about"}
# What Chromium logs for a fetch answered 4xx; the page shows those answers in its banner, on purpose.
FAILED_RESOURCE = "Failed to load resource: the server responded with a status of"


class Watched:
    """A page with everything the tests check on the side: console errors, page errors, dialogs, requests."""

    def __init__(self, browser: Any, width: int = 1400, height: int = 900) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", self._dismiss)

    def _dismiss(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def leaving(self) -> list[str]:
        """Requests to anywhere but this machine's loopback."""
        return [url for url in self.requests
                if urlsplit(url).scheme not in LOCAL_SCHEMES and urlsplit(url).hostname != "127.0.0.1"]

    def unexpected_errors(self) -> list[str]:
        """Console and page errors other than the logged 4xx answers a test asked for."""
        return [error for error in self.errors if not error.startswith(FAILED_RESOURCE)]

    def screenshot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / name))


def map_frame(watched: Watched, path_start: str) -> Any:
    """The map iframe once it shows `path_start` and its layout is done (physics off)."""
    page = watched.page
    page.locator(f'#map[src*="{path_start}"]').wait_for(state="attached")
    # The iframe's src changes before its new document loads: until then the frame still holds the previous
    # map (stable too), so wait for the frame that shows this map, then for its layout.
    for _ in range(600):
        frame = next((f for f in page.frames if path_start in f.url), None)
        if frame is not None:
            frame.locator("body[data-state=stable]").wait_for(state="attached", timeout=30_000)
            return frame
        page.wait_for_timeout(50)
    raise AssertionError(f"no map frame showed {path_start} within 30 s")


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    """Whether two bounding boxes (x, y, width, height) share any area."""
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])
