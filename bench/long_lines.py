"""One long line: a file with no line break must ingest in time and space linear in its size.

Each size is a fresh store fed one generated single-line file through the CLI: `chinese` is Chinese prose with
technical terms, `english` English sentences (runs of five and more English words, each a search for a sentence
start once), `acronyms` a note of nothing but acronyms (100,000 of them in 512 KB). The table gives the wall time,
the peak RSS of the ingest process and the store's size on disk. A store that grew with the square of the line
(every evidence record copying the whole line) shows at once, and so does a scan that is quadratic in the line.

Run: .venv/bin/python bench/long_lines.py [--sizes 128,512,2048] [--kinds chinese,english,acronyms] (KB)
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = ROOT / ".venv" / "bin" / "studygraph"
WORDS = ["注意力", "模型", "LoRA", "量化", "训练", "数据", "推理", "Transformer", "采用", "RoPE", "位置编码", "和"]


ENGLISH = ["the", "model", "uses", "attention", "with", "LoRA", "adapters", "and", "quantization", "of", "weights",
           "during", "training", "Transformer", "layers", "apply", "RoPE", "to", "queries", "keys"]
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def one_line(size_bytes: int, kind: str = "chinese", seed: int = 7) -> str:
    """A line of about `size_bytes` bytes of the given kind."""
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size_bytes:
        if kind == "chinese":
            part = rng.choice(WORDS)
        elif kind == "english":  # a sentence of eight to fourteen words
            part = " ".join(rng.choice(ENGLISH) for _ in range(rng.randint(8, 14))).capitalize() + ". "
        else:  # an acronym of two to five capitals
            part = "".join(rng.choice(UPPER) for _ in range(rng.randint(2, 5))) + " "
        parts.append(part)
        total += len(part.encode())
    return "".join(parts)


def measure(size_kb: int, kind: str) -> tuple[float, float, float]:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        notes = folder / f"line-{kind}-{size_kb}k.md"
        notes.write_text(one_line(size_kb * 1024, kind) + "\n", encoding="utf-8")
        store = folder / "store"
        env = {**os.environ, "STUDYGRAPH_DATA_DIR": str(store), "STUDYGRAPH_MAX_FILE_BYTES": str(8 * 1024 * 1024),
               "STUDYGRAPH_LOCK_TIMEOUT_SECONDS": "600"}
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        subprocess.run([str(CLI), "ingest", "-q", str(notes)], env=env, check=True, stdout=subprocess.DEVNULL)
        elapsed = time.perf_counter() - start
        peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
        size = sum(f.stat().st_size for f in store.iterdir() if f.is_file()) / 1024 / 1024
    return elapsed, peak, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="128,512,2048", help="line sizes in KB, comma-separated")
    parser.add_argument("--kinds", default="chinese,english,acronyms", help="line kinds, comma-separated")
    args = parser.parse_args()
    print(f"machine: {os.uname().machine}, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"{'kind':>9} {'line':>8} {'time s':>8} {'peak RSS MB':>12} {'store MB':>9} {'store MB per line MB':>21}")
    for kind in args.kinds.split(","):
        for size_kb in (int(part) for part in args.sizes.split(",")):
            elapsed, peak, size = measure(size_kb, kind)
            print(f"{kind:>9} {size_kb:>6}KB {elapsed:>8.2f} {peak:>12.0f} {size:>9.2f} "
                  f"{size / (size_kb / 1024):>21.2f}", flush=True)


if __name__ == "__main__":
    main()
