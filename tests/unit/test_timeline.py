"""Progress over time from a profile alone, at fixed dates: a step counts from the day it was marked known or
first practised, concepts known before marks were dated count from the first day, reviews are counted per day by
grade, and the window is capped."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from graph.models import Goal, Grade, Profile, Review
from graph.study.answers import QuestionRef, StudyPath, StudyStep
from graph.study.timeline import MAX_DAYS, timeline

TODAY = date(2026, 11, 30)
QUESTION = QuestionRef(id="d:L5", text="why b?", document="d", line=5, answered=True)


def at(days_ago: int) -> datetime:
    return datetime.combine(TODAY - timedelta(days=days_ago), datetime.min.time(), UTC) + timedelta(hours=9)


def plan() -> list[tuple[Goal, StudyPath]]:
    steps = [StudyStep(order=n, concept=c, name=c.upper(), depth=0, effort_minutes=20,
                       questions=[QUESTION] if c == "b" else []) for n, c in enumerate("abcd", start=1)]
    return [(Goal(concept="d"), StudyPath(target="d", target_name="D", steps=steps))]


def review(question: str, concepts: list[str], days_ago: int, grade: Grade) -> Review:
    return Review(question=question, text="?", concepts=concepts, at=at(days_ago), grade=grade)


def test_steps_count_from_their_first_mark_or_review() -> None:
    profile = Profile(name="me", known=["a", "c"], known_since={"c": at(1)},
                      history=[review("d:L5", [], 3, Grade.AGAIN), review("d:L5", [], 0, Grade.GOOD),
                               review("x:L1", ["d"], 0, Grade.EASY)])
    shown = timeline(plan(), profile, TODAY)
    assert shown.days == [TODAY - timedelta(days=n) for n in (3, 2, 1, 0)]
    # a: known before marks were dated (from the start); b: practised 3 days ago; c: marked yesterday; d: today
    assert shown.goals[0].done == [0.5, 0.5, 0.75, 1.0]
    assert [(r.again, r.good, r.easy) for r in shown.reviews] == [(1, 0, 0), (0, 0, 0), (0, 0, 0), (0, 1, 1)]


def test_a_new_profile_shows_today_only_and_old_activity_is_cut_off() -> None:
    empty = timeline(plan(), Profile(name="me"), TODAY)
    assert empty.days == [TODAY] and empty.goals[0].done == [0.0] and empty.reviews[0].good == 0
    old = timeline(plan(), Profile(name="me", history=[review("d:L5", [], 400, Grade.HARD)]), TODAY)
    assert len(old.days) == MAX_DAYS and old.goals[0].done[0] == 0.25
