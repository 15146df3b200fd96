"""What a real Neo4j 5 answers that ArcadeDB does not: built-in LOOKUP indexes, rate-limited logins, Security
errors, an HTTP address. Rows and errors are built with the driver's own types, as the driver builds them from the
server's messages, so no server is needed."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

import neo4j
import pytest
from neo4j.exceptions import AuthError, ClientError, Forbidden, Neo4jError

from graph.errors import StoreError, StoreUnavailable
from graph.store import neo4j_store
from graph.store.neo4j_rows import schema_keys
from graph.store.neo4j_store import BOLT_SCHEMES, Neo4jStore, check_bolt_uri
from tests.conftest import ROOT
from tests.support.server import CLI

URI = "bolt://neo4j.example:7687"
INDEX_COLUMNS = ("id", "name", "state", "populationPercent", "type", "entityType", "labelsOrTypes", "properties",
                 "indexProvider", "owningConstraint", "lastRead", "readCount")
# `SHOW INDEXES` on a fresh Neo4j 5.13 Community database after the store's schema setup (abridged to four rows).
NEO4J_5_INDEXES = [
    (1, "index_343aff4e", "ONLINE", 100.0, "LOOKUP", "NODE", None, None, "token-lookup-1.0", None,
     neo4j.time.DateTime(2026, 11, 30, 14, 0, 0, tzinfo=UTC), 12),
    (2, "index_f7700477", "ONLINE", 100.0, "LOOKUP", "RELATIONSHIP", None, None, "token-lookup-1.0", None, None, 0),
    (3, "concept_id", "ONLINE", 100.0, "RANGE", "NODE", ["Concept"], ["id"], "range-1.0", "concept_id", None, 0),
    (7, "concept_name_key", "ONLINE", 100.0, "RANGE", "NODE", ["Concept"], ["name_key"], "range-1.0", None, None, 0),
]
CONSTRAINT_COLUMNS = ("id", "name", "type", "entityType", "labelsOrTypes", "properties", "ownedIndex", "propertyType")
NEO4J_5_CONSTRAINTS = [
    (4, "concept_id", "UNIQUENESS", "NODE", ["Concept"], ["id"], "concept_id", None),
    (5, "document_id", "UNIQUENESS", "NODE", ["Document"], ["id"], "document_id", None),
]


def records(columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> list[neo4j.Record]:
    return [neo4j.Record(zip(columns, row, strict=True)) for row in rows]


def server_error(code: str, message: str) -> Neo4jError:
    """The exception the driver raises for a FAILURE message from a Neo4j 5.13 server (Bolt 5.3, before GQL)."""
    return Neo4jError._hydrate_neo4j(code=code, message=message)


RATE_LIMITED = server_error("Neo.ClientError.Security.AuthenticationRateLimit",
                            "The client has provided incorrect authentication details too many times in a row.")


class RefusingDriver:
    """Stands in for `neo4j.Driver`: raises `error` from the named step, answers everything else with no rows."""

    def __init__(self, error: Neo4jError, step: str) -> None:
        self.error, self.step = error, step

    def verify_connectivity(self) -> None:
        if self.step == "connect":
            raise self.error

    def execute_query(self, query: str, *args: Any, **kwargs: Any) -> tuple[list[neo4j.Record], None, None]:
        if self.step == "schema" or (self.step == "read" and query not in neo4j_store.cypher.SCHEMA):
            raise self.error
        return [], None, None


@pytest.fixture
def driver_raising(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    def install(error: Neo4jError, step: str) -> None:
        monkeypatch.setattr(neo4j_store, "_DRIVERS", {})
        monkeypatch.setattr(neo4j.GraphDatabase, "driver", lambda *args, **kwargs: RefusingDriver(error, step))

    yield install


def test_schema_keys_skip_neo4j_builtin_lookup_indexes() -> None:
    indexes = records(INDEX_COLUMNS, NEO4J_5_INDEXES)
    assert [r["labelsOrTypes"] for r in indexes if r["type"] == "LOOKUP"] == [None, None]
    assert schema_keys(indexes) == {("Concept", ("id",)), ("Concept", ("name_key",))}
    assert schema_keys(records(CONSTRAINT_COLUMNS, NEO4J_5_CONSTRAINTS)) == {("Concept", ("id",)),
                                                                             ("Document", ("id",))}


def test_a_rate_limited_login_names_the_credentials_and_says_to_wait(driver_raising: Any) -> None:
    # Not an AuthError: the driver maps only Unauthorized and AuthorizationFailed to it.
    assert type(RATE_LIMITED) is ClientError
    driver_raising(RATE_LIMITED, "connect")
    with pytest.raises(StoreUnavailable) as raised:
        Neo4jStore(URI, "neo4j", "wrong")
    message = str(raised.value)
    assert "STUDYGRAPH_NEO4J_USER" in message and "STUDYGRAPH_NEO4J_PASSWORD" in message
    assert "wait" in message and URI in message and "schema" not in message


@pytest.mark.parametrize(("code", "message", "step", "kind"), [
    ("Neo.ClientError.Security.Unauthorized", "The client is unauthorized due to authentication failure.",
     "connect", AuthError),
    ("Neo.ClientError.Security.CredentialsExpired", "The credentials you provided were valid, but must be "
     "changed before you can use this instance.", "schema", ClientError),
    ("Neo.ClientError.Security.Forbidden", "Schema operation 'create_constraint' is not allowed for user 'reader' "
     "with roles [reader].", "schema", Forbidden),
])
def test_security_errors_name_the_credentials(driver_raising: Any, code: str, message: str, step: str,
                                              kind: type[Neo4jError]) -> None:
    error = server_error(code, message)
    assert type(error) is kind
    driver_raising(error, step)
    with pytest.raises(StoreUnavailable, match="STUDYGRAPH_NEO4J_USER and STUDYGRAPH_NEO4J_PASSWORD") as raised:
        Neo4jStore(URI, "reader", "secret")
    assert message in str(raised.value)


def test_a_security_error_on_a_read_names_the_credentials(driver_raising: Any) -> None:
    driver_raising(server_error("Neo.ClientError.Security.TokenExpired", "Token expired."), "read")
    with pytest.raises(StoreUnavailable, match="STUDYGRAPH_NEO4J_PASSWORD"):
        Neo4jStore(URI, "neo4j", "secret").documents()


def test_other_schema_failures_still_blame_the_schema_setup(driver_raising: Any) -> None:
    driver_raising(server_error("Neo.ClientError.Statement.SyntaxError", "Invalid input 'CONSTRAINT'"), "schema")
    with pytest.raises(StoreError, match="rejected the schema setup: Invalid input") as raised:
        Neo4jStore(URI, "neo4j", "secret")
    assert not isinstance(raised.value, StoreUnavailable)


@pytest.mark.parametrize("scheme", [*BOLT_SCHEMES, "BOLT", "Neo4j+S"])
def test_every_bolt_scheme_is_accepted(scheme: str) -> None:
    check_bolt_uri(f"{scheme}://127.0.0.1:7687")


@pytest.mark.parametrize(("uri", "hint"), [
    ("http://127.0.0.1:7474", "bolt://127.0.0.1:7687"), ("https://db.example:7473", "neo4j://db.example:7687"),
    ("bolt+routing://db.example", "bolt://db.example:7687"), ("http://[::1]:7474", "bolt://[::1]:7687"),
    ("localhost:7687", "bolt://HOST:7687"), ("http://[::1", "bolt://HOST:7687"),
])
def test_other_schemes_are_refused_with_the_address_to_use(uri: str, hint: str) -> None:
    with pytest.raises(StoreUnavailable, match="is not a Bolt address") as raised:
        check_bolt_uri(uri)
    assert hint in str(raised.value)


def test_the_cli_refuses_an_http_uri_in_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "STUDYGRAPH_STORE": "neo4j", "STUDYGRAPH_NEO4J_URI": "http://127.0.0.1:7474",
           "STUDYGRAPH_DATA_DIR": str(tmp_path)}
    done = subprocess.run([*CLI, "concepts"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 5, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr and "aiohttp" not in done.stderr
    assert "bolt://127.0.0.1:7687" in done.stderr and "neo4j://127.0.0.1:7687" in done.stderr
