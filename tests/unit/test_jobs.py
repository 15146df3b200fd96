"""Ingest jobs live in the data directory, so any server process can report on a job another one runs."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from api.jobs import KEPT_JOBS, JobRecord, JobRegistry
from api.schemas import IngestReport, Job
from graph.errors import StoreLocked

ROOT = Path(__file__).resolve().parents[2]
REPORT = IngestReport(ingested=["a.md"], unchanged=[], skipped=[], documents=1, concepts=2, typed_relations=3)


def _wait_until_finished(registry: JobRegistry, job_id: str) -> Job:
    for _ in range(500):
        job = registry.get(job_id)
        assert job is not None
        if job.state in ("done", "failed"):
            return job
        time.sleep(0.01)
    raise AssertionError(f"job {job_id} did not finish")


def test_a_job_run_by_one_process_is_read_by_another(tmp_path: Path) -> None:
    release = threading.Event()

    def work(progress):  # type: ignore[no-untyped-def]
        progress("extract", 1, 2)
        release.wait(10)
        return REPORT

    runner = JobRegistry(tmp_path / "jobs")
    job = runner.submit(["a.md"], work)
    try:
        for _ in range(500):
            current = runner.get(job.id)
            if current is not None and current.stage == "extract":
                break
            time.sleep(0.01)
        # A separate Python process (a second server worker) reads the running job from the same directory.
        reader = [sys.executable, "-c", "import sys; from pathlib import Path; from api.jobs import JobRegistry; "
                  "print(JobRegistry(Path(sys.argv[1])).get(sys.argv[2]).model_dump_json())",
                  str(tmp_path / "jobs"), job.id]
        seen = Job.model_validate_json(subprocess.run(reader, cwd=ROOT, capture_output=True, text=True,
                                                      check=True).stdout)
        assert (seen.state, seen.stage, seen.done, seen.total) == ("running", "extract", 1, 2)
    finally:
        release.set()
    done = _wait_until_finished(JobRegistry(tmp_path / "jobs"), job.id)
    assert done.state == "done" and done.result == REPORT
    runner.close()


def test_a_failed_job_keeps_the_domain_error(tmp_path: Path) -> None:
    def work(progress):  # type: ignore[no-untyped-def]
        raise StoreLocked("the store is locked by another writer")

    registry = JobRegistry(tmp_path / "jobs")
    failed = _wait_until_finished(registry, registry.submit(["a.md"], work).id)
    registry.close()
    assert failed.state == "failed" and failed.error is not None and "locked" in failed.error.message


def test_a_job_whose_process_stopped_reads_as_interrupted(tmp_path: Path) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a pid that no longer runs
    registry = JobRegistry(tmp_path / "jobs")
    (tmp_path / "jobs").mkdir()
    record = JobRecord(pid=gone.pid, job=Job(id="abc123", state="running", stage="extract", files=["a.md"]))
    (tmp_path / "jobs" / "abc123.json").write_text(record.model_dump_json())
    job = registry.get("abc123")
    assert job is not None and job.state == "failed" and job.error is not None
    assert job.error.code == "job_interrupted"


def test_unknown_and_malformed_job_ids_are_not_found(tmp_path: Path) -> None:
    registry = JobRegistry(tmp_path / "jobs")
    (tmp_path / "jobs").mkdir()
    (tmp_path / "jobs" / "broken.json").write_text("{not json")
    assert registry.get("nope") is None
    assert registry.get("broken") is None
    assert registry.get("../jobs/broken") is None  # ids never name a path outside the directory


def test_only_the_latest_jobs_are_kept(tmp_path: Path) -> None:
    jobs = tmp_path / "jobs"
    jobs.mkdir()
    for number in range(KEPT_JOBS + 5):
        record = JobRecord(pid=1, job=Job(id=f"old{number}", state="done", files=[]))
        path = jobs / f"old{number}.json"
        path.write_text(record.model_dump_json())
        stamp = 1_000_000 + number
        os.utime(path, (stamp, stamp))
    registry = JobRegistry(jobs)
    registry.submit([], lambda progress: REPORT)
    registry.close()
    kept = {p.stem for p in jobs.glob("*.json")}
    assert len(kept) == KEPT_JOBS and "old0" not in kept and f"old{KEPT_JOBS + 4}" in kept
