"""Candidate pairs for the relation model: two concepts and the text that might state how they relate.

A candidate is one of:
- `sentence`: two concepts named in one sentence;
- `adjacent`: a concept of a sentence and one of the sentence before it in the same block (a statement that runs
  over a full stop: 'AlphaZero 的做法是…。从而减少 MCTS…');
- `topic`: a concept named in a sentence and the topic of its section, lead or item, when the sentence does not
  name that topic (it leaves its subject out: 'X：采用 Y…', '### X' then '使用 Y 计算…');
- `pronoun`: a concept in a sentence opening with 它/该方法/this method/they, and the previous sentence's subject;
- `item`: a list item's leading concept and the concept of the item or lead line it hangs under;
- `lead-in`: a line announcing a list ('有以下几类：', 'include:') and the leading concept of each item;
- `table`: a table's column concept and a cell's concept, or the concepts of one row.
The relation model decides the type and direction, or none; evidence is the candidate's text and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ingest.sentence_sides import Mention

# A sentence that refers back instead of naming its subject.
PRONOUN_OPENING = re.compile(r"^[\s*_\-·●•0-9.、]*(?:它们?|其|该(?:方法|算法|模型|技术|机制|框架|策略)|"
                             r"这(?:种|个|一)(?:方法|算法|模型|技术|机制|框架|策略)|此(?:方法|技术)|两者|二者|"
                             r"(?:this|the|both|these)\s+(?:method|approach|technique|model|algorithm|framework|"
                             r"methods|approaches|techniques|models)\b|it\b|they\b|both\b)", re.IGNORECASE)
MAX_SENTENCE_PAIRS = 8  # a sentence naming many concepts: each pairs with its nearest few, not with all
MAX_ADJACENT = 3  # concepts taken from each side of a sentence break


@dataclass(slots=True)
class SentenceSpot:
    """One sentence with its concepts, as the extractor read it."""

    block: int
    block_kind: str
    line: int
    section: str
    text: str
    mentions: list[Mention]
    subject: str | None  # the topic of the surrounding section, lead or item
    near: bool  # the topic is the block's own (its lead, item or section), not an ancestor's
    previous: list[str] = field(default_factory=list)  # concepts of the sentence before, in the same block
    question: bool = False
    before: tuple[str, list[Mention], int] | None = None  # the sentence before in the block: text, mentions, line


@dataclass(frozen=True, slots=True)
class Candidate:
    """Two concepts that might be related, where, and how they stand in the text."""

    kind: str
    first: str  # the context side for topic/pronoun/item/lead-in/table candidates, else the earlier mention
    second: str
    line: int
    section: str
    text: str
    block_kind: str
    first_span: tuple[int, int] | None  # where each side is named in `text` (None: it comes from context)
    second_span: tuple[int, int] | None
    question: bool = False
    near: bool = True

    @property
    def pair(self) -> frozenset[str]:
        return frozenset((self.first, self.second))


_QUESTION_END = re.compile(r"[?？]\s*[*_]*\s*$")
# What a bare list of names holds besides the names: it states nothing about them ('A、B 以及 C。').
_LIST_FILLER = re.compile(r"(?:\s|[、,，;；。.:：/&|*_`()（）\-—·•]|和|与|及|以及|或|或者|and|or|vs\.?)*", re.IGNORECASE)


def only_names(spot: SentenceSpot) -> bool:
    """Whether the sentence is nothing but its concepts' names joined by commas and 'and'."""
    rest, last = [], 0
    for mention in spot.mentions:
        rest.append(spot.text[last:mention.start])
        last = max(last, mention.end)
    rest.append(spot.text[last:])
    return _LIST_FILLER.fullmatch("".join(rest)) is not None


def sentence_candidates(spot: SentenceSpot) -> Iterator[Candidate]:
    """Pairs within the sentence, and its concepts with the topic or the previous sentence's subject. A question
    states nothing (its answer does), nor does a bare list of names: neither puts a candidate forward."""
    if spot.question or _QUESTION_END.search(spot.text) or only_names(spot):
        return
    mentions = spot.mentions
    for i, first in enumerate(mentions):
        for second in mentions[i + 1:i + 1 + MAX_SENTENCE_PAIRS]:
            if first.concept != second.concept:
                yield Candidate("sentence", first.concept, second.concept, spot.line, spot.section, spot.text,
                                spot.block_kind, (first.start, first.end), (second.start, second.end),
                                spot.question, spot.near)
    named = {m.concept for m in mentions}
    if spot.before is not None:
        yield from _across_the_break(spot, named)
    referent = _referent(spot)
    if referent and referent not in named:
        for mention in _distinct(mentions)[:MAX_SENTENCE_PAIRS]:
            yield Candidate("pronoun", referent, mention.concept, spot.line, spot.section, spot.text,
                            spot.block_kind, None, (mention.start, mention.end), spot.question, True)
    elif spot.subject and spot.subject not in named:
        for mention in _distinct(mentions)[:MAX_SENTENCE_PAIRS]:
            yield Candidate("topic", spot.subject, mention.concept, spot.line, spot.section, spot.text,
                            spot.block_kind, None, (mention.start, mention.end), spot.question, spot.near)


def _across_the_break(spot: SentenceSpot, named: set[str]) -> Iterator[Candidate]:
    """The last concepts of the sentence before with the first of this one, in the two sentences' text."""
    assert spot.before is not None
    before_text, before_mentions, before_line = spot.before
    joined = f"{before_text}{spot.text}"
    shift = len(before_text)
    earlier = [m for m in _distinct(list(reversed(before_mentions))) if m.concept not in named][:MAX_ADJACENT]
    for first in earlier:
        for second in _distinct(spot.mentions)[:MAX_ADJACENT]:
            if first.concept != second.concept:
                yield Candidate("adjacent", first.concept, second.concept, before_line, spot.section, joined,
                                spot.block_kind, (first.start, first.end), (second.start + shift, second.end + shift),
                                spot.question, spot.near)


def _referent(spot: SentenceSpot) -> str | None:
    """What an opening pronoun refers to: the previous sentence's first concept, else the topic."""
    if not PRONOUN_OPENING.match(spot.text):
        return None
    return spot.previous[0] if spot.previous else spot.subject


def _distinct(mentions: list[Mention]) -> list[Mention]:
    seen: dict[str, Mention] = {}
    for mention in mentions:
        seen.setdefault(mention.concept, mention)
    return list(seen.values())


def structure_candidate(kind: str, whole: str, part: Mention | None, part_concept: str, line: int, section: str,
                        text: str, block_kind: str) -> Candidate | None:
    """A candidate the document's structure puts forward (item under its lead, lead-in line and item, table)."""
    if whole == part_concept:
        return None
    span = (part.start, part.end) if part is not None else None
    return Candidate(kind, whole, part_concept, line, section, text, block_kind, None, span)
