"""Background ingest jobs for large uploads: one worker thread, progress readable while it runs."""

from __future__ import annotations

import logging
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from api.errors import domain_error_info
from api.schemas import ErrorInfo, IngestReport, Job
from graph.errors import StudygraphError
from ingest.pipeline import Progress

log = logging.getLogger("studygraph.api")
_KEPT_JOBS = 200

IngestWork = Callable[[Progress], IngestReport]


class JobRegistry:
    """Runs ingest work off the request thread, one job at a time; remembers the latest jobs' outcomes."""

    def __init__(self) -> None:
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="studygraph-ingest")

    def submit(self, files: list[str], work: IngestWork) -> Job:
        job = Job(id=uuid.uuid4().hex, state="queued", files=files)
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > _KEPT_JOBS:
                self._jobs.popitem(last=False)
        self._pool.submit(self._run, job.id, work)
        return job.model_copy()

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            job = self._jobs.get(job_id)
            return job.model_copy() if job else None

    def _update(self, job_id: str, **changes: object) -> None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is not None:
                self._jobs[job_id] = job.model_copy(update=changes)

    def _run(self, job_id: str, work: IngestWork) -> None:
        self._update(job_id, state="running", stage="reading")

        def progress(stage: str, done: int, total: int) -> None:
            self._update(job_id, stage=stage, done=done, total=total)

        try:
            result = work(progress)
        except StudygraphError as exc:
            self._update(job_id, state="failed", error=domain_error_info(exc)[1])
        except Exception:
            log.exception("ingest job %s failed", job_id)
            self._update(job_id, state="failed",
                         error=ErrorInfo(code="internal_error", message="internal error; the server log has the details"))
        else:
            self._update(job_id, state="done", stage="done", result=result)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
