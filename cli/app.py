"""The `studygraph` application: every command group joined into one Typer app (the console script's target)."""

from __future__ import annotations

import typer

from cli import browse, maps, notes, server, stores, study

app = typer.Typer(help="Study notes in, an evidence-backed concept graph out.", no_args_is_help=True,
                  add_completion=False)

for group in (notes, browse, study, maps, stores, server):
    app.add_typer(group.commands)

if __name__ == "__main__":
    app()
