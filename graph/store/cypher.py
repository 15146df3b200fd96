"""Every Cypher statement the Neo4j store runs: values always travel as parameters, never as query text.

Only two things are ever formatted into a query: a relation type from `RelationType` (Cypher cannot take a
relationship type as a parameter) and a hop count checked to be a small integer. Both come from code, never
from documents. The statements keep to the Cypher both Neo4j 5 and ArcadeDB's Bolt endpoint accept.
"""

from __future__ import annotations

from graph.models import RelationType
from graph.store.traversal import check_hops

SCHEMA = (
    "CREATE CONSTRAINT concept_id IF NOT EXISTS FOR (c:Concept) REQUIRE c.id IS UNIQUE",
    "CREATE CONSTRAINT document_id IF NOT EXISTS FOR (d:Document) REQUIRE d.id IS UNIQUE",
    "CREATE CONSTRAINT section_id IF NOT EXISTS FOR (s:Section) REQUIRE s.id IS UNIQUE",
    "CREATE CONSTRAINT question_id IF NOT EXISTS FOR (q:Question) REQUIRE q.id IS UNIQUE",
    "CREATE CONSTRAINT profile_name IF NOT EXISTS FOR (p:Profile) REQUIRE p.name IS UNIQUE",
    "CREATE INDEX concept_name_key IF NOT EXISTS FOR (c:Concept) ON (c.name_key)",
    "CREATE INDEX concept_name IF NOT EXISTS FOR (c:Concept) ON (c.name)",
)

PING = "RETURN 1 AS ok"

# Benchmarks start from an empty database (the schema stays).
EMPTY_DATABASE = "MATCH (n) DETACH DELETE n"

# A write takes this node's lock first, so two writers never merge from the same stale state.
TAKE_WRITE_LOCK = "MERGE (lock:StoreLock {id: 'writer'}) SET lock.writes = coalesce(lock.writes, 0) + 1"
# Every committed write bumped the counter: the store's revision.
STORE_REVISION = "OPTIONAL MATCH (lock:StoreLock {id: 'writer'}) RETURN lock.writes AS writes"

# Learner profiles: one node each, the profile as JSON. A write takes the node's lock first (MERGE + SET), so two
# writers of one profile queue; the store's lock node and its revision are left alone.
PROFILE = "MATCH (p:Profile {name: $name}) RETURN p.payload AS payload"
TAKE_PROFILE = ("MERGE (p:Profile {name: $name}) SET p.writes = coalesce(p.writes, 0) + 1 "
                "RETURN p.payload AS payload")
PROFILE_NAMES = "MATCH (p:Profile) WHERE p.payload <> '' RETURN p.name AS name ORDER BY name"
STORE_PROFILE = "MATCH (p:Profile {name: $name}) SET p.payload = $payload"

DOCUMENT_PAYLOADS = "MATCH (d:Document) RETURN d.id AS id, d.payload AS payload ORDER BY d.id"
DOCUMENT_HASHES = "MATCH (d:Document) RETURN d.id AS id, d.sha256 AS sha256"

DELETE_DOCUMENTS = """
UNWIND $ids AS id
MATCH (d:Document {id: id})
OPTIONAL MATCH (part)-[:IN]->(d)
DETACH DELETE part, d
"""

CREATE_DOCUMENTS = """
UNWIND $rows AS row
CREATE (d:Document {id: row.id})
SET d.path = row.path, d.title = row.title, d.sha256 = row.sha256, d.encoding = row.encoding,
    d.chars = row.chars, d.lines = row.lines, d.tables = row.tables, d.payload = row.payload
"""

CREATE_SECTIONS = """
UNWIND $rows AS row
MATCH (d:Document {id: row.document})
CREATE (s:Section {id: row.id})-[:IN]->(d)
SET s.document = row.document, s.heading = row.heading, s.level = row.level,
    s.line_start = row.line_start, s.line_end = row.line_end, s.parent = row.parent
"""

LINK_SUBSECTIONS = """
UNWIND $rows AS row
MATCH (child:Section {id: row.id})
MATCH (parent:Section {id: row.parent})
CREATE (child)-[:SUBSECTION_OF]->(parent)
"""

CREATE_QUESTIONS = """
UNWIND $rows AS row
MATCH (d:Document {id: row.document})
CREATE (q:Question {id: row.id})-[:IN]->(d)
SET q.document = row.document, q.text = row.text, q.line = row.line, q.section = row.section,
    q.answered = row.answered, q.difficulty = row.difficulty, q.tags = row.tags, q.concepts = row.concepts,
    q.metadata = row.metadata
"""

DELETE_CONCEPTS = "UNWIND $ids AS id MATCH (c:Concept {id: id}) DETACH DELETE c"

# New concepts are created (the id constraint still refuses a duplicate); changed ones MERGE on their id.
# `SET c = row` replaces every property, so a field that became empty does not linger.
CREATE_CONCEPTS = "UNWIND $rows AS row CREATE (c:Concept) SET c = row"
UPSERT_CONCEPTS = "UNWIND $rows AS row MERGE (c:Concept {id: row.id}) SET c = row"

DELETE_MENTIONS = "UNWIND $ids AS id MATCH (:Concept {id: id})-[m:MENTIONED_IN]->() DELETE m"

CREATE_MENTIONS = """
UNWIND $rows AS row
MATCH (c:Concept {id: row.concept})
MATCH (s:Section {id: row.section})
CREATE (c)-[:MENTIONED_IN {count: row.count, lines: row.lines}]->(s)
"""

# Named columns: some servers build `properties(r)` maps slowly.
RELATION_FIELDS = ("confidence", "weight", "evidence_documents", "evidence_lines", "evidence_sections",
                   "evidence_texts", "evidence_rules", "first")
RELATION_COLUMNS = ", ".join(f"r.{field} AS {field}" for field in RELATION_FIELDS)
RELATION_MAP = ", ".join(f"{field}: r.{field}" for field in RELATION_FIELDS)

CONCEPTS = "MATCH (c:Concept) RETURN properties(c) AS c ORDER BY c.id"
CONCEPT_LABELS = "MATCH (c:Concept) RETURN c.name AS name, c.aliases AS aliases ORDER BY c.id"
CONCEPT_BY_ID = "MATCH (c:Concept {id: $id}) RETURN properties(c) AS c"
CONCEPT_BY_NAME_KEY = "MATCH (c:Concept {name_key: $key}) RETURN properties(c) AS c ORDER BY c.id LIMIT 1"
CONCEPT_BY_ALIAS_KEY = "MATCH (c:Concept) WHERE $key IN c.alias_keys RETURN properties(c) AS c ORDER BY c.id LIMIT 1"
CONCEPTS_BY_IDS = "UNWIND $ids AS id MATCH (c:Concept {id: id}) RETURN properties(c) AS c ORDER BY c.id"

RELATIONS = """
MATCH (a:Concept)-[r]->(b:Concept)
WHERE type(r) IN $types
RETURN a.id AS source, b.id AS target, type(r) AS type, """ + RELATION_COLUMNS

RELATIONS_AMONG = """
UNWIND $ids AS id
MATCH (a:Concept {id: id})-[r]->(b:Concept)
WHERE type(r) IN $types AND b.id IN $ids
RETURN a.id AS source, b.id AS target, type(r) AS type, """ + RELATION_COLUMNS

PREREQUISITES_OF_SOURCES = """
UNWIND $ids AS id
MATCH (a:Concept {id: id})-[r]->(b:Concept)
WHERE type(r) IN $types
RETURN a.id AS source, b.id AS target, type(r) AS type, """ + RELATION_COLUMNS

# Bound node first: a pattern that starts from the unbound end scans every concept on some servers.
PREREQUISITES_OF_TARGETS = """
UNWIND $ids AS id
MATCH (b:Concept {id: id})<-[r]-(a:Concept)
WHERE type(r) IN $types
RETURN a.id AS source, b.id AS target, type(r) AS type, """ + RELATION_COLUMNS


def _relationship_type(relation_type: RelationType) -> str:
    """The relationship type, checked to be one of ours before it becomes query text."""
    return RelationType(relation_type).value


def merge_relations(relation_type: RelationType) -> str:
    """Create or update relations of one type between existing concepts."""
    return _write_relations("MERGE", relation_type)


def create_relations(relation_type: RelationType) -> str:
    """Relations the write lock guarantees are new: CREATE skips MERGE's search (about 1.5x faster)."""
    return _write_relations("CREATE", relation_type)


def _write_relations(clause: str, relation_type: RelationType) -> str:
    if clause not in ("MERGE", "CREATE"):
        raise ValueError(f"not a write clause: {clause!r}")
    return f"""
UNWIND $rows AS row
MATCH (a:Concept {{id: row.source}})
MATCH (b:Concept {{id: row.target}})
{clause} (a)-[r:{_relationship_type(relation_type)}]->(b)
SET r = row.properties
"""


def delete_relations(relation_type: RelationType) -> str:
    """Delete relations of one type between the given concept pairs."""
    return f"""
UNWIND $rows AS row
MATCH (:Concept {{id: row.source}})-[r:{_relationship_type(relation_type)}]->(:Concept {{id: row.target}})
DELETE r
"""


def neighbourhood(depth: int, types: list[RelationType]) -> str:
    """The concepts within `depth` hops of `$id` (either direction) and every `$types` relation among them.

    One round trip returning one record: per-record cost, not bytes, dominates small reads on Bolt servers.
    """
    hops = check_hops(depth)
    pattern = "|".join(_relationship_type(t) for t in types)
    reach = (f"OPTIONAL MATCH (c)-[:{pattern}*1..{hops}]-(other:Concept)\nWITH c, collect(DISTINCT other) AS others"
             if hops else "WITH c, [] AS others")
    return f"""
MATCH (c:Concept {{id: $id}})
{reach}
WITH [c] + [x IN others WHERE x <> c] AS ball
UNWIND ball AS a
OPTIONAL MATCH (a)-[r]->(b:Concept)
WHERE type(r) IN $types AND b IN ball
WITH ball, collect({{source: a.id, target: b.id, type: type(r), {RELATION_MAP}}}) AS relations
RETURN [x IN ball | properties(x)] AS concepts, relations
"""
