"""The concept graph as networkx: what the maps draw, with every concept and relation field on it.

Nodes are concept ids carrying `concept` (the model); edges are keyed by relation type and carry `relation`.
A MultiDiGraph because two concepts can be related in several ways (GQA VARIANT_OF MHA, GQA COMPARED_WITH MHA).

>>> from graph.models import Concept, Evidence, KnowledgeGraph, Relation
>>> kg = KnowledgeGraph(concepts=[Concept(id="gqa", name="GQA"), Concept(id="mha", name="MHA")], relations=[
...     Relation(source="gqa", target="mha", type="VARIANT_OF", confidence=0.8,
...              evidence=[Evidence(document="d.md", line=3, text="GQA 是 MHA 的变体")])])
>>> network = concept_network(kg)
>>> network.nodes["gqa"]["concept"].name, list(network.edges(keys=True))
('GQA', [('gqa', 'mha', 'VARIANT_OF')])
"""

from __future__ import annotations

import networkx as nx

from graph.models import KnowledgeGraph


def concept_network(graph: KnowledgeGraph) -> nx.MultiDiGraph:
    """Every concept and every relation (co-occurrence included) of one graph."""
    network = nx.MultiDiGraph()
    network.add_nodes_from((concept.id, {"concept": concept}) for concept in graph.concepts)
    network.add_edges_from((relation.source, relation.target, relation.type.value, {"relation": relation})
                           for relation in graph.relations
                           if relation.source in network and relation.target in network)
    return network
