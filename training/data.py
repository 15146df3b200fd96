"""The annotated training notes: each note's text, its annotation (concepts with aliases, typed relations), and
where its concepts are mentioned in the blocks the ingest parser makes of it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from graph.normalize import concept_key
from ingest.markdown import ParsedDocument, parse_markdown
from ingest.tokenizer import fold_width
from training.corpus import ANNOTATIONS, TRAIN_DIR, TrainingNote, training_notes

_LATIN_EDGE = re.compile(r"[A-Za-z0-9]")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class GoldRelation:
    a: str
    rel: str
    b: str
    types: tuple[str, ...]
    first: str | None
    line: int
    evidence: str


@dataclass
class AnnotatedNote:
    """One training note with its annotation."""

    note: TrainingNote
    text: str
    concepts: dict[str, list[str]]
    relations: list[GoldRelation]
    alias_owner: dict[str, str] = field(default_factory=dict)  # concept_key(alias) -> concept key

    @property
    def name(self) -> str:
        return self.note.name

    @property
    def repo(self) -> str:
        return self.note.repo

    @cached_property
    def parsed(self) -> ParsedDocument:
        return parse_markdown(self.name, self.text)

    def concept_of(self, surface: str) -> str | None:
        """The annotated concept a surface form names, compared as concept names are (case, width, spacing)."""
        return self.alias_owner.get(concept_key(surface))


def load_annotated(directory: Path = ANNOTATIONS, train_dir: Path = TRAIN_DIR) -> list[AnnotatedNote]:
    """Every annotated note, sorted by name (training reads them in this order)."""
    notes = {note.name: note for note in training_notes(train_dir)}
    found = []
    for path in sorted(directory.glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        (name,) = raw["docs"]
        note = notes[name]
        relations = [GoldRelation(r["a"], r["rel"], r["b"], tuple(r["types"]), r.get("first"), r["line"],
                                  r["evidence"]) for r in raw["relations"]]
        owner = {concept_key(alias): key for key, aliases in raw["concepts"].items() for alias in aliases}
        found.append(AnnotatedNote(note, note.file.read_text(encoding="utf-8"), raw["concepts"], relations, owner))
    return sorted(found, key=lambda annotated: annotated.name)


def alias_needles(aliases: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(folded alias, concept key) for every alias worth searching for: one Latin letter ('Q', 'V') would be
    found inside every sentence."""
    needles = []
    for key, names in aliases.items():
        for alias in names:
            needle = fold_width(alias).casefold().strip()
            if len(concept_key(needle)) >= 2 or _CJK.search(needle):
                needles.append((needle, key))
    return needles


def gold_spans(text: str, aliases: dict[str, list[str]] | list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """(start, end, concept key) of every mention of an annotated concept in a block's text: each alias found
    case- and width-insensitively (a Latin alias only as whole words), the longest winning where they overlap.

    >>> gold_spans("GQA 和 MHA：分组查询注意力（GQA）", {"gqa": ["GQA", "分组查询注意力"], "mha": ["MHA"]})
    [(0, 3, 'gqa'), (6, 9, 'mha'), (10, 17, 'gqa'), (18, 21, 'gqa')]
    """
    needles = alias_needles(aliases) if isinstance(aliases, dict) else aliases
    folded = fold_width(text).casefold()
    found: list[tuple[int, int, str]] = []
    for needle, key in needles:
        start = folded.find(needle)
        while start >= 0:
            end = start + len(needle)
            inside_word = (_LATIN_EDGE.match(needle[0]) and start and _LATIN_EDGE.match(folded[start - 1])) or (
                _LATIN_EDGE.match(needle[-1]) and end < len(folded) and _LATIN_EDGE.match(folded[end]))
            if not inside_word:
                found.append((start, end, key))
            start = folded.find(needle, start + 1)
    taken = bytearray(len(text) + 1)
    kept = []
    for start, end, key in sorted(found, key=lambda span: (span[0] - span[1], span[0])):
        if not any(taken[start:end]):
            taken[start:end] = b"\x01" * (end - start)
            kept.append((start, end, key))
    return sorted(kept)


def prose_blocks(parsed: ParsedDocument) -> Iterator[tuple[int, object]]:
    """(index, block) of the blocks extraction reads: not code, not empty."""
    for index, block in enumerate(parsed.blocks):
        if block.kind != "code" and block.text.strip():
            yield index, block
