"""Collects a document's relation candidates while the extractor reads it: each sentence's concepts, the
structure around them (items under leads, lists under a lead-in line, table columns and rows, sub-sections), and
what the cue rules read where (the rule readings become features of the candidates they concern)."""

from __future__ import annotations

import re
from collections import defaultdict

from ingest.candidates import Candidate, SentenceSpot, sentence_candidates, structure_candidate
from ingest.markdown import Block
from ingest.sentence_sides import Mention, Reading

_LEAD_IN_END = re.compile(r"[:：]\s*[*_]*\s*$")
_ITEM_OPENING = re.compile(r"^[\s*_`\-·●•0-9.、)）(（\[]*$")
MAX_STRUCTURE_TEXT = 300
# A header's concept pairs with the next this many: every pair of a 2,000-column header would be 2 million
# candidates (the widest table of the training notes and the seeds has 12 columns, so none is cut).
MAX_HEADER_PARTNERS = 20


class CandidateCollector:
    """The candidates of one document and the rule readings behind them."""

    def __init__(self) -> None:
        self.spots: list[SentenceSpot] = []
        self.structure: list[Candidate] = []
        # (source, target) -> (line, "TYPE" , rule) of each rule reading: features of the candidates it concerns.
        self.readings: dict[tuple[str, str], list[tuple[int, str, str]]] = defaultdict(list)
        self.lead_in: tuple[Block, str] | None = None
        self.heading_topics: dict[str, tuple[str, int]] = {}  # section id -> (topic, line)

    # ---- what the extractor reports ----
    def reading(self, reading: Reading, line: int) -> None:
        self.readings[(reading.source, reading.target)].append((line, reading.type.value, reading.rule))

    def sentence(self, spot: SentenceSpot) -> None:
        self.spots.append(spot)

    def block(self, block: Block, mentions: list[Mention], parent_main: str | None, subject: str | None,
              parent_section: str | None) -> None:
        """Structure candidates of one block: under its parent item or lead, under an open lead-in line, below
        its parent section's topic; and whether it opens a list itself."""
        head = _leading(block.text, mentions)
        text = _short(block.text)
        if block.kind == "item" and head is not None:
            if parent_main:
                self._add("item", parent_main, head, block.line, block, text)
            if self.lead_in is not None and block.depth >= 1:
                lead_block, topic = self.lead_in
                self._add("lead-in", topic, head, lead_block.line, block,
                          _short(f"{lead_block.text.strip()}\n{block.text.strip()}"), span=False)
        elif block.kind == "heading" and head is not None:
            self.heading_topics[block.section] = (head.concept, block.line)
            parent = self.heading_topics.get(parent_section) if parent_section else None
            if parent is not None:
                self._add("subsection", parent[0], head, block.line, block, text)
        if block.kind != "item" and block.text.strip():
            self.lead_in = None
        if block.kind in ("paragraph", "item") and _LEAD_IN_END.search(block.text) and "\n" not in block.text.strip():
            topic = mentions[0].concept if mentions else subject
            if topic:
                self.lead_in = (block, topic)

    def table(self, header: Block | None, header_concepts: list[list[str]], rows: list[tuple[Block, list[list[str]]]]
              ) -> None:
        """Column concept with each cell's concepts, and a row's first concept with its other cells'."""
        columns = [cell[0] if len(cell) == 1 else None for cell in header_concepts]
        if header is not None:
            named = [c for c in columns[1:] if c]
            for i, first in enumerate(named):
                for second in named[i + 1:i + 1 + MAX_HEADER_PARTNERS]:
                    self._pair("table", first, second, header.line, header, _short(header.text))
        for block, cells in rows:
            row_head = cells[0][0] if cells and cells[0] else None
            for position, concepts in enumerate(cells[1:], start=1):
                column = columns[position] if position < len(columns) else None
                for concept in concepts[:3]:
                    if column:
                        self._pair("table", column, concept, block.line, block, _short(block.text))
                    if row_head:
                        self._pair("table", row_head, concept, block.line, block, _short(block.text))

    # ---- the candidates ----
    def candidates(self) -> list[Candidate]:
        """Every candidate once (same kind, sides and line)."""
        found: dict[tuple[str, str, str, int], Candidate] = {}
        for spot in self.spots:
            for candidate in sentence_candidates(spot):
                found.setdefault((candidate.kind, candidate.first, candidate.second, candidate.line), candidate)
        for candidate in self.structure:
            found.setdefault((candidate.kind, candidate.first, candidate.second, candidate.line), candidate)
        return list(found.values())

    def _add(self, kind: str, whole: str, head: Mention, line: int, block: Block, text: str, span: bool = True
             ) -> None:
        candidate = structure_candidate(kind, whole, head if span and head.end <= len(text) else None,
                                        head.concept, line, block.heading, text, block.kind)
        if candidate is not None:
            self.structure.append(candidate)

    def _pair(self, kind: str, first: str, second: str, line: int, block: Block, text: str) -> None:
        candidate = structure_candidate(kind, first, None, second, line, block.heading, text, block.kind)
        if candidate is not None:
            self.structure.append(candidate)


def _leading(text: str, mentions: list[Mention]) -> Mention | None:
    """The concept a block opens with ('**PTQ**：…', '- GQA (…)'), if nothing but markup stands before it."""
    if not mentions:
        return None
    first = min(mentions, key=lambda m: m.start)
    return first if _ITEM_OPENING.match(text[:first.start]) else None


def _short(text: str) -> str:
    """The text as it stands (mention offsets point into it), cut after MAX_STRUCTURE_TEXT characters."""
    return text if len(text) <= MAX_STRUCTURE_TEXT else text[:MAX_STRUCTURE_TEXT] + "…"
