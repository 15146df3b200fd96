"""What every command module shares: the consoles, the error -> exit code mapping, opening the store, the graph
and the study index, and the options several commands take. It imports no other command module."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from graph.errors import ConceptNotFound, DocumentNotFound, InputError, StoreError, StudygraphError
from graph.models import KnowledgeGraph
from graph.normalize import profile_name as normalized_profile_name
from graph.store import GraphStore, open_store
from settings import get_settings

if TYPE_CHECKING:
    from graph.study.index import StudyIndex

console = Console()
errors = Console(stderr=True)

# One place maps the error tree to exit codes; `serve` adds one of its own (README "Exit codes:").
EXIT_CODES: dict[type[StudygraphError], int] = {InputError: 3, ConceptNotFound: 4, DocumentNotFound: 4,
                                                StoreError: 5}
STORE_ERROR = EXIT_CODES[StoreError]
ADDRESS_UNAVAILABLE = 6  # `serve`: the port is taken or not allowed, or the host is no address of this machine

Known = Annotated[list[str] | None, typer.Option("--known", "-k", metavar="CONCEPT", help="Concepts you know (repeat, or comma-separated); without it, those the profile knows (`studygraph know`).")]


def fail(exc: StudygraphError) -> typer.Exit:
    """Print a domain error on stderr; the exit to raise carries its code."""
    return refuse(str(exc), next((c for kind, c in EXIT_CODES.items() if isinstance(exc, kind)), 1))


def refuse(message: str, code: int) -> typer.Exit:
    """The error as one line on stderr, never wrapped (a driver's message may hold newlines): scripts and logs
    keep it whole. The exit to raise carries the code."""
    errors.print(f"[red]error:[/red] {escape(' '.join(message.split()))}", soft_wrap=True)
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


class _Chosen:
    """The profile the global `--profile` option names for this run (None: the STUDYGRAPH_PROFILE setting)."""

    profile: str | None = None


def choose_profile(name: str | None) -> None:
    _Chosen.profile = name


def profile_name() -> str:
    """The profile the command works on (--profile, else STUDYGRAPH_PROFILE), normalised as stores keep it."""
    chosen = _Chosen.profile or get_settings().profile
    try:
        return normalized_profile_name(chosen)
    except ValueError as exc:
        raise refuse(f"profile {chosen!r}: {exc} (--profile or STUDYGRAPH_PROFILE)", EXIT_CODES[InputError]) from exc


def known_or_profile(values: list[str] | None, index: StudyIndex) -> list[str]:
    """`--known` when given, else the concepts the current profile knows: every study command plans from them.
    A known concept the notes no longer name (its document removed) is passed over, not an error."""
    if values:
        return known_names(values)
    try:
        known = configured_store().profile(profile_name()).known
    except StudygraphError as exc:
        raise fail(exc) from exc
    return [concept_id for concept_id in known if concept_id in index.concepts]


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


def print_labelled(label: str, markup: str, indent: int = 0) -> None:
    """`label text` after `indent` spaces; a long text wraps under its own start, not back at column 0.

    Both parts are rich markup (escape notes text first); an empty label indents the text alone."""
    head = Text.from_markup(label)
    lead = indent + head.cell_len + (1 if label else 0)
    for number, line in enumerate(Text.from_markup(markup).wrap(console, max(console.width - lead, 20),
                                                                overflow="fold")):
        line.rstrip()
        prefix = Text.assemble(" " * indent, head, " ") if number == 0 and label else Text(" " * lead)
        console.print(Text.assemble(prefix, line), no_wrap=True, overflow="ignore", crop=False)
