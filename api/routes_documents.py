"""Documents: list, detail, upload (small ones at once, large ones as a job) and removal."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Request, UploadFile, status
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from api.deps import JobsDep, ServiceDep, SettingsDep, SnapshotDep, Writer
from api.errors import (
    ERROR_RESPONSES,
    UNAUTHORIZED,
    UNAVAILABLE,
    WRITE_ERROR_RESPONSES,
    ApiError,
    error_responses,
)
from api.jobs import KEPT_JOBS
from api.schemas import DocumentDetail, DocumentSummary, ImportReport, IngestReport, Job, RemovalReport, SkippedFile
from api.service import StudyService
from api.uploads import read_uploads
from api.views import document_detail, document_summary
from graph.errors import DocumentNotFound
from graph.importing import read_graph_file
from ingest.pipeline import Progress
from ingest.reader import Skipped, SourceFile

router = APIRouter(tags=["documents"])

# What the two upload endpoints really answer when they refuse; their bodies are described in api/openapi.py.
_UPLOAD_ERRORS = error_responses(
    (400, "a multipart Content-Type without its boundary"), UNAUTHORIZED,
    (413, "body over the upload limit (payload_too_large) or more files than STUDYGRAPH_MAX_UPLOAD_FILES "
          "(too_many_files)"),
    (422, "no 'files' part, or a part that is no file (invalid_request); no file could be ingested "
          "(input_refused, details.skipped says why for each)"), UNAVAILABLE)
_IMPORT_ERRORS = error_responses(
    (400, "the body stopped arriving for longer than STUDYGRAPH_BODY_READ_TIMEOUT_SECONDS (body_incomplete), or "
          "JSON past the parser's limits: nested thousands deep, a number of thousands of digits (input_limit)"),
    UNAUTHORIZED, (413, "graph file over STUDYGRAPH_MAX_FILE_BYTES"),
    (415, "a Content-Type other than application/json (unsupported_media_type)"),
    (422, "not JSON, not a graph file, or a relation naming a concept the file lacks (input_refused); a bad "
          "`replace` (invalid_request)"), UNAVAILABLE)


@router.get("/documents", response_model=list[DocumentSummary], responses=ERROR_RESPONSES)
def list_documents(snapshot: SnapshotDep) -> list[DocumentSummary]:
    """Every ingested document, by id."""
    return [document_summary(d) for d in snapshot.graph.documents]


@router.get("/documents/{document_id:path}", response_model=DocumentDetail, responses=ERROR_RESPONSES)
def get_document(document_id: str, snapshot: SnapshotDep) -> DocumentDetail:
    """A document's sections, questions and the concepts it mentions."""
    document = snapshot.documents.get(document_id)
    if document is None:
        raise DocumentNotFound(document_id, sorted(snapshot.documents))
    return document_detail(snapshot, document)


@router.post("/documents", status_code=status.HTTP_201_CREATED, response_model=None, dependencies=[Writer],
             responses={**_UPLOAD_ERRORS,
                        201: {"model": IngestReport, "description": "small upload: ingested before the response"},
                        202: {"model": Job, "description": "large upload: ingest job started; poll the Location "
                                                           "(GET /jobs/{id})"}})
async def upload_documents(files: Annotated[list[UploadFile], File()],
                           service: ServiceDep, jobs: JobsDep, settings: SettingsDep) -> JSONResponse:
    """Ingest uploaded notes: re-uploading a file replaces that document; refused files are listed, not fatal."""
    sources, skipped = await read_uploads(files, settings.max_upload_files, settings.max_file_bytes)
    if not sources:
        raise ApiError(422, "input_refused", "no uploaded file could be ingested",
                       {"skipped": [{"name": s.path, "reason": s.reason} for s in skipped]})
    if sum(len(s.text.encode()) for s in sources) <= settings.sync_ingest_bytes:
        report = await run_in_threadpool(ingest_report, service, sources, skipped, None)
        return JSONResponse(report.model_dump(mode="json"), status_code=status.HTTP_201_CREATED)
    job = jobs.submit([s.id for s in sources], lambda progress: ingest_report(service, sources, skipped, progress))
    return JSONResponse(job.model_dump(mode="json"), status_code=status.HTTP_202_ACCEPTED,
                        headers={"Location": f"/jobs/{job.id}"})


def ingest_report(service: StudyService, sources: list[SourceFile], skipped: list[Skipped],
                  progress: Progress | None) -> IngestReport:
    before = set(service.store.document_hashes())
    result = service.ingest(sources, progress)
    ingested = [s.id for s in result.sources]
    snapshot = service.snapshot()
    return IngestReport(ingested=ingested, replaced=[d for d in ingested if d in before], unchanged=result.unchanged,
                        skipped=[SkippedFile(name=s.path, reason=s.reason) for s in [*skipped, *result.duplicates]],
                        documents=len(snapshot.graph.documents), concepts=len(snapshot.graph.concepts),
                        typed_relations=snapshot.typed_count)


@router.get("/jobs/{job_id}", response_model=Job, responses=ERROR_RESPONSES)
def get_job(job_id: str, jobs: JobsDep) -> Job:
    """Progress of a background ingest: queued, running (stage, done of total), done (result) or failed (error)."""
    job = jobs.get(job_id)
    if job is None:
        raise ApiError(404, "job_not_found", f"no ingest job {job_id!r} (the latest {KEPT_JOBS} jobs are kept)",
                       {"job": job_id})
    return job


@router.delete("/documents/{document_id:path}", response_model=RemovalReport, responses=WRITE_ERROR_RESPONSES,
               dependencies=[Writer])
def delete_document(document_id: str, service: ServiceDep) -> RemovalReport:
    """Remove a document and everything only it supported."""
    graph = service.remove(document_id)
    return RemovalReport(removed=document_id, documents=len(graph.documents), concepts=len(graph.concepts))


@router.post("/import", response_model=ImportReport, responses=_IMPORT_ERRORS, dependencies=[Writer])
async def import_graph(request: Request, service: ServiceDep, settings: SettingsDep,
                       replace: Annotated[bool, Query(description="drop every document not in the file")] = False,
                       ) -> ImportReport:
    """Load a graph file as `GET /export` or `studygraph export` writes it (the request body, JSON): checked whole
    before anything is written; documents of the same id are replaced, others kept unless replace=true."""
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type != "application/json":
        # Only JSON: a form or text/plain body is what another site's page can send without asking (CSRF).
        raise ApiError(415, "unsupported_media_type", "send the graph file as 'Content-Type: application/json'",
                       {"content_type": media_type or None})
    raw = bytearray()
    try:
        async for chunk in request.stream():
            raw += chunk
            if len(raw) > settings.max_file_bytes:
                raise ApiError(413, "input_refused", f"a graph file may hold at most {settings.max_file_bytes} "
                               "bytes", {"limit": settings.max_file_bytes})
    except ClientDisconnect as exc:
        raise ApiError(400, "body_incomplete", "the graph file stopped arriving before its end (a pause longer "
                       "than STUDYGRAPH_BODY_READ_TIMEOUT_SECONDS, or the client went away)") from exc
    # Parsing 5 MB takes a second or two: in a worker thread, so other requests are served meanwhile.
    graphs = await run_in_threadpool(read_graph_file, bytes(raw), "the request body")
    graph, removed = await run_in_threadpool(service.import_graphs, graphs, replace)
    return ImportReport(imported=[g.document.id for g in graphs], removed=removed, documents=len(graph.documents),
                        concepts=len(graph.concepts), typed_relations=len(graph.typed_relations()))
