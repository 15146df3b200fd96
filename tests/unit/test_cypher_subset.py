"""The Cypher module keeps to what Neo4j 5 and ArcadeDB both accept, and never formats data into a query."""

from __future__ import annotations

import ast
import re

import pytest

from graph.models import RelationType
from graph.store import cypher
from graph.store.neo4j_rows import concept_row, document_rows, relation_row
from tests.conftest import EXAMPLES, ROOT
from tests.integration.test_store_contract import extract, hostile_document

CYPHER_MODULE = ROOT / "graph" / "store" / "cypher.py"
STORE_MODULES = [ROOT / "graph" / "store" / name for name in ("neo4j_store.py", "cypher.py", "neo4j_rows.py")]

FORBIDDEN = {
    "fulltext index": re.compile(r"FULLTEXT|db\.index\.fulltext", re.I),
    "SHORTEST path syntax": re.compile(r"\bSHORTEST\b|shortestPath|allShortestPaths", re.I),
    "quantified path pattern": re.compile(r"\)\s*\{\s*\d*\s*,?\s*\d*\s*\}|\]\s*-?>?\s*[+*]\s*\("),
    "exists(n.prop)": re.compile(r"\bexists\s*\(", re.I),
    "CALL {} IN TRANSACTIONS": re.compile(r"IN\s+TRANSACTIONS", re.I),
    "Enterprise constraint": re.compile(r"IS\s+NOT\s+NULL|IS\s+NODE\s+KEY|IS\s+RELATIONSHIP\s+KEY|IS\s+::|IS\s+TYPED", re.I),
}


def _query_texts() -> list[str]:
    texts = [value for value in vars(cypher).values() if isinstance(value, str)]
    texts += [q for value in vars(cypher).values() if isinstance(value, tuple) for q in value]
    texts += [make(t) for make in (cypher.merge_relations, cypher.create_relations, cypher.delete_relations)
              for t in RelationType]
    texts += [cypher.neighbourhood(depth, list(RelationType)) for depth in range(cypher.check_hops(6) + 1)]
    return texts


@pytest.mark.parametrize("feature", sorted(FORBIDDEN))
def test_no_statement_uses_a_feature_outside_the_shared_subset(feature: str) -> None:
    pattern = FORBIDDEN[feature]
    assert [q for q in _query_texts() if pattern.search(q)] == []
    assert not pattern.search(CYPHER_MODULE.read_text(encoding="utf-8").split('"""', 2)[2])


def test_only_relation_types_and_hop_counts_are_formatted_into_queries() -> None:
    tree = ast.parse(CYPHER_MODULE.read_text(encoding="utf-8"))
    formatted = [ast.unparse(value.value) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
                 for value in node.values if isinstance(value, ast.FormattedValue)]
    # Relation types (checked against RelationType), hop counts (checked integers), constant field names.
    allowed = {"_relationship_type(relation_type)", "pattern", "hops", "reach", "field", "RELATION_MAP", "clause"}
    assert formatted and set(formatted) <= allowed
    with pytest.raises(ValueError):
        cypher.merge_relations("KNOWS]->() DETACH DELETE n //")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        cypher.neighbourhood("2}]-() DETACH DELETE n //", [])  # type: ignore[arg-type]


def test_writes_never_use_auto_commit_session_run() -> None:
    for module in STORE_MODULES:
        assert "session.run(" not in module.read_text(encoding="utf-8"), module.name


def test_every_list_property_holds_one_type() -> None:
    graphs = [*extract(EXAMPLES), hostile_document()]
    rows = [concept_row(c) for g in graphs for c in g.concepts]
    rows += [relation_row(r)["properties"] for g in graphs for r in g.relations]
    for graph in graphs:
        node, sections, questions = document_rows(graph)
        rows += [node, *sections, *questions]
    lists = [(key, value) for row in rows for key, value in row.items() if isinstance(value, list)]
    assert lists
    mixed = [(key, value) for key, value in lists if len({type(item) for item in value}) > 1]
    assert mixed == []
    assert not [key for row in rows for key, value in row.items() if isinstance(value, dict)]
