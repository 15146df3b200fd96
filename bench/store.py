"""Store benchmark: write a synthetic graph into each store, then time neighbourhood and prerequisite fetches.

Run: .venv/bin/python bench/store.py [--concepts 20000] [--relations 100000] [--reads 100]
The Neo4j figures come from ArcadeDB's Bolt server (started here), or from STUDYGRAPH_TEST_NEO4J_URI when set.
The Neo4j database is emptied first (every node in it is deleted, the schema stays), so a write measures the same
work on every run: point STUDYGRAPH_TEST_NEO4J_URI at a scratch database.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.models import (  # noqa: E402
    Concept,
    Document,
    DocumentGraph,
    Evidence,
    Location,
    Relation,
    RelationType,
    Section,
)
from graph.store import GraphStore, cypher  # noqa: E402
from graph.store.embedded import EmbeddedStore  # noqa: E402

DOCUMENTS = 20
SECTIONS_PER_DOCUMENT = 50
TYPES = [t for t in RelationType if t.typed]


def synthetic_graphs(concepts: int, relations: int, seed: int = 7) -> list[DocumentGraph]:
    """Documents whose concepts and relations merge into `concepts` concepts and `relations` relations,
    each relation with two evidence records. Relations point from a concept to lower-numbered ones, in the
    neighbourhood of related topics, the way notes build on earlier material."""
    rng = random.Random(seed)
    graphs = []
    for d in range(DOCUMENTS):
        doc_id = f"bench/doc{d:02}.md"
        sections = [Section(id=f"{doc_id}#L{s * 20 + 1}", heading=f"section {s}", level=2, line_start=s * 20 + 1,
                            line_end=s * 20 + 20) for s in range(SECTIONS_PER_DOCUMENT)]
        own = range(d, concepts, DOCUMENTS)
        doc_concepts = [Concept(id=f"c{i:05}", name=f"c{i:05}", aliases=[f"alias{i:05}"], kind="method",
                                definition=f"c{i:05} is a synthetic concept number {i}.", mentions=2,
                                signals=["discovered"],
                                locations=[Location(document=doc_id, line=(i * 7 + k) % 1000 + 1,
                                                    section=f"section {((i * 7 + k) % 1000) // 20}") for k in (0, 3)])
                        for i in own]
        graphs.append(DocumentGraph(document=Document(id=doc_id, path=doc_id, title=f"doc {d}", sha256=f"{d:064}",
                                                      encoding="utf-8", chars=50_000, lines=1000, sections=sections),
                                    concepts=doc_concepts, relations=[]))
    seen: set[tuple[str, str, RelationType]] = set()
    while len(seen) < relations:
        source = rng.randrange(1, concepts)
        target = max(0, source - 1 - int(rng.expovariate(1 / 200)))
        relation_type = rng.choice(TYPES)
        if relation_type is RelationType.PART_OF:
            source, target = target, source  # the part is the earlier, simpler material
        if relation_type.symmetric and target > source:
            source, target = target, source
        key = (f"c{source:05}", f"c{target:05}", relation_type)
        if key in seen:
            continue
        seen.add(key)
        graph = graphs[source % DOCUMENTS]
        evidence = [Evidence(document=graph.document.id, line=rng.randrange(1, 1000), section="section 1",
                             text=f"{key[0]} {relation_type.value.lower()} {key[1]}, sentence {k}.", rule="bench")
                    for k in range(2)]
        graph.relations.append(Relation(source=key[0], target=key[1], type=relation_type, confidence=0.6,
                                        evidence=evidence))
    return graphs


def measure(store: GraphStore, graphs: list[DocumentGraph], reads: int, seed: int = 11) -> dict[str, float]:
    relations = sum(len(g.relations) for g in graphs)
    start = time.perf_counter()
    merged = store.replace_documents(graphs)
    write_seconds = time.perf_counter() - start
    rng = random.Random(seed)
    ids = [c.id for c in merged.concepts]
    targets = [rng.choice(ids) for _ in range(reads)]
    near, needed, sizes = [], [], []
    for concept_id in targets:
        start = time.perf_counter()
        found = store.neighbourhood(concept_id, depth=2)
        near.append(time.perf_counter() - start)
        sizes.append(len(found.concepts))
        start = time.perf_counter()
        store.prerequisite_subgraph(concept_id, max_depth=3)
        needed.append(time.perf_counter() - start)
    merge_seconds = getattr(store, "last_merge_seconds", None)
    extra = {} if merge_seconds is None else {
        "merge_seconds": merge_seconds, "database_per_second": relations / (write_seconds - merge_seconds)}
    return {**extra, "write_seconds": write_seconds, "relations_per_second": relations / write_seconds,
            "near_ms": statistics.median(near) * 1000, "near_size": statistics.median(sizes),
            "needed_ms": statistics.median(needed) * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--concepts", type=int, default=20_000)
    parser.add_argument("--relations", type=int, default=100_000)
    parser.add_argument("--reads", type=int, default=100)
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    graphs = synthetic_graphs(args.concepts, args.relations)
    evidence = sum(len(r.evidence) for g in graphs for r in g.relations)
    print(f"synthetic graph: {args.concepts:,} concepts, {args.relations:,} relations, {evidence:,} evidence records")
    me = psutil.Process()
    results = {}
    with tempfile.TemporaryDirectory() as scratch:
        before = me.memory_info().rss
        results["embedded"] = measure(EmbeddedStore(Path(scratch) / "store"), graphs, args.reads)
        results["embedded"]["memory_mb"] = (me.memory_info().rss - before) / 2**20
        results["embedded"]["file_mb"] = (Path(scratch) / "store" / "graph.json").stat().st_size / 2**20
        server, server_process = _bolt_server(Path(scratch) / "arcadedb")
        try:
            from graph.store.neo4j_store import Neo4jStore

            store = Neo4jStore(server.uri, server.user, server.password, server.database)
            # A graph left by an earlier run would turn the write into a diff against it.
            store.driver.execute_query(cypher.EMPTY_DATABASE, database_=store.database)
            results["neo4j"] = measure(store, graphs, args.reads)
            if server_process:
                results["neo4j"]["memory_mb"] = server_process.memory_info().rss / 2**20
        finally:
            server.stop()
    label = "ArcadeDB Bolt" if server_process else "Neo4j"
    rows = [
        ("write whole graph (merge + one transaction)", "relations/s", "relations_per_second", "{:,.0f}", ">= 10,000"),
        ("  of which merging documents in Python", "s", "merge_seconds", "{:.1f}", ""),
        ("  the rest (rows, Cypher, server), relations/s", "relations/s", "database_per_second", "{:,.0f}", ""),
        ("neighbourhood depth 2, median of reads", "ms", "near_ms", "{:.1f}", "< 20 ms"),
        ("  concepts in it (median)", "", "near_size", "{:.0f}", ""),
        ("prerequisite subgraph depth 3, median", "ms", "needed_ms", "{:.1f}", "reported"),
        ("memory (embedded: this process; Bolt: server RSS)", "MB", "memory_mb", "{:,.0f}", "reported"),
    ]
    print(f"{'measure':<50} {'unit':<12} {'embedded':>12} {label:>14}  floor (Bolt)")
    for name, unit, key, fmt, floor in rows:
        values = [fmt.format(results[kind][key]) if key in results[kind] else "-" for kind in ("embedded", "neo4j")]
        print(f"{name:<50} {unit:<12} {values[0]:>12} {values[1]:>14}  {floor}")
    print(f"embedded store file: {results['embedded']['file_mb']:.0f} MB")


def _bolt_server(root: Path):  # type: ignore[no-untyped-def]
    """ArcadeDB started here, or the Neo4j server named by STUDYGRAPH_TEST_NEO4J_URI."""
    from tests.support.arcadedb import BoltServer, start_arcadedb

    uri = os.environ.get("STUDYGRAPH_TEST_NEO4J_URI")
    if uri:
        return BoltServer(uri, os.environ.get("STUDYGRAPH_TEST_NEO4J_USER", "neo4j"),
                          os.environ.get("STUDYGRAPH_TEST_NEO4J_PASSWORD", "studygraph-local"), "neo4j"), None
    server = start_arcadedb(root, heap="2g")
    return server, psutil.Process(server.process.pid)  # type: ignore[union-attr]


if __name__ == "__main__":
    main()
