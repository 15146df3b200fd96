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
    name = _balanced(_EDGE.sub("", raw))
    if name is None or "\n" in name or len(name) > MAX_NAME_CHARS or not _WORDLIKE.search(name) or len(concept_key(name)) < 2:
        return None
    return name


_OPENING, _CLOSING = "(（[【<《「", ")）]】>》」"


def _balanced(name: str) -> str | None:
    """The name without a bracket dangling at either end ('大语言模型（', '<prompt'); None when a bracket inside
    has no partner ('LLM）智能体': the tagger ran across a gloss).

    >>> _balanced("大语言模型（"), _balanced("<prompt"), _balanced("LLM）智能体"), _balanced("(quasi)random search")
    ('大语言模型', 'prompt', None, '(quasi)random search')
    """
    while name:
        opened = sum(name.count(ch) for ch in _OPENING)
        closed = sum(name.count(ch) for ch in _CLOSING)
        if name[-1] in _OPENING or (name[0] in _OPENING and opened > closed):
            name = name[:-1] if name[-1] in _OPENING else name[1:]
        elif name[0] in _CLOSING or (name[-1] in _CLOSING and closed > opened):
            name = name[1:] if name[0] in _CLOSING else name[:-1]
        else:
            break
        name = name.strip()
    if sum(name.count(ch) for ch in _OPENING) != sum(name.count(ch) for ch in _CLOSING):
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
