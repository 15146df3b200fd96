"""The study commands: path, next, related, gaps, doctor (human output, or --json), and the learner profile they
plan from when no --known is given: profile, know, goal."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from pydantic import BaseModel, TypeAdapter
from rich.markup import escape

from cli.common import (
    Known,
    configured_store,
    console,
    fail,
    flat,
    known_or_profile,
    load_graph,
    load_study_index,
    print_labelled,
    profile_name,
)
from graph.errors import StudygraphError
from graph.lookup import find_concept
from graph.models import Goal, Profile

if TYPE_CHECKING:
    from graph.study.answers import NextTopic, RelatedTopic
    from graph.study.index import StudyIndex

# The study modules bring networkx (a quarter of a second to import): each command imports what it uses, so
# `studygraph ingest` starts without them.

commands = typer.Typer()
T = TypeVar("T")

# Each command says what its --json prints.
PathJson = Annotated[bool, typer.Option("--json", help="Print the study path (or the --from/--to connection) as "
                                        "stable JSON instead of text.")]
NextJson = Annotated[bool, typer.Option("--json", help="Print the ranked topics as stable JSON instead of text.")]
RelatedJson = Annotated[bool, typer.Option("--json", help="Print the related topics as stable JSON instead of text.")]
GapsJson = Annotated[bool, typer.Option("--json", help="Print the gaps report as stable JSON instead of text.")]
ProfileJson = Annotated[bool, typer.Option("--json", help="Print the whole profile (with its history) as JSON.")]
DoctorJson = Annotated[bool, typer.Option("--json", help="Print the health report as stable JSON instead of text.")]


def _answer(compute: Callable[[], T], as_json: bool) -> T | None:
    """Run a study query: domain errors become the CLI's exit codes; with --json print it and return None."""
    try:
        result = compute()
    except StudygraphError as exc:
        raise fail(exc) from exc
    if as_json:
        _emit_json(result)  # type: ignore[arg-type]
        return None
    return result


def _emit_json(result: BaseModel | list[NextTopic] | list[RelatedTopic]) -> None:
    data = result.model_dump_json(indent=2) if isinstance(result, BaseModel) else TypeAdapter(
        type(result)).dump_json(result, indent=2).decode()
    typer.echo(data)


@commands.command()
def path(
    target: Annotated[str | None, typer.Argument(metavar="TARGET",
                                                 help="Concept to study (name, alias or id).")] = None,
    known: Known = None,
    source: Annotated[str | None, typer.Option("--from", metavar="CONCEPT",
                                               help="With --to: how one concept leads to another.")] = None,
    to: Annotated[str | None, typer.Option("--to", metavar="CONCEPT", help="Target of --from.")] = None,
    max_depth: Annotated[int | None, typer.Option(metavar="N", help="Only prerequisites this many steps back.")] = None,
    limit: Annotated[int | None, typer.Option(metavar="N", help="At most this many core steps (default 10).")] = None,
    everything: Annotated[bool, typer.Option("--all", help="List every reachable prerequisite as background.")] = False,
    as_json: PathJson = False,
) -> None:
    """Study path to TARGET: the prerequisites it needs most (core, foundations first), then background; why
    each is needed (the chain of relations to TARGET), where to read it and what tests it."""
    from graph.study.plans import path_between, study_path
    from graph.study.wording import arrow, statement

    try:
        index = load_study_index()
        if source or to:
            if not (source and to):
                raise typer.BadParameter("--from and --to go together")
            connection = path_between(index, source, to)
            if as_json:
                return _emit_json(connection)
            console.print(f"[bold]{escape(index.name(connection.source))} → {escape(index.name(connection.target))}"
                          f"[/bold]: {connection.kind}")
            for hop in connection.hops:
                print_labelled("", f"{escape(arrow(hop.source, hop.why, index.name))}   "
                               f"[cyan]{escape(statement(hop.why, index.name))}[/cyan]", 2)
                print_labelled(f"[dim]{escape(hop.why.where.document)}:{hop.why.where.line}[/dim]",
                               f"[dim]{flat(hop.why.sentence, 120)}[/dim]", 6)
            return None
        if not target:
            raise typer.BadParameter("give a TARGET, or --from A --to B")
    except StudygraphError as exc:
        raise fail(exc) from exc
    plan = _answer(lambda: study_path(index, target, known_or_profile(known, index), max_depth, limit, everything), as_json)
    if plan is None:
        return None
    console.print(f"[bold]Study path to {escape(plan.target_name)}[/bold] ({len(plan.steps)} steps, "
                  f"~{sum(s.effort_minutes for s in plan.steps)} min)")
    for step in plan.steps:
        stars = f" 难度 {step.difficulty:g}" if step.difficulty else ""
        console.print(f"{step.order:>3}. [bold]{escape(step.name)}[/bold]  ~{step.effort_minutes} min{stars}")
        if step.because and step.chain:
            print_labelled("why:", f"{escape(step.because)} — “{flat(step.chain[0].sentence, 100)}”", 5)
        for place in step.read_at[:2]:
            print_labelled("read:", f"{escape(place.document)}:{place.line} § {flat(place.section, 60)}", 5)
        for question in step.questions[:2]:
            state = "answered" if question.answered else "[yellow]unanswered[/yellow]"
            print_labelled("test:", f"{flat(question.text, 90)} ({state})", 5)
    if plan.background:
        shown = plan.background if everything else plan.background[:8]
        console.print(f"[dim]background ({len(plan.background)}, most relevant first): "
                      f"{escape(', '.join(s.name for s in shown))}{' …' if len(shown) < len(plan.background) else ''}"
                      f"{'' if everything else '  (--all lists everything reachable)'}[/dim]")
    if plan.skipped_known:
        console.print(f"[dim]skipped as known: {escape(', '.join(plan.skipped_known))}[/dim]")
    if not plan.complete:
        console.print(f"[dim]{plan.truncated or 'some'} further prerequisites not listed (--all lists them; "
                      f"--max-depth stops the walk)[/dim]")
    return None


def _nearest_goal(index: StudyIndex) -> str | None:
    """The profile's goal with the earliest date (undated ones after, in the order set) still in the notes."""
    try:
        goals = configured_store().profile(profile_name()).goals
    except StudygraphError as exc:
        raise fail(exc) from exc
    live = [g for g in goals if g.concept in index.concepts]
    return min(live, key=lambda g: (g.by is None, g.by or date.min)).concept if live else None


@commands.command(name="next")
def next_command(known: Known = None, limit: Annotated[int, typer.Option(metavar="N", help="How many topics.")] = 10,
                 goal: Annotated[str | None, typer.Option(metavar="CONCEPT", help="Rank by what this target needs "
                                                          "most (default: the profile's nearest goal).")] = None,
                 as_json: NextJson = False) -> None:
    """What to learn next: concepts whose core prerequisites you know, ranked by relevance to --goal (or to the
    profile's goal due soonest), or by how many concepts need them."""
    from graph.study.topics import next_topics

    index = load_study_index()
    aim = goal or _nearest_goal(index)
    topics = _answer(lambda: next_topics(index, known_or_profile(known, index), limit, aim), as_json)
    if topics is None:
        return None
    for number, topic in enumerate(topics, start=1):
        needs = f" (needs {escape(', '.join(topic.needs))})" if topic.needs else ""
        print_labelled(f"{number:>3}.", f"[bold]{escape(topic.name)}[/bold] unlocks {topic.unlocks}: "
                       f"{escape(', '.join(topic.unlocks_examples))}{needs}")
    return None


@commands.command()
def related(concept: Annotated[str, typer.Argument(metavar="CONCEPT", help="Concept name, alias or id.")],
            as_json: RelatedJson = False) -> None:
    """Related topics: comparisons, variants, alternatives and siblings, strongest first."""
    from graph.study.topics import related_topics

    topics = _answer(lambda: related_topics(load_study_index(), concept), as_json)
    if topics is None:
        return None
    for topic in topics:
        print_labelled(f"[cyan]{topic.kind:<11}[/cyan]", f"{escape(topic.name)}  — {escape(topic.explanation)}", 2)
    return None


@commands.command()
def gaps(a: Annotated[str, typer.Argument(metavar="A", help="A topic (concept name, alias or id).")],
         b: Annotated[str | None, typer.Argument(metavar="B", help="A second, related topic.")] = None,
         known: Known = None,
         limit: Annotated[int, typer.Option(metavar="N", help="Items per kind (most telling first).")] = 10,
         everything: Annotated[bool, typer.Option("--all", help="Every item, uncapped.")] = False,
         as_json: GapsJson = False) -> None:
    """Gaps around A (or between A and B), in its own sections and close neighbours: bridges, unexplained
    concepts, unanswered questions, missing links, each checked against the text."""
    from graph.study.gaps import gaps as find_gaps

    index = load_study_index()
    report = _answer(lambda: find_gaps(index, a, b, known_or_profile(known, index), limit, everything), as_json)
    if report is None:
        return None
    console.print(f"[bold]Gaps around {escape(', '.join(n for n in (a, b) if n))}[/bold] "
                  f"({len(report.area)} concepts in the area)")
    for item in report.items:
        print_labelled(f"[cyan]{item.kind:<20}[/cyan]", flat(item.explanation, 160), 2)
    for kind, count in report.more.items():
        console.print(f"  [dim]{kind}: {count} more (--all lists them)[/dim]")
    return None


@commands.command()
def doctor(as_json: DoctorJson = False) -> None:
    """Check the graph: cycles broken for study order, orphans, concepts without evidence, likely duplicates."""
    from graph.study.doctor import doctor as diagnose

    report = _answer(lambda: diagnose(load_study_index()), as_json)
    if report is None:
        return None
    console.print(f"[bold]cycles broken[/bold] ({len(report.dropped_cycle_edges)})")
    for line in report.dropped_cycle_edges:
        print_labelled("", escape(line), 2)
    console.print(f"[bold]orphans[/bold] ({len(report.orphans)}): {escape(', '.join(report.orphans[:30]))}")
    console.print(f"[bold]without evidence[/bold] ({len(report.without_evidence)})")
    console.print(f"[bold]near duplicates[/bold] ({len(report.near_duplicates)})")
    for first, second in report.near_duplicates:
        console.print(f"  {escape(first)} ~ {escape(second)}")
    return None


def _change_profile(names: list[str], change: Callable[[Profile, list[str]], Profile]) -> Profile:
    """Resolve the names against the graph first (an unknown one writes nothing, exit 4), then change the
    profile in one atomic write."""
    try:
        graph = load_graph()
        ids = [find_concept(graph, name).id for name in names]
        return configured_store().update_profile(profile_name(), lambda profile: change(profile, ids))
    except StudygraphError as exc:
        raise fail(exc) from exc


@commands.command()
def profile(name: Annotated[str | None, typer.Option("--name", metavar="NAME",
                                                     help="Profile to show (default: the current one).")] = None,
            as_json: ProfileJson = False) -> None:
    """The learner profile: concepts known, goals and practice history; study commands plan from it."""
    try:
        shown, graph = configured_store().profile(name or profile_name()), load_graph()
    except StudygraphError as exc:
        raise fail(exc) from exc
    if as_json:
        return typer.echo(shown.model_dump_json(indent=2))
    names = {c.id: c.name for c in graph.concepts}  # a concept gone from the notes shows its id
    console.print(f"[bold]profile {escape(shown.name)}[/bold]")
    print_labelled(f"known ({len(shown.known)}):",
                   escape(", ".join(names.get(c, c) for c in shown.known) or "none"), 2)
    print_labelled(f"goals ({len(shown.goals)}):", escape(", ".join(
        names.get(g.concept, g.concept) + (f" by {g.by}" if g.by else "") for g in shown.goals) or "none"), 2)
    grades = Counter(review.grade.value for review in shown.history)
    print_labelled(f"history ({len(shown.history)}):",
                   ", ".join(f"{grade} {count}" for grade, count in sorted(grades.items())) or "none", 2)
    for review in shown.history[-5:]:
        print_labelled(f"[dim]{review.at:%Y-%m-%d}[/dim] {review.grade.value}", flat(review.text, 100), 4)
    return None


@commands.command()
def know(concepts: Annotated[list[str], typer.Argument(metavar="CONCEPT...", help="Concepts you know now.")],
         forget: Annotated[bool, typer.Option("--forget", help="Take them off the known list instead.")] = False,
         ) -> None:
    """Mark concepts as known in the profile (or --forget them); path, next, gaps and map skip what is known."""
    changed = _change_profile(concepts, Profile.forgetting if forget else
                              lambda p, ids: p.knowing(ids, datetime.now(UTC)))
    console.print(f"profile {escape(changed.name)} knows {len(changed.known)} concepts")


@commands.command()
def goal(concept: Annotated[str, typer.Argument(metavar="CONCEPT", help="Concept to reach.")],
         by: Annotated[datetime | None, typer.Option(metavar="YYYY-MM-DD", formats=["%Y-%m-%d"],
                                                     help="The date to reach it by.")] = None,
         drop: Annotated[bool, typer.Option("--drop", help="Remove the goal instead.")] = False) -> None:
    """Set a goal in the profile: a concept to reach, with an optional date (again to change it, --drop to end it)."""
    changed = _change_profile([concept], lambda p, ids: p.without_goal(ids[0]) if drop else p.aiming_at(
        Goal(concept=ids[0], by=by.date() if by else None)))
    console.print(f"profile {escape(changed.name)} has {len(changed.goals)} goals")
