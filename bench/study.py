"""Study engine benchmark: graph load, study path and gaps on a synthetic graph, in the embedded and Bolt stores.

Run: .venv/bin/python bench/study.py [--concepts 20000] [--relations 100000] [--queries 200] [--skip-bolt]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from store import _bolt_server, synthetic_graphs  # noqa: E402

from graph.store import GraphStore  # noqa: E402
from graph.store.embedded import EmbeddedStore  # noqa: E402
from graph.study.gaps import gaps  # noqa: E402
from graph.study.index import StudyIndex  # noqa: E402
from graph.study.plans import study_path  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(store: GraphStore, queries: int, seed: int = 5) -> dict[str, float]:
    start = time.perf_counter()
    graph = store.graph()
    load = time.perf_counter() - start
    start = time.perf_counter()
    index = StudyIndex(graph)
    _ = index.centrality  # built on first use; part of getting ready, not of a query
    ready = time.perf_counter() - start
    rng = random.Random(seed)
    ids = sorted(index.concepts)
    paths, gap_times, steps = [], [], []
    for _ in range(queries):
        target = rng.choice(ids)
        start = time.perf_counter()
        plan = study_path(index, target, limit=50)
        paths.append(time.perf_counter() - start)
        steps.append(len(plan.steps))
        neighbours = sorted(index.all_relations.neighbors(target)) or [rng.choice(ids)]
        start = time.perf_counter()
        gaps(index, target, rng.choice(neighbours))
        gap_times.append(time.perf_counter() - start)
    return {"load_s": load, "index_s": ready, "path_median_ms": statistics.median(paths) * 1000,
            "path_p99_ms": percentile(paths, 0.99) * 1000, "steps": statistics.median(steps),
            "gaps_median_ms": statistics.median(gap_times) * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--concepts", type=int, default=20_000)
    parser.add_argument("--relations", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--skip-bolt", action="store_true")
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    graphs = synthetic_graphs(args.concepts, args.relations)
    print(f"synthetic graph: {args.concepts:,} concepts, {args.relations:,} relations; {args.queries} queries")
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        EmbeddedStore(Path(scratch) / "store").replace_documents(graphs)
        results["embedded"] = measure(EmbeddedStore(Path(scratch) / "store"), args.queries)  # a fresh process view
        if not args.skip_bolt:
            server, _ = _bolt_server(Path(scratch) / "arcadedb")
            try:
                from graph.store.neo4j_store import Neo4jStore

                bolt = Neo4jStore(server.uri, server.user, server.password, server.database)
                bolt.replace_documents(graphs)
                results["bolt"] = measure(bolt, args.queries)
            finally:
                server.stop()
    rows = [("graph load from the store (a fresh store object)", "s", "load_s", "{:.2f}", "< 2 s (embedded)"),
            ("study index build (prerequisites, cycles, centrality)", "s", "index_s", "{:.2f}", "reported"),
            ("study path (limit 50), median", "ms", "path_median_ms", "{:.1f}", "< 5 ms"),
            ("study path, p99", "ms", "path_p99_ms", "{:.1f}", "< 20 ms"),
            ("  steps per path (median)", "", "steps", "{:.0f}", ""),
            ("gaps between two related topics, median", "ms", "gaps_median_ms", "{:.1f}", "< 50 ms")]
    print(f"{'measure':<54} {'unit':<5} {'embedded':>10} {'Bolt':>10}  floor")
    for name, unit, key, fmt, floor in rows:
        cells = [fmt.format(results[k][key]) if k in results else "-" for k in ("embedded", "bolt")]
        print(f"{name:<54} {unit:<5} {cells[0]:>10} {cells[1]:>10}  {floor}")


if __name__ == "__main__":
    main()
