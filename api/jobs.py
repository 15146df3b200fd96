"""Background ingest jobs for large uploads: one worker thread per server process, progress readable from any.

Each job is a small JSON file in the data directory, replaced atomically on every change, so a server with
several worker processes answers `GET /jobs/{id}` from whichever process the poll reaches.
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pydantic import BaseModel, ValidationError

from api.errors import domain_error_info
from api.schemas import ErrorInfo, IngestReport, Job
from graph.errors import StudygraphError
from graph.store.durable_files import replace_file
from ingest.pipeline import Progress

log = logging.getLogger("studygraph.api")
KEPT_JOBS = 200
_UNFINISHED = ("queued", "running")

IngestWork = Callable[[Progress], IngestReport]


# This process's start token: a restarted server may get the same pid (always 1 as a container's first
# process), so a pid alone cannot tell it from the process that wrote a job.
PROCESS_TOKEN = uuid.uuid4().hex


class JobRecord(BaseModel):
    """A job as stored: the job and the process that runs it (to tell a stopped server's jobs from live ones)."""

    pid: int
    token: str = ""  # the runner's PROCESS_TOKEN; records written before tokens existed have none
    started: str | None = None  # the runner's start time as the kernel counts it (/proc), when known
    job: Job


class JobRegistry:
    """Runs ingest work off the request thread, one job at a time per process; keeps the latest jobs on disk."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="studygraph-ingest")

    def submit(self, files: list[str], work: IngestWork) -> Job:
        job = Job(id=uuid.uuid4().hex, state="queued", files=files)
        self.directory.mkdir(parents=True, exist_ok=True)
        with self._lock:
            self._save(job, durable=True)
        self._prune()
        self._pool.submit(self._run, job.id, work)
        return job

    def get(self, job_id: str) -> Job | None:
        """The job as last saved; a job whose process has stopped without finishing it reads as failed."""
        if not job_id.isalnum():
            return None  # ids are uuid hex: nothing else names a file in the directory
        try:
            record = JobRecord.model_validate_json(self._path(job_id).read_bytes())
        except (FileNotFoundError, ValidationError):
            return None
        job = record.job
        if job.state in _UNFINISHED and not _running(record):
            return job.model_copy(update={"state": "failed", "error": ErrorInfo(
                code="job_interrupted", message="the server process running this job stopped before it finished; "
                                                "upload the files again")})
        return job

    def _path(self, job_id: str) -> Path:
        return self.directory / f"{job_id}.json"

    def _save(self, job: Job, durable: bool) -> None:
        payload = JobRecord(pid=os.getpid(), token=PROCESS_TOKEN, started=_START, job=job).model_dump_json().encode()
        replace_file(self._path(job.id), payload, durable=durable)

    def _update(self, job_id: str, durable: bool = False, **changes: object) -> None:
        with self._lock:
            job = self.get(job_id)
            if job is not None:
                self._save(job.model_copy(update=changes), durable)

    def _prune(self) -> None:
        """Keep the latest KEPT_JOBS job files (by modification time); older ones are forgotten."""
        files = sorted(self.directory.glob("*.json"), key=_mtime_or_zero, reverse=True)
        for old in files[KEPT_JOBS:]:
            old.unlink(missing_ok=True)

    def _run(self, job_id: str, work: IngestWork) -> None:
        self._update(job_id, state="running", stage="reading")

        def progress(stage: str, done: int, total: int) -> None:
            self._update(job_id, stage=stage, done=done, total=total)

        try:
            result = work(progress)
        except StudygraphError as exc:
            self._update(job_id, durable=True, state="failed", error=domain_error_info(exc)[1])
        except Exception:
            log.exception("ingest job %s failed", job_id)
            self._update(job_id, durable=True, state="failed",
                         error=ErrorInfo(code="internal_error", message="internal error; the server log has the details"))
        else:
            self._update(job_id, durable=True, state="done", stage="done", result=result)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def _running(record: JobRecord) -> bool:
    """Whether the process that wrote the record still runs: this very process (same token), or another one with
    that pid whose start time matches (a reused pid, such as a restarted container's 1, is not it)."""
    if record.token == PROCESS_TOKEN:
        return True
    if record.pid == os.getpid():
        return False  # our pid, another token: the writer was an earlier process with the same pid
    try:
        os.kill(record.pid, 0)  # signal 0 checks without sending anything
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    started = _process_start(record.pid)
    return record.started is None or started is None or started == record.started


def _process_start(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat), where /proc exists."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[-1].split()[19]


_START = _process_start(os.getpid())


def _mtime_or_zero(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0
