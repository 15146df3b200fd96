"""How far a learner is along a goal's plan: each core step known, learning or unknown, what is due, what the
scheduler predicts, and when the rest of the plan's effort would be done."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import Field

from graph.models import Goal, Model, Profile
from graph.study.answers import StudyPath
from graph.study.index import StudyIndex
from graph.study.practice import retrievability
from graph.study.session import goal_plans
from graph.study.timeline import Timeline, timeline


class StepProgress(Model):
    concept: str
    name: str
    status: Literal["known", "learning", "unknown"] = Field(description="known: in the profile's known list; "
                                                                          "learning: a question on it reviewed")
    effort_minutes: int


class GoalProgress(Model):
    goal: str
    name: str
    by: date | None = None
    steps: list[StepProgress]
    questions: int = Field(description="answered questions testing the core steps")
    reviewed: int = Field(description="of those, reviewed at least once")
    due_today: int = Field(description="reviewed questions the scheduler has due by the end of today")
    new: int = Field(description="answered questions never reviewed")
    retention: float | None = Field(default=None, description="mean FSRS retrievability of the reviewed "
                                                              "questions now; null before any review")
    remaining_minutes: int = Field(description="effort of the steps not known yet")
    estimate: date = Field(description="today plus the remaining minutes at minutes_per_day")
    on_track: bool | None = Field(default=None, description="estimate on or before `by`; null without a date")


def goal_progress(plan: StudyPath, goal: Goal, profile: Profile, now: datetime,
                  minutes_per_day: int) -> GoalProgress:
    """Progress on one goal, its plan built without skipping known steps (they count as done)."""
    reviewed_concepts = {c for review in profile.history for c in review.concepts}
    steps = [StepProgress(concept=s.concept, name=s.name, effort_minutes=s.effort_minutes,
                          status="known" if s.concept in profile.known else
                          "learning" if s.concept in reviewed_concepts or any(
                              q.id in profile.cards for q in s.questions) else "unknown")
             for s in plan.steps]
    answered = list({q.id: q for s in plan.steps for q in s.questions if q.answered})
    cards = [profile.cards[q] for q in answered if q in profile.cards]
    end_of_today = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), now.tzinfo)
    remaining = sum(s.effort_minutes for s in steps if s.status != "known")
    estimate = now.date() + timedelta(days=math.ceil(remaining / max(minutes_per_day, 1)))
    return GoalProgress(goal=plan.target, name=plan.target_name, by=goal.by, steps=steps, questions=len(answered),
                        reviewed=len(cards), due_today=sum(c.due < end_of_today for c in cards),
                        new=len(answered) - len(cards),
                        retention=round(sum(retrievability(c, now) for c in cards) / len(cards), 3) if cards else None,
                        remaining_minutes=remaining, estimate=estimate,
                        on_track=estimate <= goal.by if goal.by else None)


class ProgressReport(Model):
    """Every goal's progress and the history behind it, as the page shows them."""

    profile: str
    minutes_per_day: int
    goals: list[GoalProgress]
    gone: list[str] = Field(description="goals whose concept is no longer in the notes")
    timeline: Timeline


def progress_report(index: StudyIndex, profile: Profile, goals: list[Goal], now: datetime,
                    minutes_per_day: int) -> ProgressReport:
    plans, gone = goal_plans(index, goals)
    return ProgressReport(profile=profile.name, minutes_per_day=minutes_per_day,
                          goals=[goal_progress(plan, goal, profile, now, minutes_per_day) for goal, plan in plans],
                          gone=gone, timeline=timeline(plans, profile, now.date()))
