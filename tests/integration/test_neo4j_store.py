"""Neo4jStore against a real Bolt server: failures roll back, bad connections name the URI, writers serialise."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

import neo4j
import pytest

from graph.errors import StoreError, StoreUnavailable
from graph.merge import merge_graphs
from graph.store import cypher
from graph.store import neo4j_store as neo4j_store_module
from graph.store.neo4j_rows import schema_keys
from graph.store.neo4j_store import Neo4jStore
from tests.conftest import EXAMPLES, neo4j_store, wipe
from tests.integration.test_store_contract import extract, hostile_document
from tests.support.arcadedb import BoltServer, free_port


def test_a_write_that_fails_midway_leaves_the_previous_graph(bolt_server: BoltServer,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    wipe(bolt_server)
    store = neo4j_store(bolt_server)
    graphs = extract(EXAMPLES)
    store.replace_documents(graphs[:2])
    before = store.graph()
    # The last statement of the transaction fails on the server, after concepts and relations were written.
    monkeypatch.setattr(cypher, "CREATE_MENTIONS", "UNWIND $rows AS row RETURN row.missing.deeper AS boom +")
    with pytest.raises(StoreError, match="nothing was changed"):
        store.replace_documents(graphs[2:])
    assert store.graph() == before


def test_unreachable_server_names_the_uri() -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"
    with pytest.raises(StoreUnavailable, match=f"cannot reach Neo4j at {uri}"):
        Neo4jStore(uri, "neo4j", "whatever")


def test_wrong_password_says_which_setting_to_check(bolt_server: BoltServer) -> None:
    with pytest.raises(StoreUnavailable, match="STUDYGRAPH_NEO4J_PASSWORD"):
        Neo4jStore(bolt_server.uri, bolt_server.user, bolt_server.password + "-wrong", bolt_server.database)


def test_concurrent_writers_both_land(bolt_server: BoltServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two writers at once, as two processes would be (the in-process queue is taken away)."""
    monkeypatch.setattr(neo4j_store_module, "_WRITERS", contextlib.nullcontext())
    wipe(bolt_server)
    graphs = [*extract(EXAMPLES), hostile_document()]
    halves = [graphs[0::2], graphs[1::2]]
    failures: list[BaseException] = []

    def write(part: list) -> None:  # type: ignore[type-arg]
        try:
            neo4j_store(bolt_server).replace_documents(part)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(half,)) for half in halves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    assert neo4j_store(bolt_server).graph() == merge_graphs(graphs)


def test_schema_has_the_constraints_and_name_index(bolt_server: BoltServer) -> None:
    neo4j_store(bolt_server)
    neo4j_store(bolt_server)  # created idempotently
    with neo4j.GraphDatabase.driver(bolt_server.uri, auth=(bolt_server.user, bolt_server.password)) as driver:
        constraints, _, _ = driver.execute_query("SHOW CONSTRAINTS", database_=bolt_server.database)
        indexes, _, _ = driver.execute_query("SHOW INDEXES", database_=bolt_server.database)
    assert {("Concept", ("id",)), ("Document", ("id",))} <= schema_keys(constraints)
    assert ("Concept", ("name_key",)) in schema_keys(indexes)


def test_the_graph_is_browsable_with_cypher(bolt_server: BoltServer, tmp_path: Path) -> None:
    """The README's example query: everything that extends or varies positional encoding, with its evidence."""
    wipe(bolt_server)
    notes = tmp_path / "notes.md"
    notes.write_text("# 位置编码\n\nRoPE 是一种位置编码。ALiBi 是位置编码的变体。\n", encoding="utf-8")
    neo4j_store(bolt_server).replace_documents(extract(notes))
    query = """
MATCH (c:Concept)-[r:EXTENDS|VARIANT_OF|IS_A]->(p:Concept {id: 'positional-encoding'})
RETURN c.name AS concept, type(r) AS relation, r.evidence_texts[0] AS evidence ORDER BY concept
"""
    with neo4j.GraphDatabase.driver(bolt_server.uri, auth=(bolt_server.user, bolt_server.password)) as driver:
        records, _, _ = driver.execute_query(query, database_=bolt_server.database)
    found = {(r["concept"], r["relation"]) for r in records}
    assert {("RoPE", "IS_A"), ("ALiBi", "VARIANT_OF")} <= found
    assert all("位置编码" in r["evidence"] for r in records)
