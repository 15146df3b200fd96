"""The embedded store's file layouts with one record per line, read and written a record at a time.

Parsing or dumping a 50 MB graph in one call holds the interpreter lock for over a second, and every reader
thread of the server stalls meanwhile. Record by record, the interpreter can switch threads between records, so
readers keep being served from the last snapshot while a write or a reload goes on.

`graph.json` stays one valid JSON document (any JSON tool reads it); the documents file is JSON Lines.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from graph.models import Concept, Document, DocumentGraph, KnowledgeGraph, Model, Relation

_PARTS: tuple[tuple[str, type[Model]], ...] = (("documents", Document), ("concepts", Concept),
                                              ("relations", Relation))


def dump_graph_file(header: dict[str, Any], graph: KnowledgeGraph) -> bytes:
    """`{header..., "graph": {"documents": [...], "concepts": [...], "relations": [...]}}`, a record per line."""
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":"))[:-1]
    lines = [f'{head},"graph":{{'.encode()]
    for number, (name, _) in enumerate(_PARTS):
        records: list[Model] = getattr(graph, name)
        lines.append(f'{"," if number else ""}"{name}":['.encode())
        lines.extend(_records(records))
        lines.append(b"]")
    lines.append(b"}}")
    return b"\n".join(lines) + b"\n"


def _records(records: Iterable[Model]) -> Iterator[bytes]:
    first = True
    for record in records:
        yield record.model_dump_json().encode() if first else b"," + record.model_dump_json().encode()
        first = False


def is_record_lines(payload: bytes) -> bool:
    """Whether a `graph.json` has this layout (earlier versions wrote one line)."""
    first, _, _ = payload.partition(b"\n")
    return first.endswith(b'"graph":{')


def load_graph_file(payload: bytes) -> tuple[dict[str, Any], KnowledgeGraph]:
    """The header fields and the graph of a file `dump_graph_file` wrote."""
    lines = payload.split(b"\n")
    if lines[-2:] != [b"}}", b""]:
        raise ValueError("the graph file ends early (its closing line is missing)")
    header: dict[str, Any] = json.loads(lines[0][: -len(b',"graph":{')] + b"}")
    found: dict[str, list[Any]] = {name: [] for name, _ in _PARTS}
    models = dict(_PARTS)
    current: list[Any] | None = None
    model: type[Model] = Document
    for line in lines[1:]:
        if line.endswith(b":[") and line.lstrip(b",").startswith(b'"'):
            name = line.lstrip(b",")[1:-3].decode()
            current, model = found[name], models[name]
        elif line in (b"]", b"}}", b""):
            current = None
        elif current is not None:
            current.append(model.model_validate_json(line[1:] if line.startswith(b",") else line))
        else:
            raise ValueError(f"unexpected line in the graph file: {line[:60]!r}")
    return header, KnowledgeGraph.model_construct(**found)


def dump_documents_file(documents: dict[str, DocumentGraph]) -> bytes:
    """A line per document (with its text), then a line per concept and per relation it contributes."""
    lines: list[bytes] = []
    for graph in documents.values():
        head = graph.model_copy(update={"concepts": [], "relations": []})
        lines.append(b'{"document":' + head.model_dump_json().encode() + b"}")
        lines.extend(b'{"concept":' + c.model_dump_json().encode() + b"}" for c in graph.concepts)
        lines.extend(b'{"relation":' + r.model_dump_json().encode() + b"}" for r in graph.relations)
    return b"\n".join(lines) + b"\n"


_PREFIXES = ((b'{"document":', DocumentGraph), (b'{"concept":', Concept), (b'{"relation":', Relation))


def load_documents_file(payload: bytes) -> dict[str, DocumentGraph]:
    """The documents of a file `dump_documents_file` wrote, in their order."""
    documents: dict[str, DocumentGraph] = {}
    current: DocumentGraph | None = None
    for line in payload.split(b"\n"):
        if not line:
            continue
        for prefix, model in _PREFIXES:
            if line.startswith(prefix) and line.endswith(b"}"):
                record = model.model_validate_json(line[len(prefix):-1])
                break
        else:
            raise ValueError(f"unexpected line in the documents file: {line[:60]!r}")
        if isinstance(record, DocumentGraph):
            current = documents[record.document.id] = record
        elif current is None:
            raise ValueError("a concept or relation before any document in the documents file")
        elif isinstance(record, Concept):
            current.concepts.append(record)
        else:
            current.relations.append(record)
    return documents
