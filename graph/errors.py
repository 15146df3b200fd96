"""One error tree for the whole service, mapped to exit codes (CLI) and status codes (API) in one place each.

    StudygraphError
    ├── InputError            a notes file that cannot be read (binary, too big, undecodable)
    │   └── InputLimit        input past a parser's limits (JSON nested thousands deep, a number of 4,300 digits)
    ├── ConceptNotFound       an unknown concept name; carries close matches
    ├── DocumentNotFound      an unknown document id; carries close matches
    └── StoreError            the store cannot be read or written
        ├── StoreLocked       another process holds the write lock too long
        ├── StoreCorrupt      the store file exists but does not parse
        └── StoreUnavailable  the Neo4j server cannot be reached or refuses the credentials
"""

from __future__ import annotations


class StudygraphError(Exception):
    """Base of every error the service raises on purpose."""


class InputError(StudygraphError):
    """A notes file was refused; the message names the file and the reason."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class InputLimit(InputError):
    """Input beyond what a parser reads: refused as malformed, before it can exhaust a stack or a CPU."""


class ConceptNotFound(StudygraphError):
    """No concept has this name or alias; `suggestions` holds close matches."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        hint = f" — did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        super().__init__(f"unknown concept {name!r}{hint}")
        self.name = name
        self.suggestions = suggestions


class DocumentNotFound(StudygraphError):
    """No ingested document has this id; `suggestions` holds the ids it probably means (graph.lookup finds them)."""

    def __init__(self, document_id: str, known: list[str], suggestions: list[str] | None = None) -> None:
        if suggestions:
            hint = f" — did you mean {', '.join(repr(s) for s in suggestions)}?"
        else:
            hint = f" — ingested documents: {', '.join(known[:5])}" if known else " — nothing is ingested yet"
        super().__init__(f"unknown document {document_id!r}{hint}")
        self.document_id = document_id
        self.suggestions = suggestions or []


class StoreError(StudygraphError):
    """The graph store cannot be read or written."""


class StoreLocked(StoreError):
    """Another ingest holds the store's write lock."""


class StoreCorrupt(StoreError):
    """The store file exists but cannot be parsed."""


class StoreUnavailable(StoreError):
    """The Neo4j server is down, unreachable or refuses the credentials; the message names the URI."""
