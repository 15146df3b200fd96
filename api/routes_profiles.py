"""Learner profiles: known concepts, goals and practice history (the CLI's `profile`, `know` and `goal`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi import Path as PathParam
from pydantic import AfterValidator

from api.deps import ServiceDep, SnapshotDep, Writer
from api.errors import ERROR_RESPONSES, WRITE_ERROR_RESPONSES, ApiError, error_responses
from api.schemas import GoalRequest, KnownChange, ProfileView, ReviewRequest
from api.service import Snapshot
from graph.models import Goal, Profile
from graph.normalize import profile_name
from graph.study.answers import QuestionRef
from graph.study.practice import HISTORY_LIMIT, graded
from graph.study.progress import ProgressReport, progress_report
from graph.study.session import PracticeRound, practice_round

router = APIRouter(tags=["profiles"])

_BODY_WRITE_ERRORS = {**WRITE_ERROR_RESPONSES, **error_responses((400, "a body that is not JSON"))}
GoalQuery = Annotated[str | None, Query(min_length=1, max_length=200,
                                        description="one concept's plan instead of the profile's goals")]
ProfileName = Annotated[str, PathParam(min_length=1, max_length=100, description="profile name, e.g. me: "
                                       "NFKC-normalised, trimmed and case-folded; no control, direction or "
                                       "zero-width characters"), AfterValidator(profile_name)]
HistoryQuery = Annotated[int, Query(ge=0, le=HISTORY_LIMIT, description="how many of the latest reviews the "
                                    "answer carries (`history_total` says how many there are)")]
HISTORY_SHOWN = 100


def _view(profile: Profile, history: int) -> ProfileView:
    """The profile with its latest `history` reviews: a learner's whole history can run to megabytes."""
    shown = profile.history[-history:] if history else []
    return ProfileView(**{**dict(profile), "history": shown}, history_total=len(profile.history))


@router.get("/profiles/{name}", response_model=ProfileView, responses=ERROR_RESPONSES)
def get_profile(name: ProfileName, service: ServiceDep, history: HistoryQuery = HISTORY_SHOWN) -> ProfileView:
    """Known concept ids, goals, card states and the latest practice history; a profile never written is empty."""
    return _view(service.store.profile(name), history)


@router.post("/profiles/{name}/known", response_model=ProfileView, responses=_BODY_WRITE_ERRORS,
             dependencies=[Writer])
def change_known(name: ProfileName, body: KnownChange, service: ServiceDep, snapshot: SnapshotDep,
                 history: HistoryQuery = HISTORY_SHOWN) -> ProfileView:
    """Mark concepts known (or `forget` them); an unknown name changes nothing (404 with close matches)."""
    ids = snapshot.index.resolve_all(body.concepts)
    return _view(service.store.update_profile(name, lambda p: p.forgetting(ids) if body.forget else
                                              p.knowing(ids, datetime.now(UTC))), history)


@router.post("/profiles/{name}/goals", response_model=ProfileView, responses=_BODY_WRITE_ERRORS,
             dependencies=[Writer])
def add_goal(name: ProfileName, body: GoalRequest, service: ServiceDep, snapshot: SnapshotDep,
             history: HistoryQuery = HISTORY_SHOWN) -> ProfileView:
    """Aim at a concept, by a date or open-ended; a goal set again takes the new date."""
    goal = Goal(concept=snapshot.index.resolve(body.concept), by=body.by)
    return _view(service.store.update_profile(name, lambda p: p.aiming_at(goal)), history)


@router.delete("/profiles/{name}/goals/{concept}", response_model=ProfileView, responses=WRITE_ERROR_RESPONSES,
               dependencies=[Writer])
def drop_goal(name: ProfileName, concept: str, service: ServiceDep, snapshot: SnapshotDep,
              history: HistoryQuery = HISTORY_SHOWN) -> ProfileView:
    """End a goal (a concept that is no goal leaves the profile as it is)."""
    concept_id = snapshot.index.resolve(concept)
    return _view(service.store.update_profile(name, lambda p: p.without_goal(concept_id)), history)


@router.post("/profiles/{name}/reviews", response_model=ProfileView, responses=_BODY_WRITE_ERRORS,
             dependencies=[Writer])
def add_review(name: ProfileName, body: ReviewRequest, service: ServiceDep, snapshot: SnapshotDep,
               history: HistoryQuery = HISTORY_SHOWN) -> ProfileView:
    """Record a practice answer graded by the learner: FSRS reschedules the question (as `studygraph practice`
    does) and the review joins the history with the question's text and concepts, so it still reads after its
    document is removed."""
    found = next(((d, q) for d in snapshot.graph.documents for q in d.questions if q.id == body.question), None)
    if found is None:
        raise ApiError(404, "question_not_found", f"no question {body.question!r} in the notes (GET /documents/"
                       "{id} lists a document's questions)", {"question": body.question})
    document, question = found
    ref = QuestionRef(id=question.id, text=question.text, document=document.id, line=question.line,
                      difficulty=question.difficulty, answered=question.answered)
    return _view(service.store.update_profile(name, lambda p: graded(p, ref, question.concepts, body.grade,
                                                                     datetime.now(UTC))), history)


def _goals(profile: Profile, goal: str | None, snapshot: Snapshot) -> list[Goal]:
    return [Goal(concept=snapshot.index.resolve(goal))] if goal else profile.goals


@router.get("/profiles/{name}/practice", response_model=PracticeRound, responses=ERROR_RESPONSES)
def get_practice(name: ProfileName, service: ServiceDep, snapshot: SnapshotDep, goal: GoalQuery = None,
                 limit: Annotated[int, Query(ge=1, le=200, description="at most this many due cards")] = 20,
                 ) -> PracticeRound:
    """The due questions on the plans of the profile's goals (or of `goal`), most urgent first, each with the
    notes' answer; grade one with POST /profiles/{name}/reviews. `to_write` lists the questions the notes leave
    unanswered. A profile without goals gets an empty round."""
    profile = service.store.profile(name)
    return practice_round(snapshot.index, service.answers(snapshot), profile, _goals(profile, goal, snapshot),
                          datetime.now(UTC), limit)


@router.get("/profiles/{name}/progress", response_model=ProgressReport, responses=ERROR_RESPONSES)
def get_progress(name: ProfileName, service: ServiceDep, snapshot: SnapshotDep, goal: GoalQuery = None,
                 minutes_per_day: Annotated[int, Query(ge=1, le=1440, description="study minutes a day, for the "
                                                       "date estimate")] = 30) -> ProgressReport:
    """Per goal: core steps known, learning or unknown, questions due today, the retention FSRS predicts and a
    finish date; and the timeline behind it (share of each plan done per day, reviews per day)."""
    profile = service.store.profile(name)
    return progress_report(snapshot.index, profile, _goals(profile, goal, snapshot), datetime.now(UTC),
                           minutes_per_day)
