"""One note's vocabulary for the trained pipeline: the bundled glossary, concepts known from imported graphs, and
the names the concept tagger finds in the note, joined by the aliases its brackets pair. A note is read against
its own vocabulary only, so adding or removing another note never changes how it reads."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from graph.normalize import concept_key
from ingest.concept_tagger import TAGGER_FILE, tagged_spans
from ingest.discovery import note_concepts
from ingest.lexicon import ConceptEntry, ConceptIndex, load_lexicon
from ingest.markdown import ParsedDocument, is_metadata

MAX_NAME_CHARS = 40
_EDGE = re.compile(r"^[\s*_`'\"“”‘’:：,，.。;；、\-—·]+|[\s*_`'\"“”‘’:：,，.。;；、\-—·]+$")
_WORDLIKE = re.compile(r"[A-Za-z\u3400-\u9fff]")


def clean_name(raw: str) -> str | None:
    """A tagged span as a name: markup and punctuation trimmed from its ends; None when nothing name-like is left.

    >>> clean_name("**KV Cache**："), clean_name("2024"), clean_name("a")
    ('KV Cache', None, None)
    """
    name = _EDGE.sub("", raw)
    if "\n" in name or len(name) > MAX_NAME_CHARS or not _WORDLIKE.search(name) or len(concept_key(name)) < 2:
        return None
    return name


def tagged_names(document: ParsedDocument, tagger: Path = TAGGER_FILE) -> list[str]:
    """Every name the concept tagger finds in the note's prose (code, metadata and empty blocks left out)."""
    names: dict[str, None] = {}
    for block in document.blocks:
        if block.kind == "code" or not block.text.strip() or is_metadata(block):
            continue
        for start, end in tagged_spans(block, tagger):
            name = clean_name(block.text[start:end])
            if name:
                names.setdefault(name)
    return list(names)


def note_index(document: ParsedDocument, known: Iterable[ConceptEntry] = (), use_lexicon: bool = True,
               tagger: Path = TAGGER_FILE) -> ConceptIndex:
    """The vocabulary one note is read against."""
    index = ConceptIndex(load_lexicon() if use_lexicon else ())
    for entry in known:
        if index.find(entry.name) is None and entry.id not in index.by_id:
            index.add(entry)
    return note_concepts(document, index, tagged_names(document, tagger))
