"""What every command module shares: the consoles, the error -> exit code mapping, opening the store, the graph
and the study index, and the options several commands take. It imports no other command module."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from graph.errors import ConceptNotFound, DocumentNotFound, InputError, StoreError, StudygraphError
from graph.models import KnowledgeGraph
from graph.store import GraphStore, open_store
from settings import get_settings

if TYPE_CHECKING:
    from graph.study.index import StudyIndex

console = Console()
errors = Console(stderr=True)

# One place maps the error tree to exit codes.
EXIT_CODES: dict[type[StudygraphError], int] = {InputError: 3, ConceptNotFound: 4, DocumentNotFound: 4,
                                                StoreError: 5}

Known = Annotated[list[str] | None, typer.Option("--known", "-k", help="Concepts you know (repeat, or comma-separated).")]
Json = Annotated[bool, typer.Option("--json", help="Stable JSON instead of the readable plan.")]


def fail(exc: StudygraphError) -> typer.Exit:
    """Print a domain error on stderr; the exit to raise carries its code."""
    errors.print(f"[red]error:[/red] {escape(str(exc))}")
    code = next((c for kind, c in EXIT_CODES.items() if isinstance(exc, kind)), 1)
    return typer.Exit(code)


class StoreKind(StrEnum):
    embedded = "embedded"
    neo4j = "neo4j"


def open_named_store(kind: StoreKind | None) -> GraphStore:
    """The configured store, or the one named on the command line."""
    settings = get_settings()
    return open_store(settings.model_copy(update={"store": kind.value}) if kind else settings)


def configured_store() -> GraphStore:
    try:
        return open_named_store(None)
    except StudygraphError as exc:
        raise fail(exc) from exc


def load_graph() -> KnowledgeGraph:
    try:
        return configured_store().graph()
    except StudygraphError as exc:
        raise fail(exc) from exc


def load_study_index() -> StudyIndex:
    """The study engine brings networkx (a quarter of a second to import): only the commands that use it pay."""
    from graph.study.index import StudyIndex

    return StudyIndex(load_graph())


def known_names(values: list[str] | None) -> list[str]:
    """`--known` values, repeated or comma-separated."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def flat(text: str, width: int) -> str:
    """Notes text on one line, escaped for rich; shortened at a word's end with '…' when longer than `width`.

    >>> flat("Direct Preference Optimization directly optimizes", 30), flat("短句", 30)
    ('Direct Preference Optimization…', '短句')
    """
    line = " ".join(text.split())
    if len(line) <= width:
        return escape(line)
    cut = line[:width]
    if line[width].isascii() and line[width].isalnum() and " " in cut:  # never inside a Latin word
        cut = cut[:cut.rindex(" ")]
    return escape(cut.rstrip(" ,，、;；:：") + "…")
