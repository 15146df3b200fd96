"""Learner profiles: known concepts, goals and practice history (the CLI's `profile`, `know` and `goal`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter
from fastapi import Path as PathParam

from api.deps import ServiceDep, SnapshotDep, Writer
from api.errors import ERROR_RESPONSES, WRITE_ERROR_RESPONSES, ApiError, error_responses
from api.schemas import GoalRequest, KnownChange, ReviewRequest
from graph.models import Goal, Profile, Review

router = APIRouter(tags=["profiles"])

_BODY_WRITE_ERRORS = {**WRITE_ERROR_RESPONSES, **error_responses((400, "a body that is not JSON"))}
ProfileName = Annotated[str, PathParam(min_length=1, max_length=100, description="profile name, e.g. me")]


@router.get("/profiles/{name}", response_model=Profile, responses=ERROR_RESPONSES)
def get_profile(name: ProfileName, service: ServiceDep) -> Profile:
    """Known concept ids, goals and practice history; a profile never written is empty."""
    return service.store.profile(name)


@router.post("/profiles/{name}/known", response_model=Profile, responses=_BODY_WRITE_ERRORS,
             dependencies=[Writer])
def change_known(name: ProfileName, body: KnownChange, service: ServiceDep, snapshot: SnapshotDep) -> Profile:
    """Mark concepts known (or `forget` them); an unknown name changes nothing (404 with close matches)."""
    ids = snapshot.index.resolve_all(body.concepts)
    return service.store.update_profile(name, lambda p: p.forgetting(ids) if body.forget else p.knowing(ids))


@router.post("/profiles/{name}/goals", response_model=Profile, responses=_BODY_WRITE_ERRORS,
             dependencies=[Writer])
def add_goal(name: ProfileName, body: GoalRequest, service: ServiceDep, snapshot: SnapshotDep) -> Profile:
    """Aim at a concept, by a date or open-ended; a goal set again takes the new date."""
    goal = Goal(concept=snapshot.index.resolve(body.concept), by=body.by)
    return service.store.update_profile(name, lambda p: p.aiming_at(goal))


@router.delete("/profiles/{name}/goals/{concept}", response_model=Profile, responses=WRITE_ERROR_RESPONSES,
               dependencies=[Writer])
def drop_goal(name: ProfileName, concept: str, service: ServiceDep, snapshot: SnapshotDep) -> Profile:
    """End a goal (a concept that is no goal leaves the profile as it is)."""
    concept_id = snapshot.index.resolve(concept)
    return service.store.update_profile(name, lambda p: p.without_goal(concept_id))


@router.post("/profiles/{name}/reviews", response_model=Profile, responses=_BODY_WRITE_ERRORS,
             dependencies=[Writer])
def add_review(name: ProfileName, body: ReviewRequest, service: ServiceDep, snapshot: SnapshotDep) -> Profile:
    """Record a practice answer. The question's text and concepts are kept with it, so the history still reads
    after its document is removed."""
    question = next((q for d in snapshot.graph.documents for q in d.questions if q.id == body.question), None)
    if question is None:
        raise ApiError(404, "question_not_found", f"no question {body.question!r} in the notes (GET /documents/"
                       "{id} lists a document's questions)", {"question": body.question})
    review = Review(question=question.id, text=question.text, concepts=question.concepts,
                    at=datetime.now(UTC), grade=body.grade)
    return service.store.update_profile(name, lambda p: p.model_copy(update={"history": [*p.history, review]}))
