"""Which concepts a map shows and how they group: the area around a focus, the most central nodes under a
cap, and communities.

>>> import networkx as nx
>>> network = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "d"), ("a", "c")])
>>> sorted(focus_area(network, "a", 1))
['a', 'b', 'c']
>>> most_central(network, set(network), 2)
['a', 'c']
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterator

import networkx as nx
import numpy

COMMUNITY_SEED = 7
COMMUNITY_METHOD = "Louvain"
# networkit keeps its seed and thread count process-wide: one community run at a time sets and uses them.
_SEEDED_RUN = threading.Lock()


def focus_area(network: nx.MultiDiGraph, focus: str, radius: int) -> set[str]:
    """The focus and every concept within `radius` relations of it, in either direction."""
    lengths = nx.single_source_shortest_path_length(network.to_undirected(as_view=True), focus, cutoff=radius)
    return set(lengths)


def most_central(network: nx.MultiDiGraph, nodes: set[str], cap: int, keep: frozenset[str] = frozenset()
                 ) -> list[str]:
    """At most `cap` of `nodes`, the most connected within them first (`keep` always stays), ties by id."""
    if len(nodes) <= cap:
        return sorted(nodes)
    degree = {node: 0 for node in nodes}
    for source, target in edges_within(network, nodes):
        degree[source] += 1
        degree[target] += 1
    ranked = sorted(nodes, key=lambda node: (node not in keep, -degree[node], node))
    return sorted(ranked[:cap])


def edges_within(network: nx.MultiDiGraph, nodes: set[str]) -> Iterator[tuple[str, str]]:
    """(source, target) of every edge between two of `nodes`, once per relation. Direct adjacency reads: a
    subgraph view re-checks both ends of every edge through several layers of views (4× slower here)."""
    adjacency = network.succ
    for source in nodes:
        for target, keyed in adjacency[source].items():
            if target in nodes:
                for _ in keyed:
                    yield source, target


def communities(network: nx.MultiDiGraph, nodes: list[str]) -> dict[str, int]:
    """Community number per node (0 = largest), seeded so the same graph gets the same colours every time.

    Louvain as networkit's PLM (C++, MIT), one thread, fixed seed: 0.05 s for 10,000 nodes and 30,000 edges,
    where networkx's Louvain took 2.7 s and its fast label propagation 0.6 s with weaker groups (modularity
    0.73 against 0.70 and 0.48 on that graph).
    """
    import networkit  # imports scipy: paid by the first map, not by every CLI command

    number_of = {node: number for number, node in enumerate(nodes)}
    pairs = numpy.array([(number_of[u], number_of[v]) for u, v in edges_within(network, set(nodes)) if u != v],
                        dtype=numpy.uint64).reshape(-1, 2)
    if len(pairs) == 0:
        return {}
    simple = networkit.GraphFromCoo((numpy.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), n=len(nodes),
                                    directed=False)
    simple.removeMultiEdges()
    simple.removeSelfLoops()
    with _SEEDED_RUN:
        networkit.setNumberOfThreads(1)
        networkit.setSeed(COMMUNITY_SEED, False)
        louvain = networkit.community.PLM(simple, refine=True)
        louvain.run()
        membership = louvain.getPartition().getVector()
    groups: dict[int, list[int]] = defaultdict(list)
    for member, group in enumerate(membership):
        groups[group].append(member)
    ordered = sorted(groups.values(), key=lambda group: (-len(group), group[0]))
    return {nodes[member]: rank for rank, group in enumerate(ordered) for member in group}
