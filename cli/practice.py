"""Practice and progress: a spaced-repetition session over the questions on the profile's plans, and how far each
goal has come."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import TypeAdapter
from rich.markup import escape
from rich.prompt import Prompt

from cli.common import configured_store, console, fail, flat, load_study_index, print_labelled, profile_name, refuse
from graph.errors import StudygraphError
from graph.models import Goal, Grade, Profile

if TYPE_CHECKING:
    from graph.study.answers import QuestionRef, StudyPath
    from graph.study.index import StudyIndex

commands = typer.Typer()

KEYS = {"1": Grade.AGAIN, "2": Grade.HARD, "3": Grade.GOOD, "4": Grade.EASY}
GoalOption = Annotated[str | None, typer.Option("--goal", metavar="CONCEPT",
                                                help="Practise for this concept's plan instead of the profile's goals.")]


def _goals(profile: Profile, concept: str | None) -> list[Goal]:
    goals = [Goal(concept=concept)] if concept else profile.goals
    if not goals:
        raise refuse("no goal: give --goal CONCEPT, or set one with `studygraph goal CONCEPT`", 3)
    return goals


def _plans(index: StudyIndex, goals: list[Goal]) -> list[StudyPath]:
    """The plan of each goal with every core step (see `goal_plans`); a goal not in the notes is an error here,
    with the close matches the planner suggests."""
    from graph.study.plans import study_path
    from graph.study.session import goal_plans

    plans, gone = goal_plans(index, goals)
    try:
        for concept in gone:
            study_path(index, concept)
    except StudygraphError as exc:
        raise fail(exc) from exc
    return [plan for _, plan in plans]


def _answers() -> dict[str, str]:
    """Question id -> the notes' answer lines (as `export --format anki` cuts them)."""
    from ingest.answers import answers_of

    try:
        return answers_of(configured_store().document_graphs().values())
    except StudygraphError as exc:
        raise fail(exc) from exc


def _record(name: str, question: QuestionRef, concepts: list[str], grade: Grade) -> Profile:
    """One graded answer written at once (read, reschedule, append, store atomically): a session cut short keeps
    every grade given so far."""
    from graph.study.practice import graded

    try:
        return configured_store().update_profile(name, lambda p: graded(p, question, concepts, grade,
                                                                         datetime.now(UTC)))
    except StudygraphError as exc:
        raise fail(exc) from exc


@commands.command()
def practice(goal: GoalOption = None,
             minutes: Annotated[int, typer.Option(metavar="N", help="Stop after this many minutes.")] = 20) -> None:
    """Practise the due questions on your plans: the question, Enter for the notes' answer, then your grade (1 again,
    2 hard, 3 good, 4 easy); FSRS schedules the next review. Stops when time is up or nothing is due."""
    from graph.study.session import practice_round

    name = profile_name()
    try:
        profile = configured_store().profile(name)
    except StudygraphError as exc:
        raise fail(exc) from exc
    index = load_study_index()
    goals = _goals(profile, goal)
    plans = _plans(index, goals)  # a goal not in the notes stops here, with close matches
    answers = _answers()
    concepts_of = {q.id: q.concepts for d in index.graph.documents for q in d.questions}
    deadline, done = time.monotonic() + minutes * 60, 0
    round_ = practice_round(index, answers, profile, goals, datetime.now(UTC), limit=1, plans=plans)
    while time.monotonic() < deadline and round_.due:
        card = round_.due[0]
        question = card.question
        console.print(f"\n[bold]Q{done + 1}.[/bold] {flat(question.text, 400)}  "
                      f"[dim]{escape(question.document)}:{question.line}[/dim]", highlight=False)
        try:
            console.input("[dim](Enter shows the answer)[/dim] ")
            console.print(escape(card.answer))
            key = Prompt.ask("grade: 1 again, 2 hard, 3 good, 4 easy", choices=list(KEYS), console=console)
        except (EOFError, KeyboardInterrupt):  # Ctrl-D / Ctrl-C ends the session; the grades given are kept
            console.print()
            break
        profile = _record(name, question, concepts_of.get(question.id) or [card.concept], KEYS[key])
        done += 1
        round_ = practice_round(index, answers, profile, goals, datetime.now(UTC), limit=1, plans=plans)
    if round_.due_count:
        console.print(f"\n[bold]{done} reviewed[/bold]; {round_.due_count} still due")
    else:
        next_due = f" (the next falls due {round_.next_due.astimezone():%Y-%m-%d %H:%M})" if round_.next_due else ""
        console.print(f"\n[bold]{done} reviewed[/bold]; nothing more is due{next_due}")
    if round_.to_write:
        console.print(f"[bold]write the answer[/bold] ({len(round_.to_write)}: the notes do not answer these; "
                      f"`studygraph gaps {escape(round_.goals[0].name)}` shows what else they leave open)")
        for question in round_.to_write:
            print_labelled(f"[dim]{escape(question.document)}:{question.line}[/dim]", flat(question.text, 120), 2)


@commands.command()
def progress(as_json: Annotated[bool, typer.Option("--json", help="Print each goal's progress as stable JSON "
                                                                  "instead of text.")] = False,
             goal: GoalOption = None,
             per_day: Annotated[int, typer.Option("--minutes-per-day", metavar="N",
                                                  help="Study minutes a day, for the date estimate.")] = 30) -> None:
    """Progress on each goal: the plan's core steps known, learning or unknown, questions due today, the retention
    FSRS predicts, and when the remaining effort would be done, against the goal's date."""
    from graph.study.progress import GoalProgress, goal_progress

    try:
        profile = configured_store().profile(profile_name())
    except StudygraphError as exc:
        raise fail(exc) from exc
    goals = _goals(profile, goal)
    now = datetime.now(UTC)
    report = [goal_progress(plan, g, profile, now, per_day) for plan, g in zip(_plans(load_study_index(), goals),
                                                                               goals, strict=True)]
    if as_json:
        return typer.echo(TypeAdapter(list[GoalProgress]).dump_json(report, indent=2).decode())
    for item in report:
        date_note = (f", by {item.by}: {'on track' if item.on_track else '[red]behind[/red]'}" if item.by else "")
        console.print(f"[bold]{escape(item.name)}[/bold]: done ~{item.estimate}{date_note} "
                      f"({item.remaining_minutes} min left at {per_day} min a day)")
        for status in ("known", "learning", "unknown"):
            names = [s.name for s in item.steps if s.status == status]
            print_labelled(f"{status} ({len(names)}):", escape(", ".join(names) or "none"), 2)
        retention = f"{item.retention:.0%}" if item.retention is not None else "no reviews yet"
        print_labelled("questions:", f"{item.questions} answered in the notes, {item.reviewed} reviewed, "
                       f"{item.due_today} due today, {item.new} new; predicted retention {retention}", 2)
    return None
