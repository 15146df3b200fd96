"""HTTP API benchmark: the real server (`studygraph serve`) on the seeds plus a 20,000-concept synthetic graph,
driven from this separate process by wrk (Debian's `wrk`) on loopback at 1, 16 and 64 connections.

Run: .venv/bin/python bench/api.py [--seconds 8] [--workers 2] [--concepts 20000] [--relations 100000]
Needs `wrk` (apt-get install wrk). The baseline is GET /health in the same run: the HTTP stack, the snapshot
check and a small JSON body, with no graph work.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from store import synthetic_graphs  # noqa: E402

from graph.store.embedded import EmbeddedStore  # noqa: E402
from ingest.pipeline import ingest_paths  # noqa: E402
from tests.support.server import running_server  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
CONNECTIONS = (1, 16, 64)
# wrk picks the next path of the list for every request and prints its own summary as JSON at the end.
WRK_SCRIPT = """
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local next_path = 0
request = function()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format('{"requests": %d, "seconds": %f, "p50_us": %d, "p99_us": %d, "non_2xx": %d, ' ..
    '"socket_errors": %d}\\n', summary.requests, summary.duration / 1e6, latency:percentile(50),
    latency:percentile(99), errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
"""


def build_store(data_dir: Path, concepts: int, relations: int) -> list[str]:
    """The seeds (when present) and the synthetic graph in one embedded store; returns the seed document ids."""
    seeds = ingest_paths([str(SEEDS)], 5_000_000, {}, []).graphs if SEEDS.is_dir() else []
    EmbeddedStore(data_dir).replace_documents([*seeds, *synthetic_graphs(concepts, relations)])
    return [g.document.id for g in seeds]


def request_paths(base: str, rng: random.Random) -> dict[str, list[str]]:
    """For each measured endpoint, a shuffled list of real requests (ids and names taken from the graph)."""
    concepts = httpx.get(f"{base}/concepts", params={"limit": 500}, timeout=60).json()["items"]
    seed_names = [c["name"] for c in concepts if not c["id"].startswith("c")][:150]
    synthetic = [f"c{i:05}" for i in rng.sample(range(20_000), 300)]
    targets = [*seed_names, *synthetic]
    pairs = []
    for target in synthetic[:150]:
        related = httpx.get(f"{base}/concepts/{target}", timeout=60).json()["relations"]
        other = next((r["target"] if r["source"] == target else r["source"] for r in related), rng.choice(synthetic))
        pairs.append((target, other))
    queries = [*(name[:4] for name in seed_names), *(f"c{i:03}" for i in rng.sample(range(200), 100)),
               "rope", "注意力", "lora", "位置编码", "rlhf", "grpo", "transfomer"]
    return {
        "/health (baseline)": ["/health"],
        "/concepts?q=": [f"/concepts?q={quote(q)}&limit=20" for q in queries],
        "/concepts/{id}": [f"/concepts/{quote(t, safe='')}" for t in targets],
        "/paths/study (limit 50)": [f"/paths/study?target={quote(t)}&limit=50" for t in targets],
        "/gaps?a=&b=": [f"/gaps?a={quote(a)}&b={quote(b)}" for a, b in pairs],
    }


def run_wrk(base: str, paths: list[str], connections: int, seconds: int, scratch: Path) -> dict[str, float]:
    listing = scratch / "paths.txt"
    listing.write_text("\n".join(paths) + "\n", encoding="utf-8")
    script = scratch / "bench.lua"
    script.write_text(WRK_SCRIPT, encoding="utf-8")
    done = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script),
                           base], capture_output=True, text=True, env={**os.environ, "BENCH_PATHS": str(listing)},
                          check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["rps"] = result["requests"] / result["seconds"]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--concepts", type=int, default=20_000)
    parser.add_argument("--relations", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="server processes (`studygraph serve --workers`); default: one per core")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench/api.py needs wrk: apt-get install wrk")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; wrk -t1 on the same machine; server workers: {args.workers}")
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        seed_ids = build_store(scratch / "store", args.concepts, args.relations)
        print(f"store: {len(seed_ids)} seed documents + synthetic {args.concepts:,} concepts / {args.relations:,} "
              "relations")
        started = time.perf_counter()
        with running_server(scratch / "store", {"STUDYGRAPH_WORKERS": str(args.workers)}, timeout=300) as base:
            print(f"server ready (store loaded, indexes built) in {time.perf_counter() - started:.1f} s")
            paths = request_paths(base, random.Random(11))
            rows = []
            for endpoint, listing in paths.items():
                for connections in CONNECTIONS:
                    rows.append((endpoint, connections, run_wrk(base, listing, connections, args.seconds, scratch)))
    baseline = {c: r["rps"] for e, c, r in rows if e.startswith("/health")}
    print(f"\n{'endpoint':<26} {'conns':>5} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs /health':>10} {'errors':>7}")
    for endpoint, connections, r in rows:
        print(f"{endpoint:<26} {connections:>5} {r['rps']:>8.0f} {r['p50_us'] / 1000:>8.1f} {r['p99_us'] / 1000:>8.1f} "
              f"{r['rps'] / baseline[connections]:>10.2f} {r['non_2xx'] + r['socket_errors']:>7}")
    study16 = next(r for e, c, r in rows if e.startswith("/paths/study") and c == 16)
    detail = max(r["rps"] for e, c, r in rows if e == "/concepts/{id}")
    print(f"\nfloors: /paths/study p99 at 16 connections {study16['p99_us'] / 1000:.1f} ms (< 50 ms); "
          f"/concepts/{{id}} best {detail:.0f} req/s (>= 500); median baseline {statistics.median(baseline.values()):.0f} req/s")


if __name__ == "__main__":
    main()
