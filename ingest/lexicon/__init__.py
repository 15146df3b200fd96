"""The lexicon: a general bilingual glossary of ML/LLM names, aliases and kinds (data only; no relations).

Every entry names its source: "paper" (the name the introducing paper gives the method or model), "pytorch" (a
name in PyTorch's API), "library" (a tool or model family's own name) or "textbook" (standard ML terminology
and its usual Chinese rendering). No entry comes from an evaluation gold file; `STUDYGRAPH_LEXICON=off` leaves
the glossary out, so extraction can be judged without it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from graph.normalize import concept_key

LEXICON_FILE = Path(__file__).with_name("concepts.jsonl")
SOURCES = frozenset({"paper", "pytorch", "library", "textbook"})


@dataclass
class ConceptEntry:
    """A concept the matcher knows: from the lexicon or discovered in the notes being ingested."""

    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    kind: str | None = None
    signals: list[str] = field(default_factory=list)

    def labels(self) -> list[str]:
        return [self.name, *self.aliases]


@lru_cache
def load_lexicon(path: Path = LEXICON_FILE) -> tuple[ConceptEntry, ...]:
    """Read the bundled JSONL lexicon (one concept a line: id, name, aliases, kind)."""
    entries = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                entries.append(ConceptEntry(row["id"], row["name"], row.get("aliases", []), row.get("kind"),
                                            ["lexicon"]))
    return tuple(entries)


class ConceptIndex:
    """Concept entries by id and by the key of every label, so discovered aliases can join known concepts."""

    def __init__(self, entries: tuple[ConceptEntry, ...] | list[ConceptEntry]) -> None:
        self.by_id: dict[str, ConceptEntry] = {}
        self.by_key: dict[str, str] = {}
        for entry in entries:
            self.add(ConceptEntry(entry.id, entry.name, list(entry.aliases), entry.kind, list(entry.signals)))

    def add(self, entry: ConceptEntry) -> ConceptEntry:
        """Index the entry. One whose id is already another concept's never replaces it: a name that differs
        from that concept's only in punctuation ('draft" model', 'Orchestrator & Sub-agent') joins it as an
        alias; one that differs by a '+' or '#' ('LoRA+' and 'LoRA' both slug to 'lora') is another concept and
        takes the id with a suffix from its own name."""
        present = self.by_id.get(entry.id)
        if present is not None and present is not entry and concept_key(present.name) != concept_key(entry.name):
            if _symbols(present.name) == _symbols(entry.name):
                for label in entry.labels():
                    self.add_alias(present, label)
                return present
            suffix = hashlib.sha256(concept_key(entry.name).encode()).hexdigest()[:6]
            entry = replace(entry, id=f"{entry.id}-{suffix}")
        self.by_id[entry.id] = entry
        for label in entry.labels():
            self.by_key.setdefault(concept_key(label), entry.id)
        return entry

    def find(self, label: str) -> ConceptEntry | None:
        concept_id = self.by_key.get(concept_key(label))
        return self.by_id[concept_id] if concept_id else None

    def add_alias(self, entry: ConceptEntry, alias: str) -> None:
        key = concept_key(alias)
        if key in self.by_key:
            return
        entry.aliases.append(alias)
        self.by_key[key] = entry.id


def _symbols(name: str) -> list[str]:
    """The marks a slug drops that still tell names apart: 'LoRA+', 'C#', 'C++'."""
    return [ch for ch in name if ch in "+#"]
