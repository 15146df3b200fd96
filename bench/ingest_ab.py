"""Extraction speed of this checkout against another revision, measured in alternating pairs.

On a shared, noisy machine two separate benchmark runs minutes apart can differ by half, more than most code
changes do. Here two worker processes (this code and REV's, each with its own imports) extract the same
generated corpus in turn, swapping who goes first each pair; each pair's ratio compares passes made seconds
apart, and the median ratio is the figure to trust.

Run: .venv/bin/python bench/ingest_ab.py --against REV [--mb 2] [--pairs 8]
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _generated_corpus(megabytes: float) -> list[str]:
    """The corpus bench/ingest.py generates (this checkout's recipe, so both sides read the same text)."""
    spec = importlib.util.spec_from_file_location("ingest_bench", ROOT / "bench" / "ingest.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generated_corpus(int(megabytes * 1_048_576))


def worker(code_root: str, megabytes: float) -> None:
    """Extract the corpus with the code under `code_root` once per 'go' line; print chars per CPU second."""
    documents = _generated_corpus(megabytes)
    sys.path.insert(0, code_root)
    from ingest.pipeline import extract_graphs
    from ingest.reader import SourceFile

    print(f"worker reads code from {Path(sys.modules['ingest.pipeline'].__file__ or '').parent.parent}", file=sys.stderr)
    sources = [SourceFile(f"gen{i}.md", Path(f"gen{i}.md"), text, "utf-8", str(i)) for i, text in enumerate(documents)]
    extract_graphs(sources[:1])
    chars = sum(len(s.text) for s in sources[1:])
    print("ready", flush=True)
    for _ in sys.stdin:
        start = time.process_time()
        extract_graphs(sources[1:])
        print(chars / (time.process_time() - start), flush=True)


def _start(code_root: Path, megabytes: float) -> subprocess.Popen[str]:
    process = subprocess.Popen([sys.executable, __file__, "--worker", str(code_root), "--mb", str(megabytes)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdout and process.stdout.readline().strip() == "ready", "worker failed to start"
    return process


def _pass(process: subprocess.Popen[str]) -> float:
    assert process.stdin and process.stdout
    process.stdin.write("go\n")
    process.stdin.flush()
    return float(process.stdout.readline())


def compare(revision: str, megabytes: float, pairs: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        other = Path(scratch) / "other"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(other), revision], check=True)
        try:
            workers = {"this checkout": _start(ROOT, megabytes), revision: _start(other, megabytes)}
            rates: dict[str, list[float]] = {name: [] for name in workers}
            ratios = []
            for pair in range(pairs):
                names = list(workers) if pair % 2 == 0 else list(reversed(workers))
                got = {name: _pass(workers[name]) for name in names}
                for name, rate in got.items():
                    rates[name].append(rate)
                ratios.append(got["this checkout"] / got[revision])
            for process in workers.values():
                assert process.stdin
                process.stdin.close()
                process.wait()
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(other)], check=False)
    print(f"{'code':<24}  {'median chars per CPU second':>28}")
    for name, values in rates.items():
        print(f"{name:<24}  {statistics.median(values):>28,.0f}")
    print(f"{'ratio, this / ' + revision:<24}  {statistics.median(ratios):>28.3f}   "
          f"(pairs: {min(ratios):.3f} to {max(ratios):.3f}, {pairs} pairs of {megabytes:g} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--against", default="HEAD", help="git revision to compare with")
    parser.add_argument("--mb", type=float, default=2.0)
    parser.add_argument("--pairs", type=int, default=8)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.mb)
    else:
        compare(args.against, args.mb, args.pairs)


if __name__ == "__main__":
    main()
