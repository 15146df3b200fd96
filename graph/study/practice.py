"""Spaced repetition over the notes' questions: which are due, grading one, what the scheduler predicts (FSRS)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from fsrs import Card, Rating, Scheduler, State

from graph.models import CardState, Grade, Profile, Review
from graph.study.answers import QuestionRef, StudyPath

RATINGS = {Grade.AGAIN: Rating.Again, Grade.HARD: Rating.Hard, Grade.GOOD: Rating.Good, Grade.EASY: Rating.Easy}
# Anki's defaults (90% desired retention, learning steps of 1 and 10 minutes); one scheduler for every command.
SCHEDULER = Scheduler()


def card_of(state: CardState | None, now: datetime) -> Card:
    """The FSRS card of a question; a question never reviewed is a new card, due now. The id is unused (the
    question id names the card), and fixed so building one never waits on the clock."""
    if state is None:
        return Card(card_id=0, due=now)
    return Card(card_id=0, state=State(state.state), step=state.step, stability=state.stability,
                difficulty=state.difficulty, due=state.due, last_review=state.last_review)


def state_of(card: Card) -> CardState:
    return CardState(state=card.state.value, step=card.step, stability=card.stability, difficulty=card.difficulty,
                     due=card.due, last_review=card.last_review)


# A profile keeps at most this many reviews, the latest: past it, the oldest are dropped down to HISTORY_KEPT at
# once, so a store appends to its history file and rewrites it only once every 2,000 reviews.
HISTORY_LIMIT = 20_000
HISTORY_KEPT = 18_000


def graded(profile: Profile, question: QuestionRef, concepts: list[str], grade: Grade, now: datetime) -> Profile:
    """This profile after one graded answer: the card rescheduled and the review appended to the history."""
    card, _ = SCHEDULER.review_card(card_of(profile.cards.get(question.id), now), RATINGS[grade], now)
    review = Review(question=question.id, text=question.text, concepts=concepts, at=now, grade=grade)
    history = [*profile.history, review]
    if len(history) > HISTORY_LIMIT:
        history = history[-HISTORY_KEPT:]  # the cards keep the schedule exactly; the history is what is shown
    return profile.model_copy(update={"cards": {**profile.cards, question.id: state_of(card)}, "history": history})


def is_due(profile: Profile, question_id: str, now: datetime) -> bool:
    """New questions are due at once; reviewed ones when the scheduler says."""
    state = profile.cards.get(question_id)
    return state is None or state.due <= now


def retrievability(state: CardState, now: datetime) -> float:
    """The chance, as FSRS predicts it, that the learner still recalls the answer now."""
    return float(SCHEDULER.get_card_retrievability(card_of(state, now), now))


def plan_questions(plans: Iterable[StudyPath]) -> list[tuple[QuestionRef, str]]:
    """Each question testing a core step of the plans, once, in study order, with the concept it tests."""
    seen: dict[str, tuple[QuestionRef, str]] = {}
    for plan in plans:
        for step in plan.steps:
            for question in step.questions:
                seen.setdefault(question.id, (question, step.concept))
    return list(seen.values())


def due_first(profile: Profile, questions: list[QuestionRef], now: datetime) -> list[QuestionRef]:
    """The due questions: reviewed ones first, most overdue first (forgetting is what FSRS guards against), then
    new ones in study order."""
    due = [q for q in questions if is_due(profile, q.id, now)]
    reviewed = sorted((q for q in due if q.id in profile.cards), key=lambda q: profile.cards[q.id].due)
    return [*reviewed, *(q for q in due if q.id not in profile.cards)]
