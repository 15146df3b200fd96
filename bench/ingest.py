"""Ingest benchmark: cold start on ../shared/seeds (whole process) and steady-state chars/s on a generated corpus.

Run: .venv/bin/python bench/ingest.py [--mb 10] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SEEDS = ROOT.parent / "shared" / "seeds"
TRAIN_NOTES = ROOT.parent / "shared" / "train" / "docs"
EXAMPLES = ROOT / "examples" / "notes"


def cold_start_seconds(runs: int) -> list[float]:
    """Whole `studygraph ingest ../shared/seeds` processes into fresh stores."""
    cli = ROOT / ".venv" / "bin" / "studygraph"
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as store:
            env = {**os.environ, "STUDYGRAPH_DATA_DIR": store}
            start = time.perf_counter()
            subprocess.run([str(cli), "ingest", "-q", str(SEEDS)], env=env, check=True, stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
    return times


def generated_corpus(target_bytes: int, seed: int = 42) -> list[str]:
    """Documents recombined from sections of the example notes, with a fixed seed."""
    sections = []
    for path in sorted(EXAMPLES.glob("*.md")):
        sections += [part for part in re.split(r"\n(?=## )", path.read_text(encoding="utf-8")) if part.strip()]
    rng = random.Random(seed)
    documents, size = [], 0
    while size < target_bytes:
        parts = [f"# 合集 {len(documents)}"] + [rng.choice(sections) for _ in range(200)]
        text = "\n\n".join(parts)
        documents.append(text)
        size += len(text.encode("utf-8"))
    return documents


def seed_copies(target_chars: int) -> list[str]:
    """The seeds repeated until they reach `target_chars`: real notes, at a size where per-batch setup is noise."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.iterdir()) if path.is_file()]
    copies: list[str] = []
    while texts and sum(map(len, copies)) < target_chars:
        copies += texts
    return copies


def shape(texts: list[str]) -> str:
    """Characters per heading and the Chinese share: what makes one corpus cost more per character than another."""
    joined = "\n".join(texts)
    headings = len(re.findall(r"(?m)^#{1,6} ", joined)) or 1
    chinese = len(re.findall(r"[\u3400-\u9fff]", joined)) / max(len(joined), 1)
    return f"{len(joined) / headings:.0f} chars/heading, {chinese:.0%} Chinese"


def steady_state(documents: list[str], runs: int) -> tuple[float, float, float, int]:
    """Median chars/s of extraction in this process after a warm-up, of the baseline (tokenizing alone), and
    of a machine reference, each pass right after an extraction pass.

    The baseline (spaCy blank pipeline with our tokenizer, one Doc per document) is what any spaCy-based
    extractor pays before it reads a single concept; the ratio shows what extraction adds on this machine.
    The reference is spaCy's own tokenizer on the same text: none of our code runs in it, so it shows how fast
    this shared machine is at the moment, which moves more between runs than most code changes do.
    """
    import spacy

    import ingest.tokenizer  # noqa: F401  (registers the tokenizer)
    from ingest.pipeline import extract_graphs
    from ingest.reader import SourceFile

    sources = [SourceFile(f"gen{i}.md", Path(f"gen{i}.md"), text, "utf-8", str(i)) for i, text in enumerate(documents)]
    chars = sum(len(s.text) for s in sources[1:])
    extract_graphs(sources[:1])
    tokenizer = spacy.blank("xx", config={"nlp": {"tokenizer": {"@tokenizers": "studygraph.mixed_tokenizer.v1"}}})
    tokenizer.max_length = 100_000_000
    stock = spacy.blank("xx")
    stock.max_length = 100_000_000
    rates, baseline, reference = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        extract_graphs(sources[1:])
        rates.append(chars / (time.perf_counter() - start))
        for pipeline, found in ((tokenizer, baseline), (stock, reference)):
            start = time.perf_counter()
            for source in sources[1:]:
                pipeline.make_doc(source.text)
            found.append(chars / (time.perf_counter() - start))
    return statistics.median(rates), statistics.median(baseline), statistics.median(reference), chars


def one_more_note(documents: list[str], runs: int) -> tuple[float, float, float]:
    """Seconds to ingest `documents` in one batch, median seconds to add one more note to that store, and the
    median share of stored notes read again for it (the price of a graph that does not depend on order)."""
    from graph.store.embedded import EmbeddedStore
    from ingest.reader import SourceFile
    from ingest.rebuild import change_for

    def source(name: str, text: str) -> SourceFile:
        return SourceFile(name, Path(name), text, "utf-8", str(hash(text)))

    stored = [source(f"gen{i}.md", text) for i, text in enumerate(documents)]
    sections = [part for text in documents for part in re.split(r"\n(?=## )", text)[1:]]
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as scratch:
        store = EmbeddedStore(Path(scratch))
        start = time.perf_counter()
        store.update_documents(change_for(stored))
        batch = time.perf_counter() - start
        notes = [source(f"more{k}.md", f"# 补充 {k}\n\n" + "\n\n".join(rng.choice(sections) for _ in range(5)))
                 for k in range(runs)]
        seconds, share = _add_each(store, notes)
    return batch, seconds, share


def _add_each(store, notes: list) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Add each note alone to the store: (median seconds per note, median share of stored notes read again)."""
    from ingest.rebuild import change_for

    times, shares = [], []
    for note in notes:
        change = change_for([note])

        def counted(documents: dict, change=change) -> tuple:  # type: ignore[type-arg]
            graphs, removed = change(documents)
            shares.append((len(graphs) - 1) / len(documents))
            return graphs, removed

        start = time.perf_counter()
        store.update_documents(counted)
        times.append(time.perf_counter() - start)
    return statistics.median(times), statistics.median(shares)


def one_more_training_note(runs: int) -> tuple[int, float, float]:
    """A store of all training notes but `runs` of them; then each of those added alone: (notes stored, median
    seconds per added note, median share of stored notes read again)."""
    from graph.store.embedded import EmbeddedStore
    from ingest.reader import SourceFile
    from ingest.rebuild import change_for

    sources = [SourceFile(p.name, p, p.read_text(encoding="utf-8"), "utf-8", str(i))
               for i, p in enumerate(sorted(TRAIN_NOTES.glob("*.md")))]
    rng = random.Random(11)
    later = rng.sample(sources, runs)
    first = [s for s in sources if s not in later]
    with tempfile.TemporaryDirectory() as scratch:
        store = EmbeddedStore(Path(scratch))
        store.update_documents(change_for(first))
        seconds, share = _add_each(store, later)
    return len(first), seconds, share


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    rows = []
    if SEEDS.is_dir():
        times = cold_start_seconds(args.runs)
        rows.append(("cold start, seeds (whole process)", f"median {statistics.median(times):.2f} s", "< 4 s (issue 17)"))
    else:
        rows.append(("cold start, seeds", f"skipped: {SEEDS} not found", "< 4 s (issue 17)"))
    documents = generated_corpus(int(args.mb * 1_048_576))
    rate, baseline, reference, chars = steady_state(documents, args.runs)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows.append((f"steady state, {chars / 1e6:.1f} M chars generated", f"median {rate:,.0f} chars/s", ">= 100,000 chars/s (issue 28)"))
    if SEEDS.is_dir():
        seeds = seed_copies(2_000_000)
        seed_rate, _, _, seed_chars = steady_state(["# warm-up", *seeds], args.runs)
        rows.append((f"steady state, seeds repeated ({seed_chars / 1e6:.1f} M chars)",
                     f"median {seed_rate:,.0f} chars/s", "reported"))
        rows.append(("corpus shape: generated / seeds", f"{shape(documents)} / {shape(seeds)}", "reported"))
    batch, added, share = one_more_note(generated_corpus(1_048_576), args.runs)
    rows.append(("one more note into a 1 MB store", f"median {added:.2f} s ({share:.0%} of notes read again; "
                 f"all at once {batch:.1f} s)", "reported"))
    if TRAIN_NOTES.is_dir():
        stored, added, share = one_more_training_note(args.runs)
        rows.append((f"one more training note into a store of {stored}", f"median {added:.2f} s ({share:.0%} of "
                     "notes read again)", "< 3 s (issue 28)"))
    rows.append(("baseline: tokenize only (same process)", f"median {baseline:,.0f} chars/s", "reference"))
    rows.append(("extraction cost vs baseline", f"{baseline / rate:.1f}x the tokenizer's time", "reported"))
    rows.append(("machine reference: spaCy's own tokenizer", f"median {reference:,.0f} chars/s", "reported"))
    rows.append(("peak memory (this process)", f"{peak_mb:,.0f} MB", "reported"))
    width = max(len(r[0]) for r in rows)
    result_width = max(len(r[1]) for r in rows)
    print(f"{'measure':<{width}}  {'result':<{result_width}}  floor")
    for name, value, floor in rows:
        print(f"{name:<{width}}  {value:<{result_width}}  {floor}")


if __name__ == "__main__":
    main()
