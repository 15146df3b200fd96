"""Reads while the graph is written, on a large store: the latency a reader sees while the server ingests an
upload, and while another process (the CLI) writes and the server picks the new graph up.

Run: .venv/bin/python bench/reads_during_write.py [--concepts 50000] [--relations 100000] [--readers 4]

The baseline is the same reads on the same server with no write going on (measured first, in the same run).
Reader threads each keep one request in flight (GET /concepts/{id} and GET /paths/study on random concepts).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from store import synthetic_graphs  # noqa: E402

from graph.store.embedded import EmbeddedStore  # noqa: E402
from tests.support.server import CLI, running_server  # noqa: E402

NOTE = """# 小笔记 {n}

## 方法

FooNorm{n} 是一种归一化方法。FooNorm{n} 基于 LayerNorm，并且使用 RMS 统计量。
"""


@dataclass
class Readers:
    """Threads reading the server in a loop; every latency is kept with the moment it started."""

    base: str
    concepts: int
    count: int
    samples: list[tuple[float, float, int]] = field(default_factory=list)  # (start, seconds, status)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> None:
        for k in range(self.count):
            thread = threading.Thread(target=self._run, args=(random.Random(k),), daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()

    def _run(self, rng: random.Random) -> None:
        with httpx.Client(base_url=self.base, timeout=120) as client:
            while not self._stop.is_set():
                concept = f"c{rng.randrange(self.concepts):05}"
                path = f"/concepts/{concept}" if rng.random() < 0.7 else f"/paths/study?target={concept}&limit=20"
                started = time.perf_counter()
                status = client.get(path).status_code
                self.samples.append((started, time.perf_counter() - started, status))

    def between(self, start: float, end: float) -> list[float]:
        return [seconds for begun, seconds, _ in self.samples if start <= begun <= end]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def wait_for_revision(base: str, old: str, limit: float = 600) -> None:
    """Until the server serves a graph newer than `old` (a write by another process is picked up on a read)."""
    deadline = time.monotonic() + limit
    while httpx.get(f"{base}/health", timeout=120).json().get("revision") == old:
        if time.monotonic() > deadline:
            raise RuntimeError("the server never picked up the CLI's write")
        time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--concepts", type=int, default=50_000)
    parser.add_argument("--relations", type=int, default=100_000)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--idle-seconds", type=float, default=5.0)
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; {args.readers} reader threads in this process, one server worker")
    rows: list[tuple[str, list[float], float]] = []
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        store_dir = scratch / "store"
        EmbeddedStore(store_dir).replace_documents(synthetic_graphs(args.concepts, args.relations))
        size = (store_dir / "graph.json").stat().st_size + sum(p.stat().st_size for p in store_dir.glob("documents-*"))
        print(f"store: {args.concepts:,} concepts, {args.relations:,} relations, {size / 1e6:.0f} MB on disk")
        with running_server(store_dir, timeout=600) as base:
            readers = Readers(base, args.concepts, args.readers)
            readers.start()
            time.sleep(1.0)  # warm up connections
            start = time.perf_counter()
            time.sleep(args.idle_seconds)
            rows.append(("no write (baseline)", readers.between(start, time.perf_counter()), 0.0))

            note = scratch / "upload.md"
            note.write_text(NOTE.format(n=1), encoding="utf-8")
            start = time.perf_counter()
            answer = httpx.post(f"{base}/documents", files=[("files", ("upload.md", note.read_bytes()))], timeout=600)
            answer.raise_for_status()
            rows.append(("upload to this server", readers.between(start, time.perf_counter()),
                         time.perf_counter() - start))

            old = httpx.get(f"{base}/health", timeout=120).json()["revision"]
            cli_note = scratch / "cli.md"
            cli_note.write_text(NOTE.format(n=2), encoding="utf-8")
            start = time.perf_counter()
            env = {**os.environ, "STUDYGRAPH_DATA_DIR": str(store_dir)}
            subprocess.run([*CLI, "ingest", str(cli_note)], cwd=ROOT, env=env, check=True, capture_output=True)
            wait_for_revision(base, old)
            rows.append(("CLI write, server reloads", readers.between(start, time.perf_counter()),
                         time.perf_counter() - start))
            readers.stop()
            errors = sum(1 for _, _, status in readers.samples if status >= 500)
    baseline = statistics.median(rows[0][1])
    print(f"\n{'phase':<28} {'reads':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'p99/base p50':>13} "
          f"{'write s':>8}")
    for name, latencies, write_seconds in rows:
        p99 = percentile(latencies, 0.99)
        print(f"{name:<28} {len(latencies):>6} {statistics.median(latencies) * 1000:>8.1f} {p99 * 1000:>8.1f} "
              f"{max(latencies) * 1000:>8.1f} {p99 / baseline:>13.1f} {write_seconds:>8.1f}")
    print(f"\nserver errors (5xx) among {len(readers.samples)} reads: {errors}; floor: p99 < 100 ms during writes")


if __name__ == "__main__":
    main()
