"""Learner profiles at scale: does a profile with 20,000 reviews slow the study endpoints, for itself or for
another learner, and what does one more review cost?

The app runs in this process (FastAPI's TestClient, no sockets) on an embedded store of the example notes. For
each round: GET /paths/study?profile=small is timed with only `small` (20 reviews) stored, then again after `big`
has 20,000 reviews, and GET /paths/study?profile=big as well; POST /profiles/{name}/reviews is timed on both.
Each figure is the median over rounds of the median request time; the ratio compares it with the baseline
(`small` alone) measured in the same round, so a busy machine moves both.

Run: .venv/bin/python bench/profiles.py [--reviews 20000] [--requests 300] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402

from api.app import create_app  # noqa: E402
from graph.models import Grade, Review  # noqa: E402
from graph.store.embedded import EmbeddedStore  # noqa: E402
from ingest.pipeline import ingest_paths  # noqa: E402
from settings import Settings  # noqa: E402

EXAMPLES = ROOT / "examples" / "notes"
HOST = {"Host": "127.0.0.1"}


def reviews(count: int, question: str) -> list[Review]:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    return [Review(question=question, text=f"question {i % 97}", concepts=["rope", "attention"],
                   at=start + timedelta(minutes=i), grade=Grade.GOOD) for i in range(count)]


def median_ms(client: TestClient, method: str, path: str, requests: int, **kwargs: object) -> float:
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.request(method, path, headers=HOST, **kwargs)  # type: ignore[arg-type]
        times.append(time.perf_counter() - started)
        assert response.status_code in (200, 201), response.text
    return statistics.median(times) * 1000


def one_round(folder: Path, history: int, requests: int) -> dict[str, float]:
    store = EmbeddedStore(folder / "store")
    store.replace_documents(ingest_paths([str(EXAMPLES)], 5_000_000, {}, [], extraction="rules").graphs)
    question = next(q for d in store.document_graphs().values() for q in d.document.questions)
    store.update_profile("small", lambda p: p.model_copy(update={"history": reviews(20, question.id)}))
    settings = Settings(data_dir=folder / "store")
    target = "RoPE"
    study = f"/paths/study?target={target}&profile="
    review = {"json": {"question": question.id, "grade": "good"}}
    figures: dict[str, float] = {}
    with TestClient(create_app(settings, store_factory=lambda: store), base_url="http://127.0.0.1") as client:
        median_ms(client, "GET", study + "small", 20)  # warm
        figures["study small, alone"] = median_ms(client, "GET", study + "small", requests)
        figures["review small, alone"] = median_ms(client, "POST", "/profiles/small/reviews", 30, **review)
        store.update_profile("big", lambda p: p.model_copy(update={"history": reviews(history, question.id)}))
        figures["study small, big stored"] = median_ms(client, "GET", study + "small", requests)
        figures["study big"] = median_ms(client, "GET", study + "big", requests)
        figures["review big"] = median_ms(client, "POST", "/profiles/big/reviews", 30, **review)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reviews", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"{args.reviews:,} reviews in `big`, {args.requests} requests per figure, {args.rounds} rounds")
    rounds = []
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory() as scratch:
            rounds.append(one_round(Path(scratch), args.reviews, args.requests))
    print(f"{'request':<28} {'median ms':>10} {'× baseline':>11}")
    for name in rounds[0]:
        value = statistics.median(r[name] for r in rounds)
        base_name = "review small, alone" if name.startswith("review") else "study small, alone"
        ratio = statistics.median(r[name] / r[base_name] for r in rounds)
        print(f"{name:<28} {value:>10.2f} {ratio:>11.2f}")


if __name__ == "__main__":
    main()
