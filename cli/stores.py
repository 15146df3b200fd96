"""Commands that move a whole graph between stores: sync."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.common import StoreKind, console, errors, fail, open_named_store
from graph.errors import StudygraphError

commands = typer.Typer()


@commands.command()
def sync(
    source: Annotated[StoreKind, typer.Option("--from", metavar="embedded|neo4j", help="Store to copy from.")],
    target: Annotated[StoreKind, typer.Option("--to", metavar="embedded|neo4j",
                                              help="Store to copy to; it ends up with exactly the same documents.")],
) -> None:
    """Copy the whole graph between stores (embedded <-> neo4j), in one write on the target, and the learner
    profiles with it."""
    from graph.store.sync import copy_graph

    if source == target:
        errors.print("[red]error:[/red] --from and --to name the same store")
        raise typer.Exit(2)
    try:
        to_store = open_named_store(target)
        graph = copy_graph(open_named_store(source), to_store)
        profiles = len(to_store.profile_names())
    except StudygraphError as exc:
        raise fail(exc) from exc
    console.print(f"copied {len(graph.documents)} documents from {source.value} to {target.value}: "
                  f"{len(graph.concepts)} concepts, {len(graph.typed_relations())} typed relations; "
                  f"{profiles} profile{'' if profiles == 1 else 's'} on {target.value}")
