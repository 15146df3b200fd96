"""The Neo4j store: the merged graph as nodes and typed relationships, through the official driver.

Merging stays in Python (`merge_graphs`), exactly as in the embedded store, so both stores hold the same graph.
A write replaces documents in one managed transaction: it takes the store's write lock, re-merges from the
documents' stored extractions, and writes only what changed. A failure anywhere rolls the whole write back.
"""

from __future__ import annotations

import atexit
import random
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

import neo4j
from neo4j.exceptions import AuthError, ConfigurationError, ConstraintError, Neo4jError, ServiceUnavailable

from graph.bulk import long_lived, paused_gc
from graph.errors import ConceptNotFound, StoreError, StoreUnavailable
from graph.lookup import suggest
from graph.merge import merge_graphs
from graph.models import Concept, Document, DocumentGraph, KnowledgeGraph, Profile, Relation, RelationType
from graph.normalize import concept_key
from graph.precedence import PREREQUISITE_OF_SOURCE, PREREQUISITE_OF_TARGET
from graph.store import cypher
from graph.store.neo4j_rows import (
    concept_from_row,
    concept_row,
    document_rows,
    mention_rows,
    relation_from_row,
    relation_row,
    unpack_payload,
)
from graph.store.protocol import DocumentChange, ProfileChange, stored_profile_name
from graph.store.traversal import prerequisite_closure, sorted_graph

BATCH_ROWS = 5000
BATCH_BYTES = 4_000_000  # well under the 16 MB Bolt servers accept in one message
WRITE_ATTEMPTS = 5
_WRITERS = threading.Lock()  # writers in one process queue here instead of racing on the server
_TYPED = [t for t in RelationType if t.typed]
_DRIVERS: dict[tuple[str, str, str], neo4j.Driver] = {}
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
SECURITY_ERRORS = "Neo.ClientError.Security."
RATE_LIMITED = "Neo.ClientError.Security.AuthenticationRateLimit"


def shared_driver(uri: str, user: str, password: str) -> neo4j.Driver:
    """One driver per process and login (drivers pool connections and are costly to make); closed at exit."""
    key = (uri, user, password)
    if key not in _DRIVERS:
        _DRIVERS[key] = neo4j.GraphDatabase.driver(uri, auth=(user, password))
    return _DRIVERS[key]


@atexit.register
def close_drivers() -> None:
    while _DRIVERS:
        _DRIVERS.popitem()[1].close()


def _batches(rows: list[Any]) -> Iterator[list[Any]]:
    """Rows in batches of at most BATCH_ROWS rows and roughly BATCH_BYTES bytes."""
    batch: list[Any] = []
    size = 0
    for row in rows:
        row_size = len(repr(row))
        if batch and (len(batch) >= BATCH_ROWS or size + row_size > BATCH_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(row)
        size += row_size
    if batch:
        yield batch


class Neo4jStore:
    """A GraphStore on a Neo4j (or Bolt-compatible) server."""

    kind = "neo4j"
    last_merge_seconds = 0.0  # of the last write, for benchmarks: the part spent merging in Python

    def __init__(self, uri: str, user: str, password: str, database: str = "neo4j") -> None:
        check_bolt_uri(uri)
        self.uri, self.user, self.database = uri, user, database
        try:
            self.driver = shared_driver(uri, user, password)
            self.driver.verify_connectivity()
            for statement in cypher.SCHEMA:
                self.driver.execute_query(statement, database_=database)
        except (ServiceUnavailable, ConfigurationError, ValueError, OSError) as exc:
            raise StoreUnavailable(f"cannot reach Neo4j at {uri}: {exc}. Is the server running "
                                   "(docker compose up neo4j) and STUDYGRAPH_NEO4J_URI right?") from exc
        except Neo4jError as exc:
            raise (login_refused(uri, user, exc)
                   or StoreError(f"Neo4j at {uri} rejected the schema setup: {exc.message}")) from exc

    # ---- reads ----
    def _read(self, query: str, **parameters: Any) -> list[neo4j.Record]:
        try:
            records, _, _ = self.driver.execute_query(query, parameters, database_=self.database,
                                                      routing_=neo4j.RoutingControl.READ)
        except ServiceUnavailable as exc:
            raise StoreUnavailable(f"lost the connection to Neo4j at {self.uri}: {exc}") from exc
        except Neo4jError as exc:
            refused = login_refused(self.uri, self.user, exc)
            if refused:
                raise refused from exc
            raise
        return records

    def document_graphs(self) -> dict[str, DocumentGraph]:
        return {r["id"]: unpack_payload(r["payload"]) for r in self._read(cypher.DOCUMENT_PAYLOADS)}

    def document_hashes(self) -> dict[str, str]:
        return {r["id"]: r["sha256"] for r in self._read(cypher.DOCUMENT_HASHES)}

    def documents(self) -> list[Document]:
        return [graph.document for graph in self.document_graphs().values()]

    def revision(self) -> str:
        records = self._read(cypher.STORE_REVISION)
        writes = records[0]["writes"] if records else None
        return f"writes:{writes or 0}"

    def graph(self) -> KnowledgeGraph:
        with long_lived():
            concepts = [concept_from_row(r["c"]) for r in self._read(cypher.CONCEPTS)]
            relations = self._relations(cypher.RELATIONS, types=[t.value for t in RelationType])
            graph = sorted_graph(concepts, relations)
            graph.documents = self.documents()
        return graph

    def _relations(self, query: str, **parameters: Any) -> list[Relation]:
        return [relation_from_row(r["source"], r["target"], r["type"], {f: r[f] for f in cypher.RELATION_FIELDS})
                for r in self._read(query, **parameters)]

    def find_concept(self, name: str) -> Concept:
        key = concept_key(name)
        for query, parameters in ((cypher.CONCEPT_BY_ID, {"id": name}), (cypher.CONCEPT_BY_NAME_KEY, {"key": key}),
                                  (cypher.CONCEPT_BY_ALIAS_KEY, {"key": key})):
            found = self._read(query, **parameters)
            if found:
                return concept_from_row(found[0]["c"])
        labels = [(r["name"], list(r["aliases"] or [])) for r in self._read(cypher.CONCEPT_LABELS)]
        raise ConceptNotFound(name, suggest(labels, name))

    def neighbourhood(self, concept_id: str, depth: int = 1, typed_only: bool = True) -> KnowledgeGraph:
        types = _TYPED if typed_only else list(RelationType)
        found = self._read(cypher.neighbourhood(depth, types), id=concept_id, types=[t.value for t in types])
        if not found:
            raise ConceptNotFound(concept_id, [])
        concepts = [concept_from_row(row) for row in found[0]["concepts"]]
        relations = [relation_from_row(r["source"], r["target"], r["type"], r) for r in found[0]["relations"]
                     if r["type"] is not None]
        return sorted_graph(concepts, relations)

    def prerequisite_subgraph(self, concept_id: str, max_depth: int | None = None) -> KnowledgeGraph:
        if not self._read(cypher.CONCEPT_BY_ID, id=concept_id):
            raise ConceptNotFound(concept_id, [])
        forward = [t.value for t in PREREQUISITE_OF_SOURCE]
        backward = [t.value for t in PREREQUISITE_OF_TARGET]

        def fetch(ids: list[str]) -> list[Relation]:
            return (self._relations(cypher.PREREQUISITES_OF_SOURCES, ids=ids, types=forward)
                    + self._relations(cypher.PREREQUISITES_OF_TARGETS, ids=ids, types=backward))

        ids, relations = prerequisite_closure(concept_id, fetch, max_depth)
        concepts = [concept_from_row(r["c"]) for r in self._read(cypher.CONCEPTS_BY_IDS, ids=sorted(ids))]
        return sorted_graph(concepts, relations)

    # ---- writes ----
    def update_documents(self, change: DocumentChange) -> KnowledgeGraph:
        """Reads the documents, works the change out, then writes it in one transaction. Unlike the embedded
        store's lock, nothing stops another writer between the read and the write."""
        graphs, removed = change(self.document_graphs())
        return self.replace_documents(graphs, removed)

    def replace_documents(self, graphs: Iterable[DocumentGraph], removed: Iterable[str] = ()) -> KnowledgeGraph:
        incoming, dropped = list(graphs), set(removed)
        with paused_gc():
            merged: KnowledgeGraph = self._write(self._replace, incoming, dropped)
        return merged

    def _write(self, work: Callable[..., Any], *arguments: Any) -> Any:
        """Run `work` in one managed transaction; a write that lost a race to another writer runs again."""
        with _WRITERS, self.driver.session(database=self.database) as session:
            for attempt in range(1, WRITE_ATTEMPTS + 1):
                try:
                    return session.execute_write(work, *arguments)
                except ServiceUnavailable as exc:
                    raise StoreUnavailable(f"lost the connection to Neo4j at {self.uri}: {exc}") from exc
                except Neo4jError as exc:
                    if attempt < WRITE_ATTEMPTS and _lost_a_race(exc):
                        time.sleep(random.uniform(0.05, 0.2) * attempt)
                        continue
                    raise (login_refused(self.uri, self.user, exc)
                           or StoreError(f"Neo4j at {self.uri} refused the write, nothing was changed: "
                                         f"{exc.message}")) from exc
        raise AssertionError("unreachable")

    # ---- learner profiles: a (:Profile {name}) node holding the profile as JSON, apart from the graph ----
    def profile(self, name: str) -> Profile:
        name = stored_profile_name(name)
        found = self._read(cypher.PROFILE, name=name)
        payload = found[0]["payload"] if found else None
        return Profile.model_validate_json(payload) if payload else Profile(name=name)

    def profile_names(self) -> list[str]:
        return [record["name"] for record in self._read(cypher.PROFILE_NAMES)]

    def update_profile(self, name: str, change: ProfileChange) -> Profile:
        name = stored_profile_name(name)

        def work(tx: neo4j.ManagedTransaction) -> Profile:
            payload = tx.run(cypher.TAKE_PROFILE, name=name).single()["payload"]  # type: ignore[index]
            stored = Profile.model_validate_json(payload) if payload else Profile(name=name)
            changed = change(stored).model_copy(update={"name": name})
            tx.run(cypher.STORE_PROFILE, name=name, payload=changed.model_dump_json()).consume()
            return changed

        profile: Profile = self._write(work)
        return profile

    def _replace(self, tx: neo4j.ManagedTransaction, incoming: list[DocumentGraph], dropped: set[str]) -> KnowledgeGraph:
        """One transaction; the driver may run it again on a transient error, so it reads everything it needs."""
        tx.run(cypher.TAKE_WRITE_LOCK).consume()
        before = {r["id"]: unpack_payload(r["payload"]) for r in tx.run(cypher.DOCUMENT_PAYLOADS)}
        after = {doc_id: graph for doc_id, graph in before.items() if doc_id not in dropped}
        replaced = [g for g in incoming if before.get(g.document.id) != g]
        after.update({g.document.id: g for g in replaced})
        started = time.perf_counter()
        old, new = merge_graphs(before.values()), merge_graphs(after.values())
        self.last_merge_seconds = time.perf_counter() - started
        touched_documents = {g.document.id for g in replaced} | (dropped & set(before))

        def run(query: str, rows: list[Any], key: str = "rows") -> None:
            for batch in _batches(rows):
                tx.run(query, {key: batch}).consume()

        old_relations = {(r.source, r.target, r.type): r for r in old.relations}
        new_relations = {(r.source, r.target, r.type): r for r in new.relations}
        for relation_type, keys in _by_type(k for k in old_relations if k not in new_relations).items():
            run(cypher.delete_relations(relation_type), [{"source": s, "target": t} for s, t in keys])
        old_concepts = {c.id: c for c in old.concepts}
        new_concepts = {c.id: c for c in new.concepts}
        run(cypher.DELETE_CONCEPTS, [cid for cid in old_concepts if cid not in new_concepts], key="ids")
        run(cypher.DELETE_DOCUMENTS, sorted(touched_documents), key="ids")
        upserted = [c for c in new.concepts if old_concepts.get(c.id) != c]
        run(cypher.CREATE_CONCEPTS, [concept_row(c) for c in upserted if c.id not in old_concepts])
        run(cypher.UPSERT_CONCEPTS, [concept_row(c) for c in upserted if c.id in old_concepts])
        changed = [key for key, r in new_relations.items() if old_relations.get(key) != r]
        for statement, written in ((cypher.create_relations, [k for k in changed if k not in old_relations]),
                                   (cypher.merge_relations, [k for k in changed if k in old_relations])):
            for relation_type, pairs in _by_type(written).items():
                run(statement(relation_type), [relation_row(new_relations[(s, t, relation_type)]) for s, t in pairs])
        self._write_documents(run, [after[doc_id] for doc_id in sorted(touched_documents) if doc_id in after])
        remention = {c.id for c in upserted} | {
            c.id for c in new.concepts if any(loc.document in touched_documents for loc in c.locations)}
        run(cypher.DELETE_MENTIONS, sorted(remention), key="ids")
        run(cypher.CREATE_MENTIONS, mention_rows([new_concepts[cid] for cid in sorted(remention)], after))
        return new

    @staticmethod
    def _write_documents(run: Any, graphs: list[DocumentGraph]) -> None:
        nodes, sections, questions = [], [], []
        for graph in graphs:
            node, graph_sections, graph_questions = document_rows(graph)
            nodes.append(node)
            sections += graph_sections
            questions += graph_questions
        run(cypher.CREATE_DOCUMENTS, nodes)
        run(cypher.CREATE_SECTIONS, sections)
        run(cypher.LINK_SUBSECTIONS, [s for s in sections if s["parent"]])
        run(cypher.CREATE_QUESTIONS, questions)

    def close(self) -> None:
        """The driver is shared by the process and closed at exit; nothing is held per store."""


def check_bolt_uri(uri: str) -> None:
    """The store speaks Bolt only. Given http://, the driver tries its HTTP transport, which needs aiohttp (not
    installed) and ends in an import error, so anything else is refused here with the address to use instead."""
    scheme, separator, _ = uri.partition("://")
    if separator and scheme.lower() in BOLT_SCHEMES:
        return
    try:
        host = urlsplit(uri).hostname if separator else None
    except ValueError:
        host = None
    host = f"[{host}]" if host and ":" in host else host or "HOST"
    raise StoreUnavailable(f"STUDYGRAPH_NEO4J_URI {uri!r} is not a Bolt address: use bolt://{host}:7687 or "
                           f"neo4j://{host}:7687 (bolt+s:// or neo4j+s:// for TLS)")


def login_refused(uri: str, user: str, error: Neo4jError) -> StoreUnavailable | None:
    """The credentials' fault, whichever statement met it: any Security error. After repeated wrong passwords Neo4j
    answers AuthenticationRateLimit, a plain ClientError rather than an AuthError, and refuses even the right
    password until the lock (`dbms.security.auth_lock_time`, 5 s by default) runs out."""
    if not isinstance(error, AuthError) and not (error.code or "").startswith(SECURITY_ERRORS):
        return None
    check = "check STUDYGRAPH_NEO4J_USER and STUDYGRAPH_NEO4J_PASSWORD"
    if error.code == RATE_LIMITED:
        return StoreUnavailable(f"Neo4j at {uri} locked out user {user!r} after repeated failed logins: {check}, "
                                "then wait a few seconds before retrying")
    return StoreUnavailable(f"Neo4j at {uri} refused user {user!r} ({error.message}): {check}")


def _lost_a_race(error: Neo4jError) -> bool:
    """Another writer committed first. Neo4j serialises writers on the lock node; servers with optimistic
    concurrency (ArcadeDB) instead fail the later commit, which is safe to run again from a fresh read."""
    return isinstance(error, ConstraintError) or "concurrent" in (error.message or "").lower()


def _by_type(keys: Iterable[tuple[str, str, RelationType]]) -> dict[RelationType, list[tuple[str, str]]]:
    grouped: dict[RelationType, list[tuple[str, str]]] = defaultdict(list)
    for source, target, relation_type in keys:
        grouped[relation_type].append((source, target))
    return grouped
