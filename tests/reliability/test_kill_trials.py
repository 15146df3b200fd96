"""Issue 19, last point: SIGKILL at random moments of an ingest, a removal and an upload. A fresh load then finds
the old graph or the new one, exactly, and the next write leaves no temp file and no uncommitted documents file.

Each kind is run to completion once on a copy of the store first: its export is the "new" graph, and its timing
bounds the kill moments, drawn from a seeded generator (`Timeline.kill_moment`): half anywhere in the run, half
counted from the trial's own first temp file, so some kills land in the write itself. `pytest -s` prints the
outcomes."""

from __future__ import annotations

import random
import shutil
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from graph.store.embedded import EmbeddedStore
from tests.support.kill_trials import (
    KillMoment,
    Timeline,
    cli,
    exported,
    kill_at,
    killable_server,
    leftovers,
    watch_write,
    write_notes,
)

pytestmark = pytest.mark.slow

SEED = 19
TRIALS = {"ingest": 8, "remove": 6, "upload": 6}
REMOVED = "old/week-005.md"  # what the removal trials take out
NEXT_WRITE_REMOVES = "old/week-000.md"  # the small write after each kill; in the old graph and in every new one
OUTCOMES: Counter[tuple[str, str]] = Counter()  # (kind, outcome) over the module, for the closing check


@dataclass(frozen=True)
class Workspace:
    root: Path
    template: Path  # the store every trial starts from
    new_notes: Path
    old: dict[str, Any]  # the template's export


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    # Enough notes that the write (merge, JSON, fsync, rename) takes tens of milliseconds, not one.
    root = tmp_path_factory.mktemp("kill-trials")
    old_notes = write_notes(root / "old", count=10, sections=40)
    template = root / "template"
    with cli(template, "ingest", "-q", str(old_notes)) as process:
        assert process.wait(timeout=300) == 0, process.stderr.read().decode() if process.stderr else ""
    new_notes = write_notes(root / "new", count=3, sections=30, offset=100)
    return Workspace(root, template, new_notes, exported(template))


def fresh_store(workspace: Workspace, name: str) -> Path:
    data_dir = workspace.root / name / "store"
    shutil.copytree(workspace.template, data_dir)
    return data_dir


def check_after_kill(kind: str, data_dir: Path, workspace: Workspace, new: dict[str, Any], was_busy: bool) -> None:
    """Old or new exactly; then the next write cleans up whatever the kill left. Records the outcome."""
    left = leftovers(data_dir)
    found = exported(data_dir)
    outcome = "old" if found == workspace.old else "new" if found == new else None
    assert outcome is not None, (f"{data_dir}: after the kill the store holds neither graph: documents "
                                 f"{sorted(d['id'] for d in found['documents'])}, left {left}")
    graph = EmbeddedStore(data_dir).replace_documents([], removed=[NEXT_WRITE_REMOVES])
    assert NEXT_WRITE_REMOVES not in {d.id for d in graph.documents}
    remaining = leftovers(data_dir)
    assert remaining == [], f"{data_dir}: the write after the kill left {remaining} (the kill left {left})"
    OUTCOMES[kind, outcome if was_busy or outcome == "old" else "new (done before the kill)"] += 1
    OUTCOMES[kind, "kill left a temp file"] += any(name.endswith(".tmp") for name in left)
    OUTCOMES[kind, "kill left a documents file graph.json does not name"] += any(
        name.startswith("documents-") for name in left)
    shutil.rmtree(data_dir.parent)  # kept only when a check failed


def run_cli_trials(kind: str, workspace: Workspace, args: list[str]) -> None:
    measured = fresh_store(workspace, f"{kind}-measured")
    started = time.monotonic()
    with cli(measured, *args) as process:
        timeline = watch_write(measured, started, lambda: process.poll() is None)
        assert process.wait() == 0, process.stderr.read().decode() if process.stderr else ""
    new = exported(measured)
    rng = random.Random(f"{SEED}-{kind}")
    for trial in range(TRIALS[kind]):
        data_dir = fresh_store(workspace, f"{kind}-{trial:02d}")
        moment = timeline.kill_moment(rng, trial)
        started = time.monotonic()
        with cli(data_dir, *args) as process:
            was_busy = kill_at(process, moment, started, data_dir)
        check_after_kill(kind, data_dir, workspace, new, was_busy)
    print_outcomes(kind, timeline)


def test_killed_ingests_leave_the_old_graph_or_the_new(workspace: Workspace) -> None:
    run_cli_trials("ingest", workspace, ["ingest", "-q", str(workspace.new_notes)])


def test_killed_removals_leave_the_old_graph_or_the_new(workspace: Workspace) -> None:
    run_cli_trials("remove", workspace, ["remove", REMOVED])


class Upload(threading.Thread):
    """One POST /documents of the new notes (small enough to be ingested before the response, not as a job)."""

    def __init__(self, base: str, notes: Path) -> None:
        super().__init__(daemon=True)
        self.url = f"{base}/documents"
        self.files = [("files", (f"new/{p.name}", p.read_bytes(), "text/markdown")) for p in sorted(notes.iterdir())]
        self.status: int | None = None

    def run(self) -> None:
        try:
            self.status = httpx.post(self.url, files=self.files, timeout=120).status_code
        except httpx.TransportError:
            self.status = None  # the server was killed under the request


def upload_and_kill(data_dir: Path, notes: Path, moment: KillMoment | None) -> tuple[Timeline | None, bool]:
    """Upload to a server on `data_dir`; kill the server at `moment` (counted from the request), or watch the
    upload finish."""
    with killable_server(data_dir) as (base, server):
        upload = Upload(base, notes)
        started = time.monotonic()
        upload.start()
        if moment is None:
            timeline = watch_write(data_dir, started, upload.is_alive)
            assert upload.status == 201, upload.status
            return timeline, True
        was_busy = kill_at(server, moment, started, data_dir, upload.is_alive)
        upload.join(timeout=120)
        return None, was_busy


def test_killed_uploads_leave_the_old_graph_or_the_new(workspace: Workspace) -> None:
    measured = fresh_store(workspace, "upload-measured")
    timeline, _ = upload_and_kill(measured, workspace.new_notes, None)
    assert timeline is not None
    new = exported(measured)
    rng = random.Random(f"{SEED}-upload")
    for trial in range(TRIALS["upload"]):
        data_dir = fresh_store(workspace, f"upload-{trial:02d}")
        _, was_busy = upload_and_kill(data_dir, workspace.new_notes, timeline.kill_moment(rng, trial))
        check_after_kill("upload", data_dir, workspace, new, was_busy)
    print_outcomes("upload", timeline)


def test_the_kills_landed_before_and_after_the_commit() -> None:
    kinds = {kind for kind, _ in OUTCOMES}
    if kinds != set(TRIALS):
        pytest.skip(f"counts the trials of the whole module; only {sorted(kinds)} ran")

    def total(prefix: str) -> int:
        return sum(n for (_, outcome), n in OUTCOMES.items() if outcome.startswith(prefix))

    print(f"\nkill trials: {sum(TRIALS.values())}; old {total('old')}, new {total('new')} (of which done before "
          f"the kill {total('new (done')}); kill left a temp file {total('kill left a temp')}, an unnamed documents "
          f"file {total('kill left a documents')}")
    assert total("old") >= 1 and total("new") >= 1, OUTCOMES


def print_outcomes(kind: str, timeline: Timeline) -> None:
    counts = ", ".join(f"{outcome} {n}" for (k, outcome), n in sorted(OUTCOMES.items()) if k == kind)
    print(f"\n{kind}: {TRIALS[kind]} kills; {counts}; measured run: first temp file at {timeline.write_start:.3f} s, "
          f"commit at {timeline.commit:.3f} s, end at {timeline.end:.3f} s")
