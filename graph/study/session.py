"""One practice round, the same for the terminal and the page: the plans of the learner's goals, the answered
questions on them that FSRS has due, and the questions the notes leave unanswered."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from graph.errors import StudygraphError
from graph.models import Goal, Model, Profile
from graph.study.answers import QuestionRef, StudyPath
from graph.study.index import StudyIndex
from graph.study.plans import study_path
from graph.study.practice import due_first, plan_questions


class PracticeCard(Model):
    """A due question with the notes' answer (the back of the card)."""

    question: QuestionRef
    concept: str = Field(description="the plan step the question tests")
    concept_name: str
    answer: str = Field(description="the notes' own lines answering it")
    new: bool = Field(description="never reviewed")


class GoalRef(Model):
    concept: str
    name: str


class PracticeRound(Model):
    """What is due now on the learner's plans, most urgent first."""

    profile: str
    goals: list[GoalRef] = Field(description="the goals whose plans the questions come from")
    gone: list[str] = Field(default_factory=list, description="goals whose concept is no longer in the notes")
    due: list[PracticeCard]
    due_count: int = Field(description="every due question, `due` may hold fewer")
    to_write: list[QuestionRef] = Field(description="questions on the plans the notes do not answer")
    next_due: datetime | None = Field(default=None, description="when the next question falls due, if none is now")


def goal_plans(index: StudyIndex, goals: list[Goal]) -> tuple[list[tuple[Goal, StudyPath]], list[str]]:
    """Each goal's plan with every core step, known ones too (knowing a concept is no reason to stop reviewing it,
    and progress counts known steps as done); goals whose concept left the notes come back apart."""
    plans: list[tuple[Goal, StudyPath]] = []
    gone: list[str] = []
    for goal in goals:
        try:
            plans.append((goal, study_path(index, goal.concept)))
        except StudygraphError:
            gone.append(goal.concept)
    return plans, gone


def practice_round(index: StudyIndex, answers: dict[str, str], profile: Profile, goals: list[Goal],
                   now: datetime, limit: int = 20, plans: list[StudyPath] | None = None) -> PracticeRound:
    """The due questions on the goals' plans that the notes answer, and the ones they leave to write. `plans`,
    when given, are the goals' plans already made (a session grading card after card plans once)."""
    if plans is None:
        made, gone = goal_plans(index, goals)
        plans = [plan for _, plan in made]
    else:
        gone = []
    testing = plan_questions(plans)
    practised = {q.id: (q, c) for q, c in testing if q.answered and answers.get(q.id, "").strip()}
    due = due_first(profile, [q for q, _ in practised.values()], now)
    names = index.concepts
    cards = [PracticeCard(question=q, concept=practised[q.id][1],
                          concept_name=names[practised[q.id][1]].name if practised[q.id][1] in names else "",
                          answer=answers[q.id], new=q.id not in profile.cards) for q in due[:limit]]
    later = [profile.cards[q].due for q in practised if q in profile.cards and profile.cards[q].due > now]
    return PracticeRound(profile=profile.name, gone=gone, next_due=min(later) if not due and later else None,
                         goals=[GoalRef(concept=plan.target, name=plan.target_name) for plan in plans], due=cards,
                         due_count=len(due), to_write=[q for q, _ in testing if q.id not in practised])
