"""`studygraph map`: the API's map pages written to a file (concept map, study path or gaps)."""

from __future__ import annotations

import webbrowser
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from cli.common import Known, console, fail, known_or_profile, load_study_index
from graph.errors import StudygraphError
from settings import get_settings

commands = typer.Typer()


@commands.command(name="map")
def map_command(
    concept: Annotated[str | None, typer.Argument(metavar="CONCEPT",
                                                  help="Focus concept (default: the whole graph).")] = None,
    radius: Annotated[int, typer.Option(min=1, max=4, metavar="N", help="Relations out from the focus concept.")] = 1,
    path: Annotated[str | None, typer.Option("--path", metavar="TARGET",
                                             help="Draw the study path to this concept instead.")] = None,
    gaps: Annotated[tuple[str, str] | None, typer.Option("--gaps", metavar="A B",
                                                         help="Draw the gaps between two topics instead.")]
    = None,
    known: Known = None,
    colour: Annotated[str, typer.Option(metavar="community|kind",
                                        help="Node colour: by community or by kind.")] = "community",
    cap: Annotated[int | None, typer.Option(min=1, metavar="N",
                                            help="Most concepts drawn (default STUDYGRAPH_MAP_NODE_CAP).")]
    = None,
    output: Annotated[Path, typer.Option("--output", "-o", metavar="FILE",
                                         help="HTML file to write.")] = Path("map.html"),
    open_page: Annotated[bool, typer.Option("--open", help="Open the map in the default browser.")] = False,
) -> None:
    """Write an interactive map (self-contained HTML, works offline): concepts, a study path, or gaps."""
    # Imported here, like the study modules: pyvis and networkx are not needed to start other commands.
    from graph.network import concept_network
    from graph.study.gaps import gaps as find_gaps
    from graph.study.plans import study_path
    from viz.views import concept_map, gaps_map, study_path_map

    if colour not in ("community", "kind"):
        raise typer.BadParameter("--colour is 'community' or 'kind'")
    if sum(x is not None for x in (concept, path, gaps)) > 1:
        raise typer.BadParameter("give one of CONCEPT, --path or --gaps")
    try:
        index = load_study_index()
        network = concept_network(index.graph)
        if path:
            plan = study_path(index, path, known_or_profile(known, index))
            html = study_path_map(network, plan, index.resolve_all(plan.skipped_known))
        elif gaps:
            html = gaps_map(network, find_gaps(index, gaps[0], gaps[1], known_or_profile(known, index)))
        else:
            focus = index.resolve(concept) if concept else None
            html = concept_map(network, focus, radius, node_cap=cap or get_settings().map_node_cap, colour_by=colour)
    except StudygraphError as exc:
        raise fail(exc) from exc
    output.write_text(html, encoding="utf-8")
    console.print(f"wrote {escape(str(output))} ({len(html.encode()) / 1e6:.1f} MB)")
    if open_page:
        webbrowser.open(output.resolve().as_uri())
