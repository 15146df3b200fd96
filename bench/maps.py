"""Map benchmark: HTML generation time and size for 200, 2,000 and 10,000 concepts, and the time headless
Chromium (Debian's) takes until the 2,000-concept map is drawn and stable (layout done, physics off).

Run: .venv/bin/python bench/maps.py [--runs 3] [--sizes 200,2000,10000] [--browser-size 2000]
The synthetic graphs (bench/store.py) carry three relations per concept, a little above the seeds' 2.2. The
baseline is stock pyvis in the same process (Network.add_node/add_edge, then generate_html) on the sizes it can
finish: its per-node and per-edge list scans grow quadratically.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from pyvis.network import Network  # noqa: E402
from store import synthetic_graphs  # noqa: E402

from graph.merge import merge_graphs  # noqa: E402
from graph.network import concept_network  # noqa: E402
from tests.support.browser import CHROMIUM, chromium  # noqa: E402
from viz.views import concept_map  # noqa: E402

BASELINE_LIMIT = 2_000  # stock pyvis past this takes minutes


def median_seconds(work: Callable[[], object], runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def stock_pyvis(network: object) -> str:
    """What the pyvis tutorial does: one add_node / add_edge per item, then generate_html."""
    page = Network(directed=True, cdn_resources="in_line")
    for concept_id, data in network.nodes(data=True):  # type: ignore[attr-defined]
        page.add_node(concept_id, label=data["concept"].name, title=data["concept"].name)
    for source, target, relation in network.edges(data="relation"):  # type: ignore[attr-defined]
        page.add_edge(source, target, title=relation.type.value)
    return page.generate_html()


def browser_seconds(html_path: Path, runs: int) -> list[tuple[float, float]]:
    """(navigation to stable, the page's own stableMs / 1000) per run, each in a fresh page."""
    results = []
    with chromium() as browser:
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
            started = time.perf_counter()
            page.goto(html_path.as_uri())
            page.locator("body[data-state=stable]").wait_for(state="attached", timeout=120_000)
            results.append((time.perf_counter() - started, page.evaluate("window.studygraphMap.stableMs") / 1000))
            page.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="200,2000,10000")
    parser.add_argument("--browser-size", type=int, default=2_000)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; medians of {args.runs} runs")
    rows, pages = [], {}
    for size in sizes:
        network = concept_network(merge_graphs(synthetic_graphs(size, 3 * size)))
        ours, html = median_seconds(lambda n=network, s=size: concept_map(n, node_cap=s), args.runs)
        pages[size] = html
        stock = median_seconds(lambda n=network: stock_pyvis(n), 1)[0] if size <= BASELINE_LIMIT else None
        rows.append((size, network.number_of_edges(), ours, len(html.encode()), stock))  # type: ignore[union-attr]
    print(f"\n{'concepts':>9} {'edges':>7} {'html s':>8} {'MB':>6} {'stock pyvis s':>14} {'speed-up':>9}")
    for size, edges, ours, size_bytes, stock in rows:
        stock_text = f"{stock:>14.2f}" if stock is not None else f"{'(skipped)':>14}"
        ratio = f"{stock / ours:>8.1f}×" if stock is not None else f"{'':>9}"
        print(f"{size:>9,} {edges:>7,} {ours:>8.2f} {size_bytes / 1e6:>6.2f} {stock_text} {ratio}")
    if args.browser_size in pages and CHROMIUM.exists():
        with tempfile.TemporaryDirectory() as scratch:
            path = Path(scratch) / "map.html"
            path.write_text(pages[args.browser_size], encoding="utf-8")  # type: ignore[arg-type]
            timings = browser_seconds(path, args.runs)
        whole = statistics.median(t for t, _ in timings)
        own = statistics.median(s for _, s in timings)
        print(f"\nheadless Chromium, {args.browser_size:,}-concept map: drawn and stable after {whole:.2f} s "
              f"(navigation to physics off; the page's own clock from script start: {own:.2f} s)")
    elif args.browser_size in pages:
        print(f"\n(no browser run: {CHROMIUM} is missing; apt-get install chromium)")
    ten = next((ours for size, _, ours, _, _ in rows if size == 10_000), None)
    if ten is not None:
        print(f"floors: 10,000-concept HTML {ten:.2f} s (< 2 s); 2,000-concept map stable in the browser (< 10 s)")


if __name__ == "__main__":
    main()
