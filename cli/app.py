"""The `studygraph` application: every command group joined into one Typer app (the console script's target)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Annotated

import typer
from typer._click import Context, Parameter
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from cli import browse, maps, notes, practice, server, stores, study
from cli.common import choose_profile


# Help in plain words: each value shows what it is (NAME, N, FILE), never a Python type (`<list[str]>`).
class _NamedArgument(TyperArgument):
    """An argument shows its metavar alone: Typer would add the Python type beside it."""

    def display_type_rich(self, ctx: Context) -> str | None:
        return None


def plain_params(params: list[Parameter]) -> list[Parameter]:
    """Flags show no value; values without a metavar of their own show their name in capitals (`--port PORT`)."""
    for param in params:
        if isinstance(param, TyperOption):
            if param.is_flag:
                param.metavar = ""
            elif param.metavar is None:
                param.metavar = (param.name or "value").upper()
        elif isinstance(param, TyperArgument):
            if param.metavar is None:
                param.metavar = (param.name or "value").upper()
            param.__class__ = _NamedArgument
    return params


class PlainCommand(TyperCommand):
    def get_params(self, ctx: Context) -> list[Parameter]:
        return plain_params(super().get_params(ctx))


class PlainGroup(TyperGroup):
    def get_params(self, ctx: Context) -> list[Parameter]:
        return plain_params(super().get_params(ctx))


app = typer.Typer(help="Study notes in, an evidence-backed concept graph out.", no_args_is_help=True,
                  add_completion=False, cls=PlainGroup)

for group in (notes, browse, study, practice, maps, stores, server):
    app.add_typer(group.commands)
    for info in group.commands.registered_commands:
        if info.cls in (None, TyperCommand):  # a command that chose its own class keeps it
            info.cls = PlainCommand


def installed_version() -> str:
    """The version pip installed: package metadata, so it never drifts from pyproject.toml."""
    try:
        return version("studygraph")
    except PackageNotFoundError:  # a source tree that was never installed
        return "unknown (not installed)"


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"studygraph {installed_version()}")
        raise typer.Exit()


@app.callback()
def main(
    show_version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True,
                                               help="Print the installed version and exit.")] = False,
    profile: Annotated[str | None, typer.Option("--profile", metavar="NAME",
                                                help="Learner profile to read and change (default: the "
                                                     "STUDYGRAPH_PROFILE setting, else 'me').")] = None,
) -> None:
    """Study notes in, an evidence-backed concept graph out."""
    choose_profile(profile)


if __name__ == "__main__":
    app()
