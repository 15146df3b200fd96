"""Imports of large graph files: how long reading one takes, and whether the server keeps answering meanwhile.

1. `read_graph_file` (parse and check, in this process) on generated exports of 40,000 and 80,000 concepts.
2. A live `studygraph serve` on the example notes: GET /concepts/RoPE is timed, one request after another, for a
   few seconds alone (the baseline), then while another client POSTs the 40,000-concept file to /import. The
   table gives p50 and p99 of both phases and how long the import took.

Run: .venv/bin/python bench/import_reads.py [--concepts 40000,80000] [--seconds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.importing import read_graph_file  # noqa: E402
from tests.support.server import CLI, running_server  # noqa: E402

EXAMPLES = ROOT / "examples" / "notes"


def graph_file(concepts: int) -> bytes:
    """An export of `concepts` concepts, one relation per ten of them, in two documents."""
    rows = [{"id": f"c{n}", "name": f"concept {n}", "aliases": [f"alias {n}"], "mentions": 1} for n in range(concepts)]
    relations = [{"source": f"c{n}", "target": f"c{n + 1}", "type": "USES", "confidence": 0.7,
                  "evidence": [{"document": f"doc{n % 2}.md", "line": n, "text": f"concept {n} uses {n + 1}"}]}
                 for n in range(0, concepts - 1, 10)]
    return json.dumps({"concepts": rows, "relations": relations}).encode()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def timed_reads(base: str, until: threading.Event | float) -> list[float]:
    times = []
    with httpx.Client(timeout=30) as client:
        while (time.monotonic() < until) if isinstance(until, float) else not until.is_set():
            started = time.perf_counter()
            assert client.get(f"{base}/concepts/RoPE").status_code == 200
            times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--concepts", default="40000,80000")
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    sizes = [int(part) for part in args.concepts.split(",")]
    for size in sizes:
        raw = graph_file(size)
        started = time.perf_counter()
        read_graph_file(raw)
        print(f"read_graph_file, {size:,} concepts ({len(raw) / 1e6:.1f} MB): {time.perf_counter() - started:.2f} s")
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = Path(scratch) / "store"
        env = {**os.environ, "STUDYGRAPH_DATA_DIR": str(data_dir)}
        subprocess.run([*CLI, "ingest", "-q", str(EXAMPLES)], cwd=ROOT, env=env, check=True, capture_output=True)
        raw = graph_file(sizes[0])
        with running_server(data_dir, env={"STUDYGRAPH_MAX_FILE_BYTES": str(8 * 1024 * 1024)}) as base:
            alone = timed_reads(base, time.monotonic() + args.seconds)
            done = threading.Event()
            took: list[float] = []

            def post() -> None:
                started = time.perf_counter()
                answer = httpx.post(f"{base}/import", content=raw, headers={"Content-Type": "application/json"},
                                    timeout=600)
                took.append(time.perf_counter() - started)
                assert answer.status_code == 200, answer.text
                done.set()

            poster = threading.Thread(target=post)
            poster.start()
            during = timed_reads(base, done)
            poster.join()
    print(f"GET /concepts/RoPE, alone:            p50 {statistics.median(alone):7.1f} ms  "
          f"p99 {percentile(alone, 0.99):7.1f} ms  ({len(alone)} requests)")
    print(f"GET /concepts/RoPE, during the import: p50 {statistics.median(during):7.1f} ms  "
          f"p99 {percentile(during, 0.99):7.1f} ms  ({len(during)} requests; import of {sizes[0]:,} concepts "
          f"took {took[0]:.1f} s)")


if __name__ == "__main__":
    main()
