"""Study answers: paths, next topics, related topics and gaps (the same functions the CLI calls)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from api.deps import KnownDep, SnapshotDep
from api.errors import ERROR_RESPONSES
from api.views import ModelJSON
from graph.study.answers import Connection, GapReport, NextTopic, RelatedTopic, StudyPath
from graph.study.gaps import gaps
from graph.study.plans import path_between, study_path
from graph.study.topics import next_topics, related_topics

router = APIRouter(tags=["study"], responses=ERROR_RESPONSES)

Name = Annotated[str, Query(min_length=1, max_length=200, description="concept id, name or alias")]

# A plan of at most this many prerequisites takes a few milliseconds: it runs on the event loop, because the
# hop to a worker thread and back (and the GIL handover between the two) cost more than the plan itself.
# Larger or unlimited plans go to the thread pool so that one of them cannot hold every other request.
INLINE_PLAN_LIMIT = 100


@router.get("/paths/study", response_model=StudyPath)
async def get_study_path(snapshot: SnapshotDep, target: Name, known: KnownDep,
                         max_depth: Annotated[int | None, Query(ge=0, le=50, description="prerequisite hops back")]
                         = None,
                         limit: Annotated[int | None, Query(ge=0, le=1000,
                                                            description="at most this many core steps (10)")] = None,
                         all: Annotated[bool, Query(description="every reachable prerequisite as background")] = False,
                         ) -> ModelJSON:
    """What `target` needs most (core steps, foundations first) and the background, each step with the chain of
    relations to the target, where to read and its questions."""
    def plan() -> ModelJSON:
        return ModelJSON(study_path(snapshot.index, target, known, max_depth=max_depth, limit=limit, everything=all))

    return plan() if not all and (limit is None or limit <= INLINE_PLAN_LIMIT) else await run_in_threadpool(plan)


@router.get("/paths/between", response_model=Connection)
def get_path_between(snapshot: SnapshotDep, source: Name, target: Name) -> ModelJSON:
    """How `source` leads to `target`: the strongest prerequisite chain, else the shortest explained connection."""
    return ModelJSON(path_between(snapshot.index, source, target))


@router.get("/next", response_model=list[NextTopic])
def get_next(snapshot: SnapshotDep, known: KnownDep, limit: Annotated[int, Query(ge=1, le=200)] = 10,
             goal: Annotated[str | None, Query(min_length=1, max_length=200,
                                               description="rank by what this target needs most")] = None,
             ) -> list[NextTopic]:
    """The learnable frontier for someone who knows `known`: concepts whose core prerequisites are known, ranked
    by relevance to `goal`, or by how many concepts need them."""
    return next_topics(snapshot.index, known, limit=limit, goal=goal)


@router.get("/related/{concept}", response_model=list[RelatedTopic])
def get_related(concept: str, snapshot: SnapshotDep,
                limit: Annotated[int, Query(ge=1, le=200)] = 15) -> list[RelatedTopic]:
    """Comparisons, variants, alternatives and siblings of a concept, strongest first."""
    return related_topics(snapshot.index, concept, limit=limit)


@router.get("/gaps", response_model=GapReport)
def get_gaps(snapshot: SnapshotDep, a: Name, known: KnownDep,
             b: Annotated[str | None, Query(min_length=1, max_length=200, description="second topic")] = None,
             limit: Annotated[int, Query(ge=0, le=1000, description="items per kind")] = 10,
             all: Annotated[bool, Query(description="every item, uncapped")] = False,
             ) -> ModelJSON:
    """What the notes leave open around `a` (and between `a` and `b`): its own sections and close neighbours,
    each item checked against the text and explained in one line, capped per kind (`more` counts the rest)."""
    return ModelJSON(gaps(snapshot.index, a, b, known, limit=limit, everything=all))
