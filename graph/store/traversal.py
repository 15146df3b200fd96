"""Reads every store answers the same way: neighbourhoods and the prerequisite closure, over a graph or a
store's edge fetcher."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from graph.models import Concept, KnowledgeGraph, Relation
from graph.precedence import PREREQUISITE_OF_SOURCE, PREREQUISITE_OF_TARGET

if TYPE_CHECKING:
    import networkx as nx

MAX_HOPS = 6

EdgeFetcher = Callable[[list[str]], list[Relation]]


def prerequisite_edges_from(relations: Iterable[Relation]) -> EdgeFetcher:
    """A fetcher over an in-memory relation list: the prerequisite edges leaving each of the given concepts."""
    by_concept: dict[str, list[Relation]] = defaultdict(list)
    for relation in relations:
        if relation.type in PREREQUISITE_OF_SOURCE:
            by_concept[relation.source].append(relation)
        elif relation.type in PREREQUISITE_OF_TARGET:
            by_concept[relation.target].append(relation)
    return lambda ids: [relation for concept_id in ids for relation in by_concept.get(concept_id, [])]


def prerequisite_closure(target: str, fetch: EdgeFetcher, max_depth: int | None = None) -> tuple[set[str], list[Relation]]:
    """Every concept `target` transitively needs (breadth first, level by level) and the edges that say so.

    The store only fetches edges for a frontier; the walk is the same for every store, so their answers agree.
    """
    seen, frontier, edges = {target}, [target], {}
    depth = 0
    while frontier and (max_depth is None or depth < max_depth):
        found: list[str] = []
        for relation in fetch(sorted(frontier)):
            edges[(relation.source, relation.target, relation.type)] = relation
            for concept_id in (relation.source, relation.target):
                if concept_id not in seen:
                    seen.add(concept_id)
                    found.append(concept_id)
        frontier, depth = found, depth + 1
    return seen, [edges[key] for key in sorted(edges, key=lambda k: (k[0], k[1], k[2].value))]


def relation_view(graph: KnowledgeGraph, typed_only: bool = True) -> nx.Graph:
    """Undirected view of the relations (each edge keeps its relations), built once per loaded graph.

    networkx is imported here, on the first neighbourhood read: every store command imports this module, and
    networkx would add a quarter of a second to starting `studygraph ingest`.
    """
    import networkx as nx

    view = nx.Graph()
    view.add_nodes_from(c.id for c in graph.concepts)
    for relation in graph.relations:
        if relation.type.typed or not typed_only:
            if view.has_edge(relation.source, relation.target):
                view.edges[relation.source, relation.target]["relations"].append(relation)
            else:
                view.add_edge(relation.source, relation.target, relations=[relation])
    return view


def neighbourhood_in(view: nx.Graph, concepts: dict[str, Concept], concept_id: str, depth: int) -> KnowledgeGraph:
    """Concepts within `depth` hops of a concept along relations in either direction, and the relations among them."""
    import networkx as nx

    ball = set(nx.single_source_shortest_path_length(view, concept_id, cutoff=check_hops(depth)))
    relations = [r for _, _, found in view.subgraph(ball).edges(data="relations") for r in found]
    return sorted_graph((concepts[cid] for cid in ball), relations)


def sorted_graph(concepts: Iterable[Concept], relations: Iterable[Relation]) -> KnowledgeGraph:
    """Concepts by id and relations by (source, target, type): the order every store returns."""
    return KnowledgeGraph(concepts=sorted(concepts, key=lambda c: c.id),
                          relations=sorted(relations, key=lambda r: (r.source, r.target, r.type.value)))


def check_hops(depth: int) -> int:
    """Neighbourhoods grow fast: refuse depths that would return most of the graph."""
    if isinstance(depth, bool) or not isinstance(depth, int) or not 0 <= depth <= MAX_HOPS:
        raise ValueError(f"depth must be an integer from 0 to {MAX_HOPS}, not {depth!r}")
    return depth
