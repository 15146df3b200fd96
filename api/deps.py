"""Request dependencies: the service, the current snapshot, the write token check and list parameters."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Query, Request
from pydantic import AfterValidator
from starlette.concurrency import run_in_threadpool

from api.errors import ApiError
from api.jobs import JobRegistry
from api.service import Snapshot, StudyService
from graph.normalize import profile_name
from settings import Settings


async def get_service(request: Request) -> StudyService:
    return request.app.state.service


async def get_jobs(request: Request) -> JobRegistry:
    return request.app.state.jobs


async def get_settings_of(request: Request) -> Settings:
    return request.app.state.settings


async def current_snapshot(service: Annotated[StudyService, Depends(get_service)]) -> Snapshot:
    """Taken once per request: the whole answer comes from one committed graph.

    The dependencies are coroutines so they run on the event loop: as plain functions each one was a hop
    through the thread pool, which cost more than a concept lookup. The revision check is a stat (embedded)
    or one small query (Neo4j). A request that has to wait for a newer graph waits in the thread pool: on the
    loop, its wait held every other request too.
    """
    return service.snapshot_at_hand() or await run_in_threadpool(service.snapshot)


async def require_writer(request: Request, settings: Annotated[Settings, Depends(get_settings_of)]) -> None:
    """Writes need `Authorization: Bearer <STUDYGRAPH_API_TOKEN>` when a token is configured."""
    if settings.api_token is None:
        return
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    expected = settings.api_token.get_secret_value()
    if scheme.lower() != "bearer" or not secrets.compare_digest(given.strip().encode(), expected.encode()):
        raise ApiError(401, "unauthorized", "this endpoint needs 'Authorization: Bearer <token>' "
                       "(the server's STUDYGRAPH_API_TOKEN)", headers={"WWW-Authenticate": "Bearer"})


async def known_list(
    snapshot: Annotated[Snapshot, Depends(current_snapshot)],
    service: Annotated[StudyService, Depends(get_service)],
    known: Annotated[list[str], Query(description="concepts the learner knows: repeat the parameter or separate "
                                      "names with commas", max_length=200)] = [],  # noqa: B006  (FastAPI copies it)
    profile: Annotated[str | None, Query(min_length=1, max_length=100, description="a learner profile (GET /profiles/"
                                         "{name}) whose known concepts apply when `known` is not given"),
                       AfterValidator(profile_name)] = None,
) -> list[str]:
    names = [part.strip() for value in known for part in value.split(",") if part.strip()]
    if names or profile is None:
        return names
    chosen = await run_in_threadpool(service.store.profile, profile)  # a file read or a query: off the loop
    return [c for c in chosen.known if c in snapshot.concepts]  # one whose document went is passed over


SnapshotDep = Annotated[Snapshot, Depends(current_snapshot)]
ServiceDep = Annotated[StudyService, Depends(get_service)]
JobsDep = Annotated[JobRegistry, Depends(get_jobs)]
SettingsDep = Annotated[Settings, Depends(get_settings_of)]
KnownDep = Annotated[list[str], Depends(known_list)]
Writer = Depends(require_writer)
