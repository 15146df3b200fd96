"""The three maps: the concept map (whole graph or around a focus), a study path, and the gaps of a topic.
Pure functions: a networkx graph (`graph.network.concept_network`) plus highlights in, an HTML page out."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import networkx as nx

from graph.bulk import paused_gc
from graph.models import Concept
from graph.study.answers import GapReport, StudyPath
from viz import style
from viz.layout import seed_positions
from viz.render import BulkNetwork, LegendEntry, MapPage, add_edges, add_nodes, render_page
from viz.selection import COMMUNITY_METHOD, communities, focus_area, most_central
from viz.tooltips import concept_tooltip, note_tooltip, relation_tooltip

DEFAULT_NODE_CAP = 800
SEEDED_LAYOUT_FROM = 150  # smaller maps get vis-network's own improved layout


@paused_gc()
def concept_map(network: nx.MultiDiGraph, focus: str | None = None, radius: int = 1,
                node_cap: int = DEFAULT_NODE_CAP, colour_by: str = "community") -> str:
    """The whole graph, or `focus` and what lies within `radius` relations of it. Above `node_cap` concepts
    the most connected are shown, with a notice saying how many were left out."""
    area = focus_area(network, focus, radius) if focus else set(network)
    shown = most_central(network, area, node_cap, keep=frozenset({focus} if focus else ()))
    groups = communities(network, shown) if colour_by == "community" else {}
    kinds = _kind_numbers(network, shown) if colour_by == "kind" else {}
    nodes = []
    for concept_id in shown:
        concept: Concept = network.nodes[concept_id]["concept"]
        colour = style.group_colour(groups.get(concept_id) if colour_by == "community" else kinds.get(concept_id))
        record = _concept_node(concept, colour)
        if concept_id == focus:
            record.update(borderWidth=4, color={"background": colour, "border": style.TARGET}, size=record["size"] + 8)
        nodes.append(record)
    if len(shown) > SEEDED_LAYOUT_FROM:
        positions = seed_positions(shown, groups or kinds)
        for record in nodes:
            record["x"], record["y"] = positions[record["id"]]
    edges = _relation_edges(network, shown)
    title = f"{_name(network, focus)} within {radius}" if focus else "Concept map"
    notice = ""
    if len(shown) < len(area):
        notice = (f"showing the {len(shown):,} most connected of {len(area):,} concepts: a larger cap, or a "
                  "concept (focus and radius), shows the rest")
    legend = _edge_legend(edges)
    if colour_by == "community":
        legend.append(LegendEntry(f"node colour: community ({COMMUNITY_METHOD})", style.GROUP_COLOURS[0], "dot"))
    else:
        legend += [LegendEntry(kind, style.group_colour(number), "dot") for kind, number in
                   sorted(_kind_legend(network, shown).items(), key=lambda item: item[1])][:12]
    legend.append(LegendEntry("node size: mentions", "#888888", "dot"))
    return _page(nodes, edges, MapPage(title=title, legend=legend, notice=notice))


@paused_gc()
def study_path_map(network: nx.MultiDiGraph, plan: StudyPath, known: Iterable[str] = ()) -> str:
    """The plan's concepts numbered in study order from left to right, the target emphasised, and the known
    prerequisites it skipped dimmed (`known`: their ids)."""
    depth = {step.concept: step.depth for step in plan.steps}
    deepest = max(depth.values(), default=0)
    nodes = []
    for step in plan.steps:
        concept = network.nodes[step.concept]["concept"]
        is_target = step.concept == plan.target
        record = _concept_node(concept, style.TARGET if is_target else style.STEP,
                               extra=f"step {step.order} of {len(plan.steps)}, ~{step.effort_minutes} min")
        record.update(label=f"{step.order}. {concept.name}", level=deepest - step.depth)
        if is_target:
            record.update(size=record["size"] + 10, borderWidth=4, font={"size": 18, "bold": True})
        nodes.append(record)
    for concept_id in sorted(set(known) - set(depth)):
        if concept_id in network:
            concept = network.nodes[concept_id]["concept"]
            record = _concept_node(concept, style.KNOWN, extra="known: skipped in this plan")
            record.update(level=0, font={"color": style.KNOWN_TEXT})
            nodes.append(record)
    shown = [record["id"] for record in nodes]
    reasons = {(step.why.source, step.why.target) for step in plan.steps if step.why}
    edges = _relation_edges(network, shown, typed_only=True)
    for edge in edges:
        if (edge["from"], edge["to"]) in reasons:
            edge.update(width=3.5)
    legend = [LegendEntry("target", style.TARGET, "dot"), LegendEntry("step (numbered in order)", style.STEP, "dot"),
              LegendEntry("known, skipped", style.KNOWN, "dot"), *_edge_legend(edges),
              LegendEntry("thick: why the step is needed", "#555555")]
    title = f"Study path to {plan.target_name}"
    return _page(nodes, edges, MapPage(title=title, legend=legend, physics=False, hierarchical=True))


@paused_gc()
def gaps_map(network: nx.MultiDiGraph, report: GapReport) -> str:
    """The topic's area with its gaps marked: bridging and unexplained concepts, missing prerequisites,
    unanswered questions as boxes linked to what they ask about, and missing links as dashed edges."""
    marks: dict[str, tuple[str, str]] = {}
    for item in report.items:
        if item.kind == "bridging" and len(item.concepts) == 1:
            marks[item.concepts[0]] = (style.BRIDGING, item.explanation)
        elif item.kind == "unexplained":
            marks.setdefault(item.concepts[0], (style.UNEXPLAINED, item.explanation))
        elif item.kind == "missing_prerequisite":
            marks.setdefault(item.concepts[0], (style.MISSING_PREREQUISITE, item.explanation))
    shown = sorted(set(report.area) | {c for item in report.items for c in item.concepts if c in network})
    topics = {report.a, *([report.b] if report.b else [])}
    nodes = []
    for concept_id in shown:
        colour, why = marks.get(concept_id, (style.TARGET if concept_id in topics else style.UNGROUPED, ""))
        record = _concept_node(network.nodes[concept_id]["concept"], colour, extra=why)
        if concept_id in topics:
            record.update(size=record["size"] + 10, borderWidth=4, color={"background": colour, "border": style.TARGET})
        nodes.append(record)
    edges = _relation_edges(network, shown, typed_only=True)
    for number, item in enumerate(report.items):
        if item.kind == "missing_link" and len(item.concepts) == 2:
            edges.append({"from": item.concepts[0], "to": item.concepts[1], "id": f"gap-{number}",
                          "color": style.MISSING_LINK, "dashes": [8, 6], "width": 2.5, "arrows": _arrows(False),
                          "title": note_tooltip("missing link", item.explanation + _evidence(item.evidence))})
        elif item.kind == "unanswered":
            question = f"q{number}"
            nodes.append({"id": question, "label": "?", "shape": "box", "color": style.UNANSWERED,
                          "font": {"color": "#ffffff", "size": 16},
                          "title": note_tooltip("unanswered question", item.explanation)})
            edges += [{"from": question, "to": c, "id": f"{question}-{c}", "color": style.UNANSWERED,
                       "dashes": [2, 4], "arrows": _arrows(False), "title": note_tooltip("asks about", item.explanation)}
                      for c in item.concepts if c in network]
    kinds = {item.kind for item in report.items}
    legend = [LegendEntry("topic", style.TARGET, "dot"), *[
        entry for kind, entry in (
            ("bridging", LegendEntry("bridging concept", style.BRIDGING, "dot")),
            ("unexplained", LegendEntry("unexplained concept", style.UNEXPLAINED, "dot")),
            ("missing_prerequisite", LegendEntry("missing prerequisite", style.MISSING_PREREQUISITE, "dot")),
            ("unanswered", LegendEntry("unanswered question", style.UNANSWERED, "box")),
            ("missing_link", LegendEntry("missing link", style.MISSING_LINK, "dashed"))) if kind in kinds],
        *_edge_legend(edges)]
    names = " and ".join(_name(network, t) for t in (report.a, report.b) if t)
    return _page(nodes, edges, MapPage(title=f"Gaps around {names}", legend=legend))


def _page(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], page: MapPage) -> str:
    network = BulkNetwork()
    add_nodes(network, nodes)
    add_edges(network, _fan_out(edges))
    return render_page(network, page)


def _fan_out(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Relations between the same two concepts (GQA VARIANT_OF MHA, GQA COMPARED_WITH MHA) as separate curves,
    the first straight, instead of lines drawn on top of each other."""
    seen: dict[frozenset[str], int] = {}
    for edge in edges:
        pair = frozenset((edge["from"], edge["to"]))
        number = seen.get(pair, 0)
        seen[pair] = number + 1
        if number:
            edge["smooth"] = {"enabled": True, "type": "curvedCW" if number % 2 else "curvedCCW",
                              "roundness": 0.25 * ((number + 1) // 2)}
    return edges


def _concept_node(concept: Concept, colour: str, extra: str = "") -> dict[str, Any]:
    return {"id": concept.id, "label": concept.name, "title": concept_tooltip(concept, extra), "color": colour,
            "size": round(8 + 2.5 * math.sqrt(max(concept.mentions, 0)), 1), "shape": "dot"}


def _relation_edges(network: nx.MultiDiGraph, shown: Iterable[str], typed_only: bool = False
                    ) -> list[dict[str, Any]]:
    nodes = set(shown)
    names = {concept_id: network.nodes[concept_id]["concept"].name for concept_id in nodes}
    looks = {kind: (look, _arrows(look.directed)) for kind, look in style.EDGE_STYLES.items()}
    edges = []
    for source in sorted(nodes):
        for target, keyed in network.succ[source].items():
            if target not in nodes:
                continue
            for data in keyed.values():
                relation = data["relation"]
                kind = relation.type
                if typed_only and not kind.typed:
                    continue
                look, arrows = looks[kind]
                edges.append({
                    "from": source, "to": target, "id": f"{source}|{kind.value}|{target}", "color": look.color,
                    "dashes": look.dashes, "arrows": arrows, "relation": kind.value,
                    "width": 1 + 2 * relation.confidence if kind.typed else 1,
                    "title": relation_tooltip(relation, names[source], names[target], look.label)})
    return edges


def _arrows(directed: bool) -> dict[str, Any]:
    return {"to": {"enabled": directed, "scaleFactor": 0.6}}


def _edge_legend(edges: list[dict[str, Any]]) -> list[LegendEntry]:
    present = {edge.get("relation") for edge in edges}
    return [LegendEntry(look.label, look.color, "dashed" if look.dashes else "line",
                        "" if look.directed else "both ways")
            for kind, look in style.EDGE_STYLES.items() if kind.value in present]


def _kind_numbers(network: nx.MultiDiGraph, shown: list[str]) -> dict[str, int]:
    numbers = _kind_legend(network, shown)
    return {c: numbers[network.nodes[c]["concept"].kind] for c in shown if network.nodes[c]["concept"].kind}


def _kind_legend(network: nx.MultiDiGraph, shown: list[str]) -> dict[str, int]:
    kinds = sorted({network.nodes[c]["concept"].kind for c in shown} - {None})
    return {kind: number for number, kind in enumerate(kinds)}


def _name(network: nx.MultiDiGraph, concept_id: str | None) -> str:
    return network.nodes[concept_id]["concept"].name if concept_id in network else str(concept_id)


def _evidence(sentences: list[str]) -> str:
    return "".join(f" — “{s}”" for s in sentences[:2])

