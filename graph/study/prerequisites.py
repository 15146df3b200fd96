"""The prerequisite graph: which concept to study before which, derived from typed relations, made acyclic.

Edges point from the concept studied first to the concept that needs it (B -> A for `A EXTENDS B`), so a
topological order is a study order. The rule table is `graph.precedence`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import networkx as nx

from graph.models import KnowledgeGraph, Relation, RelationType
from graph.precedence import PREREQUISITE_OF_SOURCE, PREREQUISITE_OF_TARGET


@dataclass(frozen=True)
class DroppedEdge:
    """An edge removed to break a cycle: `before` was to be studied before `after`."""

    before: str
    after: str
    relation: Relation
    strength: float
    cycle: tuple[str, ...]


@dataclass
class PrerequisiteGraph:
    """The acyclic study-order graph and what had to be dropped to make it acyclic."""

    graph: nx.DiGraph
    dropped: list[DroppedEdge] = field(default_factory=list)

    def prerequisites(self, concept_id: str) -> set[str]:
        """Everything the concept transitively needs."""
        return nx.ancestors(self.graph, concept_id) if concept_id in self.graph else set()

    def relation(self, before: str, after: str) -> Relation:
        return self.graph.edges[before, after]["relation"]


def edge_strength(relation: Relation) -> float:
    """Confidence, raised by every further piece of evidence: 0.8 with one sentence, ~0.93 with three.

    >>> r = Relation(source="a", target="b", type="USES", confidence=0.8, evidence=[
    ...     {"document": "d", "line": 1, "text": "a uses b"}])
    >>> edge_strength(r)
    0.8
    """
    return round(1 - (1 - relation.confidence) ** (1 + 0.5 * (len(relation.evidence) - 1)), 4)


COMPARISON_WEIGHT = 0.5  # a reference side orders study more weakly than a stated dependency


def study_order_edge(relation: Relation) -> tuple[str, str] | None:
    """(studied first, studied after) for a relation that orders study, else None."""
    if relation.type in PREREQUISITE_OF_SOURCE:
        return relation.target, relation.source
    if relation.type in PREREQUISITE_OF_TARGET:
        return relation.source, relation.target
    if relation.type is RelationType.COMPARED_WITH and relation.first in (relation.source, relation.target):
        other = relation.target if relation.first == relation.source else relation.source
        return relation.first, other
    return None


def prerequisite_graph(graph: KnowledgeGraph) -> PrerequisiteGraph:
    """Build the study-order graph; where two relations order the same pair, the stronger one stands."""
    ordered = nx.DiGraph()
    ordered.add_nodes_from(c.id for c in graph.concepts)
    for relation in graph.relations:
        edge = study_order_edge(relation)
        if edge is None or edge[0] == edge[1]:
            continue
        strength = edge_strength(relation) * (COMPARISON_WEIGHT if relation.type is RelationType.COMPARED_WITH else 1)
        current = ordered.get_edge_data(*edge)
        if current is None or (strength, relation.type.value) > (current["strength"], current["relation"].type.value):
            ordered.add_edge(*edge, relation=relation, strength=strength, cost=-math.log(max(strength, 1e-6)))
    return PrerequisiteGraph(ordered, break_cycles(ordered))


EXACT_CYCLE_LIMIT = 200  # nodes in one tangle; real notes stay far below, synthetic graphs need not


def _drop_back_edges(ordered: nx.DiGraph, tangle: nx.DiGraph, component: list[str]) -> list[DroppedEdge]:
    """For a large tangle, one linear pass: a depth-first walk that follows the strongest edges first drops
    each edge that closes a cycle (a back edge), so weak edges are the ones left to close cycles."""
    dropped: list[DroppedEdge] = []
    state: dict[str, int] = {}  # 1 on the walk's stack, 2 finished
    path: list[str] = []
    for root in component:
        if root in state:
            continue
        stack = [(root, iter(_strongest_first(tangle, root)))]
        state[root] = 1
        path.append(root)
        while stack:
            node, successors = stack[-1]
            following = next(successors, None)
            if following is None:
                state[node] = 2
                path.pop()
                stack.pop()
            elif state.get(following) == 1:
                data = tangle.edges[node, following]
                cycle = tuple(path[path.index(following):])
                dropped.append(DroppedEdge(node, following, data["relation"], data["strength"], cycle))
                ordered.remove_edge(node, following)
            elif following not in state:
                state[following] = 1
                path.append(following)
                stack.append((following, iter(_strongest_first(tangle, following))))
    return dropped


def _strongest_first(tangle: nx.DiGraph, node: str) -> list[str]:
    return sorted(tangle.successors(node), key=lambda after: (-tangle.edges[node, after]["strength"], after))


def break_cycles(ordered: nx.DiGraph) -> list[DroppedEdge]:
    """Drop the weakest edge of each cycle until none is left; ties go to the alphabetically first edge.

    Deterministic: components and cycles are visited in sorted order, so the same graph loses the same edges.
    Only strongly connected components can hold cycles, so the search stays inside them.
    """
    dropped: list[DroppedEdge] = []
    components = [sorted(c) for c in nx.strongly_connected_components(ordered) if len(c) > 1]
    for component in sorted(components):
        tangle = nx.DiGraph(ordered.subgraph(component).edges(data=True))
        if len(component) > EXACT_CYCLE_LIMIT:
            dropped += _drop_back_edges(ordered, tangle, component)
            continue
        while True:
            try:
                cycle = nx.find_cycle(tangle, source=component)
            except nx.NetworkXNoCycle:
                break
            before, after = min(((e[0], e[1]) for e in cycle), key=lambda e: (tangle.edges[e]["strength"], e))
            data = tangle.edges[before, after]
            dropped.append(DroppedEdge(before, after, data["relation"], data["strength"],
                                       tuple(e[0] for e in cycle)))
            tangle.remove_edge(before, after)
            ordered.remove_edge(before, after)
    return dropped
