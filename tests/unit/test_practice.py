"""FSRS scheduling of the notes' questions on a profile, at fixed times: new questions are due, 'again' comes back
within minutes, 'good' and 'easy' later; a profile written before practice existed reads with no cards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from graph.models import Grade, Profile
from graph.study.answers import QuestionRef
from graph.study.practice import due_first, graded, retrievability

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
QUESTIONS = [QuestionRef(id=f"d:L{n}", text=f"q{n}", document="d", line=n, answered=True) for n in (1, 2, 3)]


def test_grades_reschedule_and_append_to_the_history() -> None:
    profile = Profile(name="me")
    assert due_first(profile, QUESTIONS, NOW) == QUESTIONS
    for question, grade in zip(QUESTIONS, (Grade.GOOD, Grade.EASY, Grade.AGAIN), strict=True):
        profile = graded(profile, question, ["c"], grade, NOW)
    assert [r.grade for r in profile.history] == [Grade.GOOD, Grade.EASY, Grade.AGAIN]
    assert due_first(profile, QUESTIONS, NOW) == []
    assert due_first(profile, QUESTIONS, NOW + timedelta(minutes=5)) == [QUESTIONS[2]]
    assert due_first(profile, QUESTIONS, NOW + timedelta(minutes=15)) == [QUESTIONS[2], QUESTIONS[0]]
    assert profile.cards["d:L2"].due > NOW + timedelta(days=1)
    assert 0.9 < retrievability(profile.cards["d:L1"], NOW + timedelta(minutes=15)) <= 1.0


def test_cards_survive_json_and_old_profiles_have_none() -> None:
    profile = graded(Profile(name="me"), QUESTIONS[0], ["c"], Grade.HARD, NOW)
    assert Profile.model_validate_json(profile.model_dump_json()) == profile
    assert Profile.model_validate_json('{"name": "me", "known": [], "goals": [], "history": []}').cards == {}
