"""The CLI against a real embedded store on disk: bad input, idempotence, concurrency and kill -9."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import DATA, EXAMPLES, ROOT
from tests.support.server import CLI


def run_cli(data_dir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STUDYGRAPH_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    done = subprocess.run([*CLI, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    if check:
        assert done.returncode == 0, done.stderr
    return done


def export(data_dir: Path) -> dict:  # type: ignore[type-arg]
    return json.loads(run_cli(data_dir, "export", "--format", "json").stdout)


def test_bad_files_are_reported_and_good_ones_ingested(tmp_path: Path) -> None:
    done = run_cli(tmp_path / "s", "ingest", str(DATA))
    assert "binary.md: looks like a binary file" in done.stderr
    assert "empty.md: file is empty" in done.stderr
    graph = export(tmp_path / "s")
    order_notes = {f"data/notes_order/{name}" for name in ("a.md", "b.md", "c.md", "d.md")}
    assert {d["id"] for d in graph["documents"]} == {"data/gbk_notes.md", "data/bom_notes.md", "data/broken.md",
                                                      "data/hostile.md", *order_notes}
    gqa = next(c for c in graph["concepts"] if c["id"] == "grouped-query-attention")
    assert gqa["name"] == "Grouped-Query Attention"


def test_hostile_names_round_trip_unchanged(tmp_path: Path) -> None:
    run_cli(tmp_path / "s", "ingest", str(DATA / "hostile.md"))
    labels = {label for c in export(tmp_path / "s")["concepts"] for label in (c["name"], *c["aliases"])}
    assert "Evil-Attention" in labels and "EA" in labels
    shown = run_cli(tmp_path / "s", "show", "Evil-Attention").stdout
    assert "Evil-Attention" in shown and "RoPE" in shown


def test_unknown_concept_suggests_close_matches(tmp_path: Path) -> None:
    run_cli(tmp_path / "s", "ingest", str(EXAMPLES))
    done = run_cli(tmp_path / "s", "show", "ropee", check=False)
    assert done.returncode == 4 and "did you mean" in done.stderr and "RoPE" in done.stderr


def test_reingest_is_idempotent_and_changes_replace(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("DPO 取代了 PPO。\n", encoding="utf-8")
    (notes / "b.md").write_text("GQA 是 MHA 的变体。\n", encoding="utf-8")
    store = tmp_path / "s"
    run_cli(store, "ingest", str(notes))
    first = (store / "graph.json").read_bytes()
    assert "documents unchanged │ 2" in run_cli(store, "ingest", str(notes)).stdout
    assert (store / "graph.json").read_bytes() == first
    (notes / "a.md").write_text("DPO 基于 RLHF。\n", encoding="utf-8")
    run_cli(store, "ingest", str(notes))
    typed = {(r["source"], r["type"], r["target"]) for r in export(store)["relations"]}
    assert ("dpo", "USES", "rlhf") in typed and ("dpo", "REPLACES", "ppo") not in typed
    run_cli(store, "remove", "notes/b.md")
    assert "grouped-query-attention" not in {c["id"] for c in export(store)["concepts"]}


def _big_corpus(folder: Path, files: int, copies: int) -> None:
    folder.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.md"))]
    rng = random.Random(7)
    for number in range(files):
        parts = [f"# 合集 {number}-{i}\n\n" + rng.choice(texts) for i in range(copies)]
        (folder / f"big{number}.md").write_text("\n".join(parts), encoding="utf-8")


@pytest.mark.slow
def test_kill_9_during_ingest_leaves_the_previous_graph(tmp_path: Path) -> None:
    store = tmp_path / "s"
    run_cli(store, "ingest", str(EXAMPLES))
    before = (store / "graph.json").read_bytes()
    _big_corpus(tmp_path / "big", files=6, copies=300)
    env = {**os.environ, "STUDYGRAPH_DATA_DIR": str(store)}
    for wait_for_temp_file in (False, True):
        process = subprocess.Popen([*CLI, "ingest", "-q", str(tmp_path / "big")], cwd=ROOT, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if not wait_for_temp_file and time.monotonic() > deadline - 58:
                break
            if wait_for_temp_file and list(store.glob(".*.tmp")):
                break
            time.sleep(0.002)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        assert (store / "graph.json").read_bytes() == before
        assert len(export(store)["documents"]) == 3


@pytest.mark.slow
def test_two_processes_ingesting_at_once_both_land(tmp_path: Path) -> None:
    store = tmp_path / "s"
    env = {**os.environ, "STUDYGRAPH_DATA_DIR": str(store)}
    one = subprocess.Popen([*CLI, "ingest", "-q", str(EXAMPLES)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    two = subprocess.Popen([*CLI, "ingest", "-q", str(DATA / "gbk_notes.md")], cwd=ROOT, env=env,
                           stdout=subprocess.DEVNULL)
    assert one.wait(120) == 0 and two.wait(120) == 0
    assert len(export(store)["documents"]) == 4


def test_import_is_the_inverse_of_export_and_refuses_bad_files_whole(tmp_path: Path) -> None:
    run_cli(tmp_path / "a", "ingest", str(EXAMPLES))
    exported = tmp_path / "graph.json"
    run_cli(tmp_path / "a", "export", "-o", str(exported))
    done = run_cli(tmp_path / "b", "import", str(exported))
    assert "imported 3 documents" in done.stdout
    again = tmp_path / "again.json"
    run_cli(tmp_path / "b", "export", "-o", str(again))
    assert again.read_bytes() == exported.read_bytes()
    before = export(tmp_path / "b")
    broken = tmp_path / "broken.json"
    broken.write_text(exported.read_text(encoding="utf-8").replace('"USES"', '"LIKES"', 1), encoding="utf-8")
    refused = run_cli(tmp_path / "b", "import", str(broken), check=False)
    assert refused.returncode != 0 and "broken.json" in refused.stderr and "type" in refused.stderr
    assert "Traceback" not in refused.stderr and export(tmp_path / "b") == before  # nothing half-written


def test_import_replace_drops_the_documents_the_file_lacks(tmp_path: Path) -> None:
    run_cli(tmp_path / "s", "ingest", str(DATA / "gbk_notes.md"))
    small = tmp_path / "small.json"
    small.write_text(json.dumps({"concepts": [{"id": "dpo", "name": "DPO"}, {"id": "ppo", "name": "PPO"}],
                                 "relations": [{"source": "dpo", "target": "ppo", "type": "REPLACES",
                                                "confidence": 0.8, "evidence": [
                                                    {"document": "mine.md", "line": 1, "text": "DPO 取代 PPO"}]}]}),
                     encoding="utf-8")
    run_cli(tmp_path / "s", "import", str(small))
    assert {d["id"] for d in export(tmp_path / "s")["documents"]} == {"gbk_notes.md", "mine.md"}
    run_cli(tmp_path / "s", "import", "--replace", str(small))
    graph = export(tmp_path / "s")
    assert {d["id"] for d in graph["documents"]} == {"mine.md"}
    assert {(r["source"], r["type"], r["target"]) for r in graph["relations"]} == {("dpo", "REPLACES", "ppo")}
