"""From nodes and edges to one self-contained HTML page: pyvis's network data and its bundled vis-network,
inlined into our own template (no CDN, no Bootstrap, a strict content security policy).

pyvis 0.3.2 checks every new node against a list of ids and every new edge against the list of nodes, so a
graph of n nodes costs O(n²) to build; `BulkNetwork` keeps the same records with dictionary lookups.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyvis
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from pyvis.network import Network

from viz.style import FONT_STACK

COMPACT_UP_TO = 150  # concepts; see barnes_hut

_ENVIRONMENT = Environment(
    loader=ChoiceLoader([FileSystemLoader(Path(__file__).parent / "templates"),
                         FileSystemLoader(Path(pyvis.__file__).parent / "templates")]),  # vis-network's files
    autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
# `tojson` sorts keys by default: a tenth of a 10,000-node page's time, for nothing a browser needs.
_ENVIRONMENT.policies["json.dumps_kwargs"] = {"separators": (",", ":"), "ensure_ascii": False}


class BulkNetwork(Network):
    """A pyvis Network filled through `add_nodes` / `add_edges`: dictionary checks instead of list scans."""

    def __init__(self) -> None:
        super().__init__(directed=True, cdn_resources="in_line")
        self._edge_keys: set[tuple[Any, Any, str]] = set()


@dataclass
class LegendEntry:
    label: str
    color: str
    shape: str = "line"  # line, dashed or dot
    note: str = ""


@dataclass
class MapPage:
    """What one map page shows besides the network itself."""

    title: str
    legend: list[LegendEntry] = field(default_factory=list)
    notice: str = ""
    physics: bool = True
    hierarchical: bool = False


def network_options(node_count: int, edge_count: int, physics: bool, hierarchical: bool) -> dict[str, Any]:
    """vis-network options: bounded stabilisation (fewer iterations as the map grows), then the page turns
    physics off, so a big map is laid out once and then stays still and responsive."""
    big = node_count > 300
    options: dict[str, Any] = {
        "nodes": {"font": {"face": FONT_STACK, "size": 14, "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "borderWidth": 1, "scaling": {"min": 8, "max": 40}},
        "edges": {"smooth": False if edge_count > 600 else {"type": "continuous"}, "width": 1.5,
                  "arrows": {"to": {"scaleFactor": 0.6}}, "font": {"face": FONT_STACK, "size": 11}},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big, "navigationButtons": False,
                        "multiselect": False},
        "layout": {"improvedLayout": node_count <= 150, "randomSeed": 7},
        "physics": {"enabled": physics, "solver": "barnesHut", "barnesHut": barnes_hut(node_count),
                    "stabilization": {"enabled": physics, "iterations": stabilisation_iterations(node_count),
                                      "updateInterval": 25, "fit": True},
                    "minVelocity": 1.0},
    }
    if hierarchical:
        options["layout"]["hierarchical"] = {"enabled": True, "direction": "LR", "sortMethod": "directed",
                                             "levelSeparation": 190, "nodeSpacing": 90, "shakeTowards": "roots"}
        options["physics"] = {"enabled": False}
    return options


def barnes_hut(node_count: int) -> dict[str, float]:
    """Forces for the layout. A small map (up to COMPACT_UP_TO concepts, e.g. the whole graph's opening view)
    is pulled together, so that fitted to a frame its labels stay readable: with the wide spacing of large maps,
    the example notes' 50 most connected concepts fitted at scale 0.5 and drew 7 px labels; compact, 0.9."""
    if node_count <= COMPACT_UP_TO:
        return {"gravitationalConstant": -2500, "centralGravity": 1.0, "springLength": 85, "springConstant": 0.03,
                "damping": 0.35, "avoidOverlap": 0.8}
    return {"gravitationalConstant": -4000 if node_count > 300 else -6000, "springLength": 120,
            "springConstant": 0.03, "damping": 0.35, "avoidOverlap": 0.1}


def stabilisation_iterations(node_count: int) -> int:
    """Enough iterations for a readable layout, bounded so a 2,000-node map settles in seconds."""
    if node_count <= 200:
        return 600
    if node_count <= 1_000:
        return 200
    return 60  # about 50 ms each for 2,000 nodes in headless Chromium here; they start from seeded positions


def render_page(network: BulkNetwork, page: MapPage) -> str:
    """The whole page. Node and edge data go in through `tojson`, which escapes `<`, `>`, `&` and quotes, so
    nothing in them can end the script; tooltip HTML was escaped when it was made (`viz.tooltips`)."""
    nodes, edges = network.nodes, network.edges
    options = network_options(len(nodes), len(edges), page.physics, page.hierarchical)
    return _ENVIRONMENT.get_template("map.html").render(
        page=page, nodes=nodes, edges=edges, options=options, nonce=secrets.token_urlsafe(16),
        font_stack=Markup(FONT_STACK))  # our own constant: quotes must stay quotes inside <style>


def add_nodes(network: BulkNetwork, nodes: Iterable[dict[str, Any]]) -> None:
    """Add prepared node records in bulk: each already has `id`, `label`, `shape` and its vis-network options,
    so it goes in as it is (the record pyvis's Node would build), checked against the id map only."""
    for record in nodes:
        node_id = record["id"]
        if node_id not in network.node_map:
            network.nodes.append(record)
            network.node_ids.append(node_id)
            network.node_map[node_id] = record


def add_edges(network: BulkNetwork, edges: Iterable[dict[str, Any]]) -> None:
    """Add prepared edge records (`from`, `to`, `id`, `arrows`, options) in bulk, checked like `add_edge`."""
    for record in edges:
        source, target = record["from"], record["to"]
        if source not in network.node_map or target not in network.node_map:
            raise ValueError(f"edge {source!r} -> {target!r} names a node the map does not have")
        key = (source, target, str(record.get("id", "")))
        if key not in network._edge_keys:
            network._edge_keys.add(key)
            network.edges.append(record)
