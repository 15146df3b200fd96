"""Progress over time, for the page's plots: per goal, the share of its plan's core steps known or practised by the
end of each day, and the reviews given each day by grade."""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import Field

from graph.models import Goal, Model, Profile
from graph.study.answers import StudyPath

# The plots cover at most this many days back: a study routine's recent weeks, not a year of dots.
MAX_DAYS = 60


class GoalSeries(Model):
    goal: str
    name: str
    done: list[float] = Field(description="per day of `days`: share of the plan's core steps known or practised by "
                                          "that day's end (0..1)")


class ReviewDay(Model):
    day: date
    again: int = 0
    hard: int = 0
    good: int = 0
    easy: int = 0


class Timeline(Model):
    days: list[date] = Field(description="from the first day with a review or a known mark (at most 60 days back) "
                                         "to today, UTC")
    goals: list[GoalSeries]
    reviews: list[ReviewDay] = Field(description="one per day of `days`")


def timeline(plans: list[tuple[Goal, StudyPath]], profile: Profile, today: date) -> Timeline:
    """Each step counts from the day it was marked known or first practised; a concept known before marks were
    dated counts from the first day shown."""
    tested_by = {q.id: step.concept for _, plan in plans for step in plan.steps for q in step.questions}
    started: dict[str, date] = {}
    for review in profile.history:
        day = review.at.date()
        for concept in {*review.concepts, tested_by.get(review.question, "")} - {""}:
            started[concept] = min(started.get(concept, day), day)
    marked = {c: profile.known_since[c].date() if c in profile.known_since else date.min for c in profile.known}
    dated = [d for d in [*started.values(), *marked.values()] if d != date.min]
    first = max(min([*dated, today]), today - timedelta(days=MAX_DAYS - 1))
    days = [first + timedelta(days=n) for n in range((today - first).days + 1)]

    def since(concept: str) -> date | None:
        """The day a step counts as done from: its first mark or review, whichever came first."""
        days = [d for d in (marked.get(concept), started.get(concept)) if d is not None]
        return min(days) if days else None

    series = []
    for goal, plan in plans:
        starts = [since(step.concept) for step in plan.steps]
        total = max(len(plan.steps), 1)
        series.append(GoalSeries(goal=goal.concept, name=plan.target_name,
                                 done=[round(sum(s is not None and s <= day for s in starts) / total, 3)
                                       for day in days]))
    counts = {day: ReviewDay(day=day) for day in days}
    for review in profile.history:
        day = counts.get(review.at.date())
        if day is not None:
            setattr(day, review.grade.value, getattr(day, review.grade.value) + 1)
    return Timeline(days=days, goals=series, reviews=list(counts.values()))
