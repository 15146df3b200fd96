"""Commands that read the graph as it is: concepts, show, export, audit."""

from __future__ import annotations

import io
import json
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cli.common import configured_store, console, errors, fail, flat, load_graph, print_labelled, refuse
from graph.errors import InputError, StudygraphError
from graph.export import export_graph
from graph.lookup import find_concept, questions_about, relations_of

commands = typer.Typer()


@commands.command()
def concepts(
    top: Annotated[int, typer.Option(metavar="N", help="How many to list, most mentioned first.")] = 30,
    kind: Annotated[str | None, typer.Option(metavar="KIND",
                                             help="Only concepts of this kind (model, mechanism, ...).")] = None,
) -> None:
    """List concepts by mentions, with kind and aliases."""
    graph = load_graph()
    kinds = sorted({c.kind for c in graph.concepts if c.kind})
    if kind is not None and kind.casefold() not in {k.casefold() for k in kinds}:
        valid = f"use one of the kinds in the graph: {', '.join(kinds)}" if kinds else "nothing is ingested yet"
        raise fail(InputError("--kind", f"unknown kind {kind!r}; {valid}"))
    table = Table("concept", "kind", "mentions", "relations", "aliases")
    degree = Counter(x for r in graph.typed_relations() for x in (r.source, r.target))
    chosen = [c for c in graph.concepts if kind is None or (c.kind or "").casefold() == kind.casefold()]
    for concept in sorted(chosen, key=lambda c: (-c.mentions, c.name))[:top]:
        table.add_row(escape(concept.name), concept.kind or "", str(concept.mentions), str(degree[concept.id]),
                      escape(", ".join(concept.aliases[:4])))
    console.print(table)


@commands.command()
def show(concept: Annotated[str, typer.Argument(metavar="CONCEPT", help="Concept name, alias or id (any case, width or "
                                                                       "script).")]) -> None:
    """Show a concept: aliases, definition, relations with evidence, questions that ask about it."""
    graph = load_graph()
    try:
        found = find_concept(graph, concept)
    except StudygraphError as exc:
        raise fail(exc) from exc
    names = {c.id: c.name for c in graph.concepts}
    console.print(f"[bold]{escape(found.name)}[/bold]  ({found.kind or 'concept'}, {found.mentions} mentions)")
    if found.aliases:
        print_labelled("aliases:", escape(", ".join(found.aliases)))
    if found.definition:
        print_labelled("definition:", flat(found.definition, 300))
    for relation in relations_of(graph, found.id):
        evidence = relation.evidence[0]
        print_labelled("", f"{escape(names[relation.source])} [cyan]{relation.type.value}[/cyan] "
                       f"{escape(names[relation.target])}  ({relation.confidence:.2f})", 2)
        where = f"[dim]{escape(evidence.document)}:{evidence.line}[/dim]"
        print_labelled(where, f"[dim]{flat(evidence.text, 160)}[/dim]", 6)
    for question in questions_about(graph, found.id):
        state = "answered" if question.answered else "unanswered"
        print_labelled("[magenta]?[/magenta]", f"{flat(question.text, 100)} ({state})", 2)


FORMATS = ("json", "anki")


@commands.command()
def export(
    format: Annotated[str, typer.Option("--format", metavar="FORMAT",
                                        help="json (the graph) or anki (flash cards of the questions).")] = "json",
    output: Annotated[typer.FileTextWrite | None, typer.Option("-o", "--output", metavar="FILE",
                                                               help="File to write; stdout by default (json only: "
                                                                    "a deck needs a file).")] = None,
) -> None:
    """Export the graph as JSON: concepts, relations with evidence (the scorer's contract); or the notes'
    questions as an Anki deck (.apkg): one card per question, its answer and where the notes give it."""
    if format not in FORMATS:
        errors.print(f"[red]error:[/red] unknown format {escape(format)!r}; use one of {', '.join(FORMATS)}")
        raise typer.Exit(2)
    if format == "anki":
        # A file named for writing comes unopened (click opens it at the first write), so the deck can still be
        # written as the binary file it is; '-' comes as the open stdout stream.
        if output is None or isinstance(output, io.TextIOBase):
            raise refuse("an Anki deck is a binary .apkg file, not text for stdout: give one with -o deck.apkg", 2)
        export_anki(Path(output.name))
        return
    json.dump(export_graph(load_graph()), output or sys.stdout, ensure_ascii=False, indent=1)
    (output or sys.stdout).write("\n")


def export_anki(path: Path) -> None:
    """Every stored question as a card, its answer cut from the stored notes text."""
    from graph.anki_deck import UNANSWERED_TAG, anki_notes, write_deck
    from ingest.answers import answers_in

    try:
        store = configured_store()
        graph, documents = store.graph(), store.document_graphs()
    except StudygraphError as exc:
        raise fail(exc) from exc
    answers = {question_id: answer for document in documents.values() if document.source is not None
               for question_id, answer in answers_in(document.document.id, document.source).items()}
    notes = anki_notes(graph.documents, answers, {c.id: c.name for c in graph.concepts})
    try:
        write_deck(notes, path)
    except OSError as exc:
        raise refuse(f"cannot write {path}: {exc.strerror or exc}; give -o a file in a folder you can write to",
                     2) from exc
    unanswered = sum(UNANSWERED_TAG in note.tags for note in notes)
    console.print(f"wrote {escape(str(path))}: {len(notes)} cards ({unanswered} not answered in the notes)")


@commands.command()
def audit(
    sample: Annotated[int, typer.Option(metavar="N", help="How many typed relations to sample.")] = 60,
    seed: Annotated[int, typer.Option(metavar="SEED", help="Random seed, so a sample can be judged again.")] = 0,
) -> None:
    """Print random typed relations with their evidence, for a person to judge."""
    graph = load_graph()
    names = {c.id: c.name for c in graph.concepts}
    typed = graph.typed_relations()
    chosen = random.Random(seed).sample(typed, min(sample, len(typed)))
    for number, relation in enumerate(chosen, start=1):
        evidence = relation.evidence[0]
        print_labelled(f"{number:>3}.", f"{escape(names[relation.source])} [cyan]{relation.type.value}[/cyan] "
                       f"{escape(names[relation.target])}  conf={relation.confidence:.2f} rule={escape(evidence.rule)}")
        print_labelled(f"[dim]{escape(evidence.document)}:{evidence.line}[/dim]", flat(evidence.text, 220), 5)
