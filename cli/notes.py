"""Commands that put notes in and take them out: ingest, import, documents, remove."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn
from rich.table import Table

from cli.common import (
    StoreKind,
    configured_store,
    console,
    errors,
    fail,
    flat,
    load_graph,
    open_named_store,
    refuse,
)
from graph.errors import DocumentNotFound, InputError, StudygraphError
from graph.models import KnowledgeGraph
from settings import get_settings

commands = typer.Typer()


@commands.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(metavar="PATH...", help="Notes files, folders (recursive) or globs "
                                               "(.md, .markdown, .txt).")],
    store: Annotated[StoreKind | None, typer.Option(metavar="embedded|neo4j",
                                                    help="Store to write to (default: STUDYGRAPH_STORE).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Ingest notes into the graph: files refused and why first, then a summary (documents, concepts, typed
    relations by type, co-occurrences)."""
    from ingest.identity import reconcile
    from ingest.pipeline import read_sources
    from ingest.reader import NOTE_SUFFIXES
    from ingest.rebuild import change_for

    settings = get_settings()
    try:
        graph_store = open_named_store(store)
        result = read_sources(paths, settings.max_file_bytes, graph_store.document_hashes())
        # A file already stored under another path keeps its id; content stored under another id is skipped.
        known = reconcile(result.sources, graph_store.document_graphs())
        result.sources, result.unchanged = known.sources, [*result.unchanged, *known.unchanged]
        # What went wrong comes first, so it is not lost above a summary.
        nothing_read = not result.sources and not result.unchanged and not known.duplicates
        for item in result.skipped:
            label = "[red]error:[/red]" if nothing_read else "[yellow]skipped[/yellow]"
            errors.print(f"{label} {escape(item.path)}: {escape(item.reason)}")
        for item in known.duplicates:
            errors.print(f"[yellow]duplicate[/yellow] {escape(item.path)}: {escape(item.reason)}")
        if nothing_read:
            if result.skipped:
                raise refuse("nothing was ingested; give notes files, folders or globs "
                             f"({', '.join(NOTE_SUFFIXES)})", 3)
            raise typer.Exit(0)
        with Progress(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), console=errors,
                      disable=quiet or not errors.is_terminal) as progress:
            task = progress.add_task("reading", total=None)

            def report(stage: str, done: int, total: int) -> None:
                progress.update(task, description=stage, completed=done, total=total)

            change = change_for(result.sources, progress=report, use_lexicon=settings.lexicon,
                                extraction=settings.extraction)
            graph = graph_store.update_documents(change) if result.sources else graph_store.graph()
    except StudygraphError as exc:
        raise fail(exc) from exc
    _print_summary(graph, len(result.sources), result.unchanged)


def _print_summary(graph: KnowledgeGraph, ingested: int, unchanged: list[str]) -> None:
    by_type = Counter(r.type for r in graph.relations)
    table = Table(title="studygraph", show_header=False)
    table.add_row("documents ingested", str(ingested))
    table.add_row("documents unchanged", str(len(unchanged)))
    table.add_row("documents in graph", str(len(graph.documents)))
    table.add_row("concepts", str(len(graph.concepts)))
    # Typed relations are what the notes state; a co-occurrence (RELATED_TO) only says two concepts share a sentence.
    table.add_row("typed relations", str(sum(n for t, n in by_type.items() if t.typed)))
    for relation_type, count in sorted((t.value, n) for t, n in by_type.items() if t.typed):
        table.add_row(f"  {relation_type}", str(count))
    table.add_section()
    table.add_row("co-occurrences", str(sum(n for t, n in by_type.items() if not t.typed)))
    console.print(table)


@commands.command()
def documents() -> None:
    """List ingested documents."""
    graph = load_graph()
    table = Table("document", "title", "lines", "questions")
    for document in graph.documents:
        table.add_row(escape(document.id), flat(document.title, 50), str(document.lines), str(len(document.questions)))
    console.print(table)


@commands.command()
def remove(document_id: Annotated[str, typer.Argument(metavar="DOC", help="Id of an ingested document (see "
                                                      "`studygraph documents`).")]) -> None:
    """Remove a document and everything only it supported."""
    from graph.lookup import similar_documents
    from ingest.rebuild import change_for

    store = configured_store()
    try:
        known = list(store.document_hashes())
        if document_id not in known:
            raise DocumentNotFound(document_id, known, similar_documents(known, document_id))
        graph = store.update_documents(change_for(removed=[document_id], use_lexicon=get_settings().lexicon,
                                                  extraction=get_settings().extraction))
    except StudygraphError as exc:
        raise fail(exc) from exc
    console.print(f"removed {escape(document_id)}; {len(graph.concepts)} concepts remain")


@commands.command("import")
def import_graph(
    graph_file: Annotated[Path, typer.Argument(metavar="FILE",
                                               help="A graph file as `studygraph export` writes it (JSON).")],
    replace: Annotated[bool, typer.Option("--replace", help="Drop every document already in the store first.")] = False,
    store: Annotated[StoreKind | None, typer.Option(metavar="embedded|neo4j",
                                                    help="Store to write to (default: STUDYGRAPH_STORE).")] = None,
) -> None:
    """Load an exported graph into the store: documents of the same id are replaced, others kept.

    With --replace, every document the file lacks is dropped too. The file is checked whole before anything is
    written, and the write is atomic."""
    from graph.importing import read_graph_file
    from ingest.rebuild import change_for

    try:
        if not graph_file.is_file():
            raise InputError(str(graph_file), "not a file")
        graphs = read_graph_file(graph_file.read_bytes(), graph_file.name)
        graph_store = open_named_store(store)
        removed = [d for d in graph_store.document_hashes() if replace and d not in {g.document.id for g in graphs}]
        change = change_for(removed=removed, imported=graphs, use_lexicon=get_settings().lexicon,
                            extraction=get_settings().extraction)
        graph = graph_store.update_documents(change)
    except StudygraphError as exc:
        raise fail(exc) from exc
    console.print(f"imported {len(graphs)} documents from {escape(str(graph_file))}"
                  f"{f', removed {len(removed)}' if removed else ''}: the graph holds {len(graph.documents)} "
                  f"documents, {len(graph.concepts)} concepts, {len(graph.typed_relations())} typed relations")
