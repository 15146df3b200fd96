"""The `studygraph` command line: each command calls the same functions the API will."""

from __future__ import annotations

import json
import random
import sys
from collections import Counter
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn
from rich.table import Table

from graph.errors import ConceptNotFound, DocumentNotFound, InputError, StoreError, StudygraphError
from graph.export import export_graph
from graph.lookup import find_concept, questions_about, relations_of
from graph.models import KnowledgeGraph
from graph.store import GraphStore, open_store
from settings import get_settings

app = typer.Typer(help="Study notes in, an evidence-backed concept graph out.", no_args_is_help=True,
                  add_completion=False)
console = Console()
errors = Console(stderr=True)

# One place maps the error tree to exit codes.
EXIT_CODES: dict[type[StudygraphError], int] = {InputError: 3, ConceptNotFound: 4, DocumentNotFound: 4,
                                                StoreError: 5}


def _fail(exc: StudygraphError) -> typer.Exit:
    errors.print(f"[red]error:[/red] {escape(str(exc))}")
    code = next((c for kind, c in EXIT_CODES.items() if isinstance(exc, kind)), 1)
    return typer.Exit(code)


class StoreKind(StrEnum):
    embedded = "embedded"
    neo4j = "neo4j"


def _open(kind: StoreKind | None) -> GraphStore:
    """The configured store, or the one named on the command line."""
    settings = get_settings()
    return open_store(settings.model_copy(update={"store": kind.value}) if kind else settings)


def _store() -> GraphStore:
    try:
        return _open(None)
    except StudygraphError as exc:
        raise _fail(exc) from exc


def _graph() -> KnowledgeGraph:
    try:
        return _store().graph()
    except StudygraphError as exc:
        raise _fail(exc) from exc


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Notes files, folders (recursive) or globs (.md, .markdown, .txt).")],
    store: Annotated[StoreKind | None, typer.Option(help="Store to write to (default: STUDYGRAPH_STORE).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Ingest notes into the graph and print a summary (documents, concepts, relations by type, skipped files)."""
    from ingest.lexicon import ConceptEntry
    from ingest.pipeline import ingest_paths

    settings = get_settings()
    try:
        graph_store = _open(store)
        current = graph_store.graph()
        known = [ConceptEntry(c.id, c.name, list(c.aliases), c.kind, list(c.signals)) for c in current.concepts]
        with Progress(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), console=errors,
                      disable=quiet or not errors.is_terminal) as progress:
            task = progress.add_task("reading", total=None)

            def report(stage: str, done: int, total: int) -> None:
                progress.update(task, description=stage, completed=done, total=total)

            result = ingest_paths(paths, settings.max_file_bytes, graph_store.document_hashes(), known, report)
        graph = graph_store.replace_documents(result.graphs) if result.graphs else current
    except StudygraphError as exc:
        raise _fail(exc) from exc
    _print_summary(graph, len(result.graphs), result.unchanged, result.skipped)
    if not result.graphs and not result.unchanged:
        raise typer.Exit(3 if result.skipped else 0)


def _print_summary(graph: KnowledgeGraph, ingested: int, unchanged: list[str], skipped: list) -> None:  # type: ignore[type-arg]
    by_type = Counter(r.type.value for r in graph.relations)
    table = Table(title="studygraph", show_header=False)
    table.add_row("documents ingested", str(ingested))
    table.add_row("documents unchanged", str(len(unchanged)))
    table.add_row("documents in graph", str(len(graph.documents)))
    table.add_row("concepts", str(len(graph.concepts)))
    table.add_row("typed relations", str(sum(n for t, n in by_type.items() if t != "RELATED_TO")))
    for relation_type, count in sorted(by_type.items()):
        table.add_row(f"  {relation_type}", str(count))
    console.print(table)
    for item in skipped:
        errors.print(f"[yellow]skipped[/yellow] {escape(item.path)}: {escape(item.reason)}")


@app.command()
def concepts(
    top: Annotated[int, typer.Option(help="How many to list, most mentioned first.")] = 30,
    kind: Annotated[str | None, typer.Option(help="Only concepts of this kind (model, mechanism, ...).")] = None,
) -> None:
    """List concepts by mentions, with kind and aliases."""
    graph = _graph()
    table = Table("concept", "kind", "mentions", "relations", "aliases")
    degree = Counter(x for r in graph.typed_relations() for x in (r.source, r.target))
    chosen = [c for c in graph.concepts if kind is None or c.kind == kind]
    for concept in sorted(chosen, key=lambda c: (-c.mentions, c.name))[:top]:
        table.add_row(escape(concept.name), concept.kind or "", str(concept.mentions), str(degree[concept.id]),
                      escape(", ".join(concept.aliases[:4])))
    console.print(table)


@app.command()
def show(concept: Annotated[str, typer.Argument(help="Concept name, alias or id (any case, width or script).")]) -> None:
    """Show a concept: aliases, definition, relations with evidence, questions that ask about it."""
    graph = _graph()
    try:
        found = find_concept(graph, concept)
    except StudygraphError as exc:
        raise _fail(exc) from exc
    names = {c.id: c.name for c in graph.concepts}
    console.print(f"[bold]{escape(found.name)}[/bold]  ({found.kind or 'concept'}, {found.mentions} mentions)")
    if found.aliases:
        console.print(f"aliases: {escape(', '.join(found.aliases))}")
    if found.definition:
        console.print(f"definition: {escape(found.definition)}")
    for relation in relations_of(graph, found.id):
        evidence = relation.evidence[0]
        console.print(f"  {escape(names[relation.source])} [cyan]{relation.type.value}[/cyan] "
                      f"{escape(names[relation.target])}  ({relation.confidence:.2f})")
        console.print(f"      [dim]{escape(evidence.document)}:{evidence.line} {escape(evidence.text[:120])}[/dim]")
    for question in questions_about(graph, found.id):
        state = "answered" if question.answered else "unanswered"
        console.print(f"  [magenta]?[/magenta] {escape(question.text[:100])} ({state})")


@app.command()
def export(
    format: Annotated[str, typer.Option("--format", help="Export format (json).")] = "json",
    output: Annotated[typer.FileTextWrite | None, typer.Option("-o", "--output", help="File to write; stdout by default.")] = None,
) -> None:
    """Export the graph as JSON: concepts, relations with evidence (the scorer's contract)."""
    if format != "json":
        errors.print(f"[red]error:[/red] unknown format {escape(format)!r}; use json")
        raise typer.Exit(2)
    json.dump(export_graph(_graph()), output or sys.stdout, ensure_ascii=False, indent=1)
    (output or sys.stdout).write("\n")


@app.command()
def audit(
    sample: Annotated[int, typer.Option(help="How many typed relations to sample.")] = 60,
    seed: Annotated[int, typer.Option(help="Random seed, so a sample can be judged again.")] = 0,
) -> None:
    """Print random typed relations with their evidence, for a person to judge."""
    graph = _graph()
    names = {c.id: c.name for c in graph.concepts}
    typed = graph.typed_relations()
    chosen = random.Random(seed).sample(typed, min(sample, len(typed)))
    for number, relation in enumerate(chosen, start=1):
        evidence = relation.evidence[0]
        console.print(f"{number:>3}. {escape(names[relation.source])} [cyan]{relation.type.value}[/cyan] "
                      f"{escape(names[relation.target])}  conf={relation.confidence:.2f} rule={escape(evidence.rule)}")
        console.print(f"     [dim]{escape(evidence.document)}:{evidence.line}[/dim] {escape(evidence.text[:220])}")


@app.command()
def documents() -> None:
    """List ingested documents."""
    graph = _graph()
    table = Table("document", "title", "lines", "questions")
    for document in graph.documents:
        table.add_row(escape(document.id), escape(document.title[:50]), str(document.lines), str(len(document.questions)))
    console.print(table)


@app.command()
def remove(document_id: Annotated[str, typer.Argument(help="Id of an ingested document (see `studygraph documents`).")]) -> None:
    """Remove a document and everything only it supported."""
    store = _store()
    try:
        known = list(store.document_hashes())
        if document_id not in known:
            raise DocumentNotFound(document_id, known)
        graph = store.replace_documents([], removed=[document_id])
    except StudygraphError as exc:
        raise _fail(exc) from exc
    console.print(f"removed {escape(document_id)}; {len(graph.concepts)} concepts remain")


@app.command()
def sync(
    source: Annotated[StoreKind, typer.Option("--from", help="Store to copy from.")],
    target: Annotated[StoreKind, typer.Option("--to", help="Store to copy to; it ends up with exactly the same documents.")],
) -> None:
    """Copy the whole graph between stores (embedded <-> neo4j), in one write on the target."""
    from graph.sync import copy_graph

    if source == target:
        errors.print("[red]error:[/red] --from and --to name the same store")
        raise typer.Exit(2)
    try:
        graph = copy_graph(_open(source), _open(target))
    except StudygraphError as exc:
        raise _fail(exc) from exc
    console.print(f"copied {len(graph.documents)} documents from {source.value} to {target.value}: "
                  f"{len(graph.concepts)} concepts, {len(graph.typed_relations())} typed relations")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to bind; anything but loopback needs STUDYGRAPH_API_TOKEN.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (0 picks a free one).")] = 8000,
    insecure: Annotated[bool, typer.Option("--insecure", help="Allow a non-loopback bind without a write token.")] = False,
    workers: Annotated[int | None, typer.Option(min=1, max=64, help="Server processes (default: STUDYGRAPH_WORKERS, "
                                                "else 1); each holds the graph in memory.")] = None,
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs) on the configured store."""
    import uvicorn

    from api.app import create_app

    settings = get_settings()
    if not is_loopback(host) and settings.api_token is None and not insecure:
        errors.print(f"[red]error:[/red] refusing to serve on {escape(host)} without a write token: set "
                     "STUDYGRAPH_API_TOKEN, bind to 127.0.0.1, or pass --insecure")
        raise typer.Exit(2)
    processes = workers or settings.workers
    # Several processes need the app as an import string: each worker builds its own from the same environment.
    app_or_factory = create_app(settings) if processes == 1 else "api.app:create_app"
    uvicorn.run(app_or_factory, factory=processes > 1, workers=processes, host=host, port=port, log_level="info",
                proxy_headers=False, server_header=False)


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and localhost; every other address is reachable from the network."""
    import ipaddress

    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


from cli_map import maps  # noqa: E402
from cli_study import study  # noqa: E402  (the study commands use the helpers above)

app.registered_commands += study.registered_commands + maps.registered_commands

if __name__ == "__main__":
    app()
